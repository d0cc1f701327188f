"""Share and reuse: downloads match the YAML, permanent links, previews, feed, print."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT, build_site, run_cli, serve
from generator import build
from generator.downloads import CSV_COLUMNS
from generator.formatting import compact_json
from generator.loader import load_all

@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global LOADER, SCHEMES, SITE, BY_SLUG
    LOADER, SCHEMES, SITE = register.loader, register.schemes, prepared
    BY_SLUG = {s.slug: s for s in SCHEMES}


def test_json_download_holds_every_field_of_every_scheme(built_site):
    doc = json.loads((built_site / "data" / "schemes.json").read_text(encoding="utf-8"))
    assert doc["schema_version"] and doc["build_date"]
    assert doc["count"] == len(SCHEMES)
    records = {r["slug"]: r for r in doc["schemes"]}
    assert set(records) == set(BY_SLUG)
    for slug, scheme in BY_SLUG.items():
        record = records[slug]
        for key, value in scheme.data.items():
            assert record[key] == value, (slug, key)
        assert record["url"].endswith(f"/schemes/{slug}/")
        assert record["citation"]


def test_json_is_written_compactly_and_copes_with_any_number():
    value = {"title": "Café “quotes” \\ \"and\" </script>\u2028", "amount": 1500000, "share": 0.25, "list": [None, True]}
    assert compact_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    huge = {"amount": 10 ** 30}  # beyond 64 bits: orjson refuses it, the fallback writes it
    assert json.loads(compact_json(huge)) == huge


# A cell that a spreadsheet would run as a formula is written with a leading apostrophe (shown as text).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_written(text) -> str:
    """A value as the CSV download writes it: protected with an apostrophe where it starts like a formula."""
    text = str(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def test_csv_download_holds_every_scheme_value_by_value(built_site):
    raw = (built_site / "data" / "schemes.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    text = raw.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [c for c, _, _ in CSV_COLUMNS] == list(rows[0].keys())
    by_slug = {r["slug"]: r for r in rows}
    assert set(by_slug) == set(BY_SLUG)
    unsafe = [(r["slug"], k) for r in rows for k, c in r.items() if c.startswith(FORMULA_START)]
    assert unsafe == [], "a cell a spreadsheet would run as a formula"
    vocab = LOADER.vocab
    for slug, scheme in BY_SLUG.items():
        d, row = scheme.data, by_slug[slug]
        assert row["title"] == as_written(d["title"]) and row["summary"] == as_written(d["summary"])
        assert row["description"] == as_written(d["description"].strip())
        assert row["forces"] == "; ".join(d["forces"])
        assert row["target_groups"] == "; ".join(vocab.label("target_groups", t) for t in d["target_groups"])
        assert row["intervention_types"] == "; ".join(vocab.label("intervention_types", t) for t in d["intervention_types"])
        assert row["stages"] == "; ".join(vocab.label("stages", t) for t in d["stages"])
        assert row["start"] == d.get("start", "") and row["end"] == d.get("end", "")
        assert row["last_reviewed"] == d["last_reviewed"] and row["as_of"] == d["as_of"]
        for key in ("office", "name", "role", "email", "phone", "url"):
            assert row[f"contact_{key}"] == as_written(d.get("contact", {}).get(key, ""))
        for o in d.get("organisations", []):
            assert f"{o['organisation']}:{o['role']}" in row["organisation_slugs"].split("; ")
        for f in d.get("funding", []):
            assert f["purpose"] in row["funding"]
        # each pound at most once (the exact counting rule is checked in test_figures.py)
        if d.get("funding"):
            fixed = sum(f["amount"] for f in d["funding"] if f["basis"] != "per-year")
            yearly = sum(f["amount"] for f in d["funding"] if f["basis"] == "per-year")
            assert 0 <= float(row["funding_total_gbp"]) <= fixed and 0 <= float(row["funding_per_year_gbp"]) <= yearly
            for f in d["funding"]:
                assert f"£{f['amount']:,}" in row["funding"]
        else:
            assert row["funding_total_gbp"] == row["funding_per_year_gbp"] == ""
        for o in d.get("outcomes", []):
            column = {"result": "results", "activity": "activity", "plan": "plans", "context": "context", "estimate": "estimates"}[o["kind"]]
            assert o["measure"] in row[column]
            if "caveat" in o:
                assert o["caveat"] in row[column]
        for s in d["sources"]:
            assert s["document"] in row["sources"]
        assert row["citation"].startswith(as_written(d["title"]))
    # no mojibake: characters outside ASCII survive the round trip
    assert "£" in text and "Â£" not in text


def test_schema_is_published(built_site):
    schema = json.loads((built_site / "schema" / "scheme.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"].startswith("http://json-schema.org/draft-07")
    assert set(schema["properties"]["forces"]["items"]["enum"]) == set(LOADER.vocab["forces"])


def test_every_scheme_page_has_link_preview_tags(built_site):
    for s in SCHEMES:
        head = (built_site / "schemes" / s.slug / "index.html").read_text(encoding="utf-8").split("</head>")[0]
        for needle in ('<link rel="canonical" href="https://', '<meta name="description" content="',
                       'property="og:title"', 'property="og:description"', f'property="og:url" content="https://reducing-reoffending.example/schemes/{s.slug}/"',
                       'property="og:site_name"', 'property="og:type" content="article"', 'name="twitter:card"',
                       'type="application/atom+xml"'):
            assert needle in head, (s.slug, needle)


def test_citation_block_on_each_page(built_site):
    for view in SITE.schemes:
        page = (built_site / "schemes" / view["slug"] / "index.html").read_text(encoding="utf-8")
        assert 'class="rrs-citation"' in page and "data-copy-target" in page
        assert f"/schemes/{view['slug']}/" in page.split('class="rrs-citation"')[1].split("</p>")[0]


def test_feed_lists_every_scheme_with_its_date(built_site):
    root = ET.parse(built_site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == len(SCHEMES)
    by_id = {e.findtext("a:id", namespaces=ns).rstrip("/").rsplit("/", 1)[-1]: e for e in entries}
    for s in SCHEMES:
        e = by_id[s.slug]
        assert e.findtext("a:updated", namespaces=ns).startswith(s.data["last_reviewed"][:7])
        assert e.findtext("a:published", namespaces=ns).startswith(s.data.get("added", s.data["last_reviewed"])[:7])


def test_downloads_are_linked_from_home_index_and_finder(built_site):
    for page in ("index.html", "schemes/index.html", "finder/index.html"):
        text = (built_site / page).read_text(encoding="utf-8")
        assert "data/schemes.csv" in text and "data/schemes.json" in text, page


def test_data_notes_cover_every_csv_column_and_the_licence(built_site):
    text = (built_site / "about" / "data" / "index.html").read_text(encoding="utf-8")
    for column, _, _ in CSV_COLUMNS:
        assert f"<code>{column}</code>" in text
    for field in LOADER.schema["properties"]:
        assert f"<code>{field}</code>" in text
    assert "Open Government Licence v3.0" in text


@pytest.fixture(scope="module")
def renamed_site(fixture_site, fixture_url):
    """tests/fixtures/renamed is in the session's fixture site (conftest)."""
    return fixture_site.site, fixture_url


@pytest.mark.browser
def test_old_url_redirects_to_the_new_page(renamed_site, page):
    _, url = renamed_site
    page.page.goto(url + "/schemes/old-scheme-name/")
    page.page.wait_for_url("**/schemes/renamed-scheme/")
    assert "Minimal test scheme" in page.page.locator("h1").inner_text()


@pytest.mark.browser
def test_print_hides_navigation_and_shows_the_url(page, site_url):
    view = SITE.schemes[0]
    page.page.goto(site_url + f"/schemes/{view['slug']}/")
    page.page.emulate_media(media="print")
    assert not page.page.locator(".md-header").is_visible()
    assert not page.page.locator(".md-sidebar--primary").is_visible()
    buttons = page.page.locator("button")
    assert all(not buttons.nth(i).is_visible() for i in range(buttons.count()))
    line = page.page.locator(".rrs-print-only").first
    assert line.is_visible()
    assert f"/schemes/{view['slug']}/" in line.inner_text() and view["checked_text"] in line.inner_text()
    after = page.page.evaluate("""() => { const a = document.querySelector('.rrs-section a[data-print-url]');
        return a ? getComputedStyle(a, '::after').content : ''; }""")
    assert "http" in after
    pdf = page.page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"


@pytest.mark.browser
def test_copy_citation_button(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    p = context.new_page()
    view = SITE.schemes[0]
    p.goto(site_url + f"/schemes/{view['slug']}/")
    p.click('[data-copy-target^="cite-"]')
    p.wait_for_function("() => document.querySelector('[data-copy-target^=\"cite-\"]').textContent === 'Copied'")
    copied = p.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(view["title"]) and f"/schemes/{view['slug']}/" in copied
    context.close()


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
                            GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org"))


def test_check_slugs_fails_when_a_published_slug_disappears(tmp_path):
    repo = tmp_path / "repo"
    (repo / "schemes").mkdir(parents=True)
    base = (ROOT / "tests" / "valid" / "minimal-scheme.yaml").read_text()
    (repo / "schemes" / "minimal-scheme.yaml").write_text(base)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    def check():
        return run_cli(["check-slugs", "--base", "HEAD"], env={"RRS_SCHEMES_DIR": str(repo / "schemes")}, cwd=repo)

    assert check().returncode == 0
    # renamed without an alias: fails
    (repo / "schemes" / "minimal-scheme.yaml").unlink()
    (repo / "schemes" / "new-name.yaml").write_text(base.replace("slug: minimal-scheme", "slug: new-name"))
    result = check()
    assert result.returncode == 1
    assert "/schemes/minimal-scheme/ exists on HEAD but is gone" in result.stdout
    # with the old slug kept as an alias: passes
    (repo / "schemes" / "new-name.yaml").write_text(
        base.replace("slug: minimal-scheme", "slug: new-name") + "aliases: [minimal-scheme]\n")
    assert check().returncode == 0
