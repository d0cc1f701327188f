"""Time in view everywhere: every listing row, finder result, compare column, force-page table, feed entry
and card says "information from YEAR"; a status whose newest source is older than the configured age
(mkdocs.yml extra.information_max_age_years, three years by default) reads "not confirmed since YEAR", and
the review page lists those entries, oldest information first; the finder sorts by how recent it is."""
from __future__ import annotations

import datetime
import html
import json
import re

import pytest

from conftest import load

from generator import build, mkdocs_yml
from generator.freshness import freshness
from generator.vocabularies import load_vocabularies


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.fixture(scope="module")
def finder(built_site):
    return json.loads((built_site / "data" / "finder.json").read_text(encoding="utf-8"))


def test_the_age_lives_in_mkdocs_yml():
    assert mkdocs_yml.read()["extra"]["information_max_age_years"] == build.information_max_age_years() == 3
    assert build.Settings().max_age_years == 3


def test_old_information_is_not_confirmed_and_new_information_is():
    vocab = load_vocabularies()
    data = {"sources": [{"document": "apcc-2021-reducing-reoffending-in-focus", "section": "1"}], "as_of": "2021"}
    old = freshness(data, vocab, datetime.date(2026, 12, 6), 3)
    assert old["unconfirmed"] and old["unconfirmed_text"] == "not confirmed since 2021"
    assert old["information_text"] == "information from 2021"
    assert not freshness(data, vocab, datetime.date(2023, 6, 1), 3)["unconfirmed"]
    assert not freshness(data, vocab, datetime.date(2026, 12, 6), 10)["unconfirmed"]
    newer = freshness({**data, "as_of": "2025-06"}, vocab, datetime.date(2026, 12, 6), 3)
    assert newer["information_year"] == "2025" and not newer["unconfirmed"]


def test_every_listing_row_says_the_year_of_its_information(built_site, finder):
    years = {s["s"]: s["y"][:4] for s in finder["schemes"]}
    pages = [built_site / "schemes" / "index.html"] + sorted((built_site / "forces").glob("*/index.html")) \
        + sorted((built_site / "tags").glob("*/index.html"))
    checked = 0
    for path in pages:
        page = path.read_text(encoding="utf-8")
        for table in re.findall(r"<table class=\"rrs-table\">\s*<caption>(?:Schemes|Every|All)?.*?</table>", page, re.S):
            if '<th scope="col">Evidence</th>' not in table:
                continue
            assert '<th scope="col">Information from</th>' in table, path
            for m in re.finditer(r'<tr><td><a href="[./]*schemes/([a-z0-9-]+)/">.*?</tr>', table, re.S):
                assert m.group(0).endswith(f"<td>{years[m.group(1)]}</td></tr>"), (path, m.group(1))
                checked += 1
    assert checked >= 64


def test_statuses_of_old_information_read_not_confirmed(built_site, finder):
    for s in finder["schemes"]:
        page = (built_site / "schemes" / s["s"] / "index.html").read_text(encoding="utf-8")
        status = _text(re.search(r'data-row="status">(.*?)</div>', page, re.S).group(1))
        year = s["y"][:4]
        assert f"Information from {year}." in status, s["s"]
        if s["c"]:
            assert f"not confirmed since {year}" in status, (s["s"], status)


def test_review_page_lists_entries_to_confirm_oldest_information_first(built_site, finder):
    page = (built_site / "about" / "needs-review" / "index.html").read_text(encoding="utf-8")
    table = page[page.index("rrs-needs-review"):page.index("</table>", page.index("rrs-needs-review"))]
    listed = re.findall(r'href="\.\./\.\./schemes/([a-z0-9-]+)/"', table)
    stale = {s["s"] for s in finder["schemes"] if s["c"]}
    assert stale, "the register's information is older than three years"
    assert stale <= set(listed)
    dates = {s["s"]: s["y"] for s in finder["schemes"]}
    years = [dates[slug][:4] for slug in listed]
    assert years == sorted(years)


def test_card_and_feed_say_the_year(built_site, finder):
    feed = html.unescape((built_site / "feed.xml").read_text(encoding="utf-8"))
    for s in finder["schemes"][:20]:
        card = _text((built_site / "schemes" / s["s"] / "card" / "index.html").read_text(encoding="utf-8"))
        assert f"information from {s['y'][:4]}" in card, s["s"]
        entry = feed[feed.index(f"schemes/{s['s']}/</id>"):]
        entry = entry[:entry.index("</entry>")]
        assert f"Information from {s['y'][:4]}" in entry, s["s"]


@pytest.mark.browser
def test_finder_results_say_the_year_and_sort_by_it(page, site_url, finder):
    p = page.page
    p.set_viewport_size({"width": 1280, "height": 900})
    load(page, site_url + "/finder/?sort=recent")
    p.wait_for_selector(".rrs-result")
    metas = p.eval_on_selector_all(".rrs-result .rrs-result-meta", "els => els.map(e => e.textContent)")
    assert metas and all("information from 20" in m for m in metas)
    years = [re.search(r"information from (\d{4})", m).group(1) for m in metas]
    assert years == sorted(years, reverse=True)
    # two entries whose newest information is old: each column says its year and that it is not confirmed
    old = sorted((s for s in finder["schemes"] if s["c"]), key=lambda s: s["y"])[:2]
    load(page, site_url + "/compare/?schemes=" + ",".join(s["s"] for s in old))
    p.wait_for_selector(".rrs-compare-table")
    status = p.locator(".rrs-compare-table tbody tr[data-row=status]").inner_text()
    for s in old:
        assert f"Information from {s['y'][:4]}" in status and f"not confirmed since {s['y'][:4]}" in status, s["s"]
