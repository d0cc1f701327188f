"""Browsing tools in Chromium: finder, map, compare. Expected sets come from the YAML."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from generator import build
from generator.finder_data import FINDER_FACETS
from generator.headline import HEADLINE_ROWS, NOT_REPORTED

@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global SITE, VIEWS
    SITE, VIEWS = prepared, prepared.schemes

pytestmark = pytest.mark.browser


def _open_finder(page, url):
    page.page.goto(url)
    page.page.wait_for_selector(".rrs-finder[data-ready=true]")


def _listed(page):
    return page.page.eval_on_selector_all(".rrs-finder-list li[data-slug]", "els => els.map(e => e.dataset.slug)")


def _expected(selected: dict[str, set[str]]):
    """Schemes matching every facet (any of the values within a facet)."""
    out = []
    for v in VIEWS:
        ok = True
        for key, _, _, values_of in FINDER_FACETS:
            if selected.get(key) and not (set(values_of(v)) & selected[key]):
                ok = False
        if ok:
            out.append(v["slug"])
    return out


def test_women_and_out_of_court_diversion(page, site_url):
    _open_finder(page, site_url + "/finder/")
    page.page.check("#" + page.page.locator('[data-facet="target_groups"] input[value="women"]').get_attribute("id"))
    page.page.check("#" + page.page.locator('[data-facet="intervention_types"] input[value="out-of-court-diversion"]').get_attribute("id"))
    expected = [v["slug"] for v in VIEWS if "women" in v["data"]["target_groups"] and "out-of-court-diversion" in v["data"]["intervention_types"]]
    assert expected, "the data should hold at least one such scheme"
    assert sorted(_listed(page)) == sorted(expected)
    query = parse_qs(urlparse(page.page.url).query)
    assert query["target_groups"] == ["women"] and query["intervention_types"] == ["out-of-court-diversion"]
    # reload restores the filter
    page.page.reload()
    page.page.wait_for_selector(".rrs-finder[data-ready=true]")
    assert sorted(_listed(page)) == sorted(expected)
    assert page.page.is_checked('[data-facet="target_groups"] input[value="women"]')
    # back goes to the previous filter state
    page.page.go_back()
    page.page.wait_for_function("() => !location.search.includes('intervention_types')")
    assert sorted(_listed(page)) == sorted(_expected({"target_groups": {"women"}}))
    assert page.foreign_requests(site_url) == []


def test_facet_counts_match_the_data(page, site_url):
    _open_finder(page, site_url + "/finder/?target_groups=women")
    selected = {"target_groups": {"women"}}
    counts = page.page.evaluate("""() => [...document.querySelectorAll('.rrs-facet-value input')].map(i => [
        i.closest('fieldset').dataset.facet, i.value, i.nextElementSibling.querySelector('.rrs-facet-count').textContent])""")
    assert counts
    for facet, value, shown in counts:
        trial = {k: set(v) for k, v in selected.items()}
        if facet in trial:
            other = {k: v for k, v in trial.items() if k != facet}
            expected = len(_expected({**other, facet: {value}}))
        else:
            expected = len(_expected({**trial, facet: {value}}))
        assert shown == f"({expected})", (facet, value)


def test_text_search_and_sort(page, site_url):
    view = VIEWS[len(VIEWS) // 2]
    word = max(re.findall(r"[A-Za-z]{6,}", view["title"]) or [view["title"]], key=len)
    _open_finder(page, site_url + "/finder/")
    page.page.fill("#finder-q", word)
    listed = _listed(page)
    assert view["slug"] in listed
    assert "q=" in page.page.url
    page.page.select_option("#finder-sort", "newest")
    assert "sort=newest" in page.page.url


def test_finder_data_is_loaded_once(page, site_url):
    _open_finder(page, site_url + "/finder/")
    for key in ("women", "prison-leavers", "women"):
        page.page.click(f'[data-facet="target_groups"] input[value="{key}"]')
    loads = [u for u in page.requests if u.endswith("/data/finder.json")]
    assert len(loads) == 1


def test_finder_without_javascript_lists_every_scheme(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto(site_url + "/finder/")
    slugs = p.eval_on_selector_all(".rrs-finder-list li[data-slug]", "els => els.map(e => e.dataset.slug)")
    assert sorted(slugs) == sorted(v["slug"] for v in VIEWS)
    context.close()


def test_add_to_compare_from_finder(page, site_url):
    _open_finder(page, site_url + "/finder/")
    buttons = page.page.locator(".rrs-compare-toggle")
    buttons.nth(0).click()
    buttons.nth(1).click()
    href = page.page.get_attribute("[data-compare-link]", "href")
    assert "schemes=" in href
    page.page.click("[data-compare-link]")
    page.page.wait_for_selector(".rrs-compare-table")
    assert page.page.locator(".rrs-compare-table thead th[data-slug]").count() == 2


def test_map_click_and_keyboard(page, site_url):
    force = max(SITE.by_force, key=lambda f: len(SITE.by_force[f]))
    page.page.goto(site_url + "/map/")
    page.page.click(f'a.rrs-tile[data-force="{force}"]')
    page.page.wait_for_url(f"**/forces/{force}/")
    assert SITE.vocab["forces"][force]["office"] in page.page.locator("article").inner_text()
    # keyboard: Tab through the page until the first tile has focus, then Enter
    page.page.goto(site_url + "/map/")
    first = page.page.locator("a.rrs-tile").first.get_attribute("data-force")
    for _ in range(200):
        page.page.keyboard.press("Tab")
        if page.page.evaluate("document.activeElement && document.activeElement.dataset && document.activeElement.dataset.force") == first:
            break
    else:
        pytest.fail("no map tile reached with Tab")
    page.page.keyboard.press("Enter")
    page.page.wait_for_url(f"**/forces/{first}/")
    assert page.foreign_requests(site_url) == []


def test_map_tiles_match_counts(page, site_url):
    page.page.goto(site_url + "/map/")
    labels = page.page.eval_on_selector_all("a.rrs-tile", "els => els.map(e => [e.dataset.force, e.getAttribute('aria-label')])")
    assert len(labels) == 43
    for slug, label in labels:
        n = len(SITE.by_force.get(slug, []))
        assert label.endswith(f" {n} scheme{'' if n == 1 else 's'}"), (slug, label)


def test_compare_shows_fields_in_columns(page, site_url):
    chosen = [VIEWS[0], VIEWS[1], VIEWS[2]]
    page.page.goto(site_url + "/compare/?schemes=" + ",".join(v["slug"] for v in chosen))
    page.page.wait_for_selector(".rrs-compare-table")
    heads = page.page.eval_on_selector_all(".rrs-compare-table thead th[data-slug]", "els => els.map(e => e.dataset.slug)")
    assert heads == [v["slug"] for v in chosen]
    rows = page.page.eval_on_selector_all(".rrs-compare-table tbody tr", "rs => rs.map(r => [...r.children].map(c => c.innerText))")
    by_field = {r[0]: r[1:] for r in rows}
    # the headline panel's rows come first (after the summary), in the panel's order
    labels = [r[0] for r in rows]
    assert labels[1:1 + len(HEADLINE_ROWS)] == [label for _, label in HEADLINE_ROWS]
    for i, v in enumerate(chosen):
        for f in v["forces"]:
            assert f["office"] in by_field["Force area and office"][i] and f["name"] in by_field["Force area and office"][i]
        for t in v["target_groups"]:
            assert t["name"] in by_field["Target groups"][i]
        assert v["status_name"] in by_field["Status"][i] and v["as_of_text"] in by_field["Status"][i]
        assert v["evidence_step"]["name"] in by_field["Evidence"][i]
        for o in v["organisations"]:
            assert o["name"] in by_field["Providers and partners"][i]
        for o in v["providers"]:
            assert o["name"] in by_field["Who delivers it"][i]
        if not v["providers"]:
            assert by_field["Who delivers it"][i] == NOT_REPORTED
        for f in v["funding"][:3]:
            assert f["amount_basis_text"] in by_field["Money"][i]
        if not v["funding"]:
            assert by_field["Money"][i] == NOT_REPORTED


def test_compare_unknown_slug_gives_a_message(page, site_url):
    page.page.goto(site_url + f"/compare/?schemes={VIEWS[0]['slug']},no-such-scheme")
    page.page.wait_for_selector(".rrs-compare-message")
    text = page.page.locator(".rrs-compare-messages").inner_text()
    assert "no-such-scheme" in text and "No scheme has the identifier" in text


def test_compare_chosen_on_the_page(page, site_url):
    page.page.goto(site_url + "/compare/")
    # the chooser is a labelled text box with a list of every scheme to pick from
    assert page.page.locator("label[for=compare-add]").inner_text() == "Add a scheme"
    options = page.page.eval_on_selector_all("#compare-options option", "os => os.map(o => [o.dataset.slug, o.value])")
    assert sorted(s for s, _ in options) == sorted(v["slug"] for v in VIEWS)
    label = dict(options)
    # picking an option's text adds it at once
    page.page.fill("#compare-add", label[VIEWS[3]["slug"]])
    page.page.wait_for_selector(f'.rrs-compare-table th[data-slug="{VIEWS[3]["slug"]}"]')
    # typing part of a title and pressing Enter adds the one scheme it names
    def unique(text):
        return sum(all(w in o.lower() for w in text.lower().split()) for o in label.values()) == 1
    slug4 = next(v["slug"] for v in VIEWS[4:] if unique(label[v["slug"]][:-1]))
    page.page.fill("#compare-add", label[slug4][:-1])
    page.page.press("#compare-add", "Enter")
    page.page.wait_for_selector(f'.rrs-compare-table th[data-slug="{slug4}"]')
    assert f"schemes={VIEWS[3]['slug']},{slug4}" in page.page.url
    # a text that names nothing says so
    page.page.fill("#compare-add", "zzzz no such scheme")
    page.page.press("#compare-add", "Enter")
    assert "No scheme matches" in page.page.locator(".rrs-compare-messages").inner_text()


def test_add_to_compare_on_scheme_page(page, site_url):
    for v in VIEWS[:2]:
        page.page.goto(site_url + f"/schemes/{v['slug']}/")
        page.page.click("[data-compare-add]")
    page.page.click(".rrs-compare-go")
    page.page.wait_for_selector(".rrs-compare-table")
    heads = page.page.eval_on_selector_all(".rrs-compare-table thead th[data-slug]", "els => els.map(e => e.dataset.slug)")
    assert heads == [v["slug"] for v in VIEWS[:2]]
