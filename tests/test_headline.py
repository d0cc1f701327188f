"""The headline panel on every scheme page, the results tables at every width, and the
compare page's table: expected values come from the YAML through the views."""
from __future__ import annotations

import html
import re

import pytest
import axe_core
from conftest import load

from generator.headline import HEADLINE_ROWS, NOT_REPORTED

@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global SITE, VIEWS, BY_SLUG
    SITE, VIEWS = prepared, prepared.schemes
    BY_SLUG = {v["slug"]: v for v in VIEWS}
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


def _text(fragment: str) -> str:
    fragment = re.sub(r"<br>|</?(span|strong) class=\"rrs-summary-note\">", " ", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _rows(page: str) -> list[tuple[str, str, str]]:
    """(key, label, value as HTML) of each row of the headline panel, in order."""
    panel = page[page.index('<section class="rrs-headline"'):]
    panel = panel[:panel.index("</section>")]
    return re.findall(r'<div class="rrs-summary-row" data-row="([a-z]+)">\s*<dt class="rrs-summary-key">(.*?)</dt>\s*'
                      r'<dd class="rrs-summary-value">(.*?)</dd>', panel, re.S)


def test_every_scheme_page_has_the_headline_panel(built_site):
    for v in VIEWS:
        page = (built_site / "schemes" / v["slug"] / "index.html").read_text(encoding="utf-8")
        assert page.count('<section class="rrs-headline"') == 1, v["slug"]
        # the panel comes before the first section of the page
        assert page.index('class="rrs-headline"') < page.index('id="who-runs-it"'), v["slug"]
        rows = _rows(page)
        assert [(k, label) for k, label, _ in rows] == HEADLINE_ROWS, v["slug"]
        value = {k: _text(cell) for k, _, cell in rows}
        missing = {k for k, _, cell in rows if 'class="rrs-not-reported"' in cell}
        for k in value:
            assert value[k], (v["slug"], k)  # every item says something: a value or "not reported"
            if k in missing:
                assert value[k] == NOT_REPORTED, (v["slug"], k)
        # status with the date of the information, and a passed end said plainly
        assert f"{v['status_name']} as of {v['as_of_text']}" in value["status"], v["slug"]
        assert ("Status not confirmed" in value["status"]) == v["end_passed"], v["slug"]
        # force area and office
        for f in v["forces"]:
            assert f"{f['name']}: {f['office']}" in value["area"], v["slug"]
        assert "area" not in missing and "status" not in missing and "evidence" not in missing
        # who delivers it
        assert ("delivers" in missing) == (not v["providers"]), v["slug"]
        for o in v["providers"]:
            assert o["name"] in value["delivers"], v["slug"]
        # money with its basis
        assert ("money" in missing) == (not v["funding"]), v["slug"]
        for f in v["funding"][:3]:
            assert f["amount_basis_text"] in value["money"], v["slug"]
        if v["funding_total"] or v["funding_per_year"]:
            assert f"Counted once in totals: {v['funding_total_text']}" in value["money"], v["slug"]
        # the evidence step on a visible scale, linked to the ladder
        step = v["evidence_step"]
        cell = dict((k, c) for k, _, c in rows)["evidence"]
        assert f'href="../../about/evidence/#{step["slug"]}"' in cell, v["slug"]
        assert cell.count('class="rrs-scale-step') == 5 and cell.count("rrs-scale-step--on") == step["rank"], v["slug"]
        assert f"Step {step['rank']} of 5" in value["evidence"], v["slug"]
        # the headline result: a reoffending result first, else the first result
        assert ("result" in missing) == (not v["results"]), v["slug"]
        if v["results"]:
            lead = (v["reoffending"] or v["results"])[0]
            assert " ".join(lead["measure"].split()) in value["result"] and lead["figure"] in value["result"], v["slug"]


def test_a_scheme_without_providers_money_or_results_says_so(built_site):
    bare = [v for v in VIEWS if not v["providers"] and not v["funding"] and not v["results"]]
    assert bare, "the register should hold an entry with none of these"
    page = (built_site / "schemes" / bare[0]["slug"] / "index.html").read_text(encoding="utf-8")
    value = {k: _text(cell) for k, _, cell in _rows(page)}
    assert value["delivers"] == value["money"] == value["result"] == NOT_REPORTED


@pytest.mark.browser
def test_results_tables_read_well_at_every_width(page, site_url):
    slug = max(VIEWS, key=lambda v: (len(v["results"]) + len(v["activity"]), len(v["funding"])))["slug"]
    p = page.page
    p.set_viewport_size(WIDE)
    p.goto(site_url + f"/schemes/{slug}/")
    # wide: no column squeezed to a word a line, and the tables fit the page
    widths = p.eval_on_selector_all(".rrs-outcomes td, .rrs-funding td",
                                    "cs => cs.map(c => [c.getBoundingClientRect().width, c.innerText.trim()])")
    assert widths
    for width, text in widths:
        longest = max((len(w) for w in text.split()), default=0)
        assert width >= min(90, longest * 6), (width, text)
    assert p.evaluate("[...document.querySelectorAll('.rrs-outcomes, .rrs-funding')].every(w => w.scrollWidth <= w.clientWidth + 1)")
    # phone: each row a block, each cell labelled, nothing wider than the screen
    p.set_viewport_size(PHONE)
    p.goto(site_url + f"/schemes/{slug}/")
    assert p.evaluate("getComputedStyle(document.querySelector('.rrs-results tbody tr')).display") == "block"
    labels = p.eval_on_selector_all(".rrs-results td[data-label]", "cs => cs.map(c => getComputedStyle(c, '::before').content)")
    assert labels and all(label not in ("none", "normal", "") for label in labels), labels
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_scheme_page_has_no_axe_violations(page, site_url, viewport):
    slug = next(v["slug"] for v in VIEWS if v["reoffending"] and v["funding"])
    p = page.page
    p.set_viewport_size(viewport)
    load(page, site_url + f"/schemes/{slug}/")
    violations = axe_core.violations(p)
    assert violations == [], axe_core.report(violations)


# ---- compare ---------------------------------------------------------------------------

def _compare(page, site_url, viewport, slugs):
    p = page.page
    p.set_viewport_size(viewport)
    p.goto(site_url + "/compare/?schemes=" + ",".join(slugs))
    p.wait_for_selector(".rrs-compare-table")
    return p


@pytest.mark.browser
def test_compare_table_has_row_headers_and_a_rule_per_row(page, site_url):
    slugs = [v["slug"] for v in VIEWS[:4]]
    p = _compare(page, site_url, WIDE, slugs)
    rows = p.evaluate("""() => [...document.querySelectorAll('.rrs-compare-table tbody tr')].map(r => ({
        first: r.children[0].tagName + ':' + r.children[0].getAttribute('scope'),
        cells: r.children.length,
        rules: [...r.children].map(c => { const s = getComputedStyle(c); return parseFloat(s.borderBottomWidth) >= 1 && s.borderBottomStyle !== 'none'; }),
        label: r.children[0].innerText.trim(),
    }))""")
    assert len(rows) >= len(HEADLINE_ROWS) + 3
    for row in rows:
        assert row["first"] == "TH:row", row
        assert row["cells"] == 1 + len(slugs), row
        assert all(row["rules"]), row
    # one column per scheme, the panel's rows in the panel's order, then the results
    labels = [r["label"] for r in rows]
    assert labels[1:1 + len(HEADLINE_ROWS)] == [label for _, label in HEADLINE_ROWS]
    assert labels[1 + len(HEADLINE_ROWS):4 + len(HEADLINE_ROWS)] == ["Reoffending result", "Other results", "Activity"]
    assert p.eval_on_selector_all(".rrs-compare-table thead th[scope=col]", "hs => hs.map(h => h.dataset.slug)") == slugs
    # a scheme with nothing for a row says so
    for i, slug in enumerate(slugs):
        v = BY_SLUG[slug]
        cell = p.locator(f".rrs-compare-table tbody tr[data-row=delivers] td >> nth={i}").inner_text()
        assert cell == NOT_REPORTED if not v["providers"] else v["providers"][0]["name"] in cell


@pytest.mark.browser
def test_compare_first_column_stays_when_scrolling_sideways(page, site_url):
    p = _compare(page, site_url, PHONE, [v["slug"] for v in VIEWS[:4]])
    wrap = p.locator(".rrs-compare-wrap")
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
    assert p.evaluate("(() => { const w = document.querySelector('.rrs-compare-wrap'); return w.scrollWidth > w.clientWidth; })()")
    before = p.locator(".rrs-compare-table tbody th[scope=row]").first.bounding_box()["x"]
    p.evaluate("document.querySelector('.rrs-compare-wrap').scrollLeft = 300")
    p.wait_for_function("document.querySelector('.rrs-compare-wrap').scrollLeft > 0")
    p.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")  # painted
    after = p.locator(".rrs-compare-table tbody th[scope=row]").first.bounding_box()["x"]
    assert abs(after - before) < 1
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    violations = axe_core.violations(p)
    assert violations == [], axe_core.report(violations)


@pytest.mark.browser
def test_compare_print_layout(page, site_url):
    p = _compare(page, site_url, WIDE, [v["slug"] for v in VIEWS[:3]])
    p.emulate_media(media="print")
    assert not p.locator(".rrs-compare-form").is_visible()
    assert not p.locator(".md-sidebar--primary").is_visible()
    assert p.evaluate("getComputedStyle(document.querySelector('.rrs-compare-table tbody th')).position") == "static"
    assert p.evaluate("getComputedStyle(document.querySelector('.rrs-compare-wrap')).overflowX") == "visible"
    assert p.evaluate("getComputedStyle(document.body).page") == "rrs-landscape"
    pdf = p.pdf(prefer_css_page_size=True)
    assert pdf[:4] == b"%PDF"
