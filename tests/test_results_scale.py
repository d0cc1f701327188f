"""The results scale: what the sources report (a reoffending figure, another outcome, activity only,
nothing), beside the evidence step, on the page, the card, the feed, the finder, the compare page and
the downloads; a comparison with people who chose not to take part is never a comparison group; a
headline result carries the first sentence of its caveat wherever it is shown."""
from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest

from generator.results import short_caveat


def _text(path) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))))


def _row(built_site, slug: str, key: str) -> str:
    page = (built_site / "schemes" / slug / "index.html").read_text(encoding="utf-8")
    m = re.search(rf'<div class="rrs-summary-row" data-row="{key}">(.*?)</div>', page, re.S)
    assert m, (slug, key)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1)))).strip()


@pytest.fixture(scope="module")
def finder(built_site):
    return json.loads((built_site / "data" / "finder.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def csv_rows(built_site):
    text = (built_site / "data" / "schemes.csv").read_text(encoding="utf-8-sig")
    return {r["slug"]: r for r in csv.DictReader(io.StringIO(text))}


def _facet(finder, key):
    i = next(i for i, f in enumerate(finder["facets"]) if f["key"] == key)
    return i, finder["facets"][i]


def test_a_reoffending_figure_is_shown_with_measure_cohort_follow_up_and_comparison(built_site):
    row = _row(built_site, "surrey-checkpoint", "reported")
    assert row.startswith("What the sources report A reoffending figure")
    assert "of 136" in row and "follow-up 12 months" in row and "compared with: no comparison" in row


def test_women_who_chose_not_to_engage_are_not_a_comparison_group(built_site, finder):
    row = _row(built_site, "cleveland-divert", "reported")
    assert "compared with: people who chose not to take part" in row
    i, facet = _facet(finder, "comparison")
    names = {v["slug"]: v["name"] for v in facet["values"]}
    divert = next(s for s in finder["schemes"] if s["s"] == "cleveland-divert")
    # Divert also reports a rate beside area and national averages; never a matched comparison group.
    assert "non-participants" in [facet["values"][x]["slug"] for x in divert["f"][i]]
    matched = facet["values"].index(next(v for v in facet["values"] if v["slug"] == "comparison-group"))
    assert all(matched not in s["f"][i] for s in finder["schemes"]), names


def test_the_headline_result_carries_its_caveat_in_panel_card_feed_and_compare(built_site):
    page = _row(built_site, "cleveland-divert", "result")
    first = "Women who chose not to engage are not a matched comparison group"
    assert f"Caveat: {first}" in page
    card = _text(built_site / "schemes" / "cleveland-divert" / "card" / "index.html")
    assert f"Caveat: {first}" in card and "What the sources report: A reoffending figure" in card
    feed = (built_site / "feed.xml").read_text(encoding="utf-8")
    entry = feed[feed.index("<id>", feed.index("schemes/cleveland-divert/") - 200):]
    entry = entry[:entry.index("</entry>")]
    assert f"Caveat: {first}" in html.unescape(entry)
    record = json.loads((built_site / "data" / "schemes" / "cleveland-divert.json").read_text(encoding="utf-8"))
    result = next(r for r in record["headline"] if r["key"] == "result")
    assert any(line.startswith(f"Caveat: {first}") for line in result["lines"])


def test_every_headline_result_with_a_caveat_shows_it(built_site, csv_rows):
    for slug, row in csv_rows.items():
        record = json.loads((built_site / "data" / "schemes" / f"{slug}.json").read_text(encoding="utf-8"))
        result = next(r for r in record["headline"] if r["key"] == "result")
        caveated = [o for o in record["results"] if o["caveat"]]
        if row["headline_result"] and "(caveat: " in row["headline_result"]:
            assert any(line.startswith("Caveat: ") for line in result["lines"]), slug
        if result["reported"] and not any(line.startswith("Caveat: ") for line in result["lines"]):
            assert "(caveat: " not in row["headline_result"], slug
        assert caveated or "(caveat: " not in row["headline_result"], slug


def test_every_scheme_has_one_value_on_the_scale_in_the_finder_and_the_csv(built_site, finder, csv_rows):
    i, facet = _facet(finder, "reported")
    assert [v["slug"] for v in facet["values"]] == ["reoffending", "other-outcome", "activity-only", "nothing"]
    for s in finder["schemes"]:
        assert len(s["f"][i]) == 1
        name = facet["values"][s["f"][i][0]]["name"]
        assert csv_rows[s["s"]]["results_reported"] == name
        assert _row(built_site, s["s"], "reported").startswith(f"What the sources report {name}")


def test_activity_only_is_said_as_such(built_site, finder):
    i, facet = _facet(finder, "reported")
    activity = [s["s"] for s in finder["schemes"] if facet["values"][s["f"][i][0]]["slug"] == "activity-only"]
    assert activity, "some entries report only activity"
    for slug in activity[:5]:
        assert "no result for the people served" in _row(built_site, slug, "reported")
        assert _row(built_site, slug, "result").endswith("Not reported in the sources")


def test_short_caveat_is_the_first_sentence():
    assert short_caveat({"caveat": "One. Two."}) == "One. (more under Results)"
    assert short_caveat({"caveat": "Only one."}) == "Only one."
    assert short_caveat({}) == "" and short_caveat(None) == ""


@pytest.mark.browser
def test_compare_shows_what_is_reported_and_the_caveat(page, site_url):
    p = page.page
    p.set_viewport_size({"width": 1280, "height": 900})
    p.goto(site_url + "/compare/?schemes=cleveland-divert,surrey-checkpoint")
    p.wait_for_selector(".rrs-compare-table")
    reported = p.locator(".rrs-compare-table tbody tr[data-row=reported]").inner_text()
    assert "people who chose not to take part" in reported and "follow-up 12 months" in reported
    result = p.locator(".rrs-compare-table tbody tr[data-row=result]").inner_text()
    assert "Caveat: Women who chose not to engage are not a matched comparison group" in result
