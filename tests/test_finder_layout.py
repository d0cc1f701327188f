"""The finder as a reader meets it, in Chromium at 1280x900 and on a 390x844 phone:
results beside the filters or first, the count as a heading, selected filters as
removable links, collapsible facets, a lenient address. Expected sets come from the YAML."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import axe_core


@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global SITE, VIEWS, N
    SITE, VIEWS, N = prepared, prepared.schemes, len(prepared.schemes)
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


def _schemes(n: int) -> str:
    return f"{n} scheme{'' if n == 1 else 's'}"


def _with(key: str, value: str) -> int:
    return sum(1 for v in VIEWS if value in v["data"][key])


@pytest.fixture
def open_finder(page):
    """Opens the finder at this address and screen size, in the test's page (conftest's `page`)."""
    def go(path: str = "/finder/", viewport=WIDE, base=None):
        p = page.page
        p.set_viewport_size(viewport)
        p.goto(base + path)
        p.wait_for_selector(".rrs-finder[data-ready=true]")
        return p
    return go


def _count(p) -> str:
    return p.locator("h2.rrs-finder-count").inner_text()


def test_wide_results_beside_filters_and_first_result_on_first_screen(open_finder, site_url):
    p = open_finder(viewport=WIDE, base=site_url)
    form = p.locator(".rrs-finder-form").bounding_box()
    results = p.locator(".rrs-finder-results").bounding_box()
    assert results["x"] >= form["x"] + form["width"], "the results should sit beside the filters"
    first = p.locator(".rrs-finder-list > li").first.bounding_box()
    assert first["y"] >= 0 and first["y"] + 40 <= WIDE["height"], first
    # the count is a heading inside a live region
    assert _count(p) == _schemes(N)
    assert p.evaluate("document.querySelector('h2.rrs-finder-count').closest('[aria-live]').getAttribute('aria-live')") == "polite"
    assert not p.locator(".rrs-finder-toggle").is_visible()
    assert p.locator("#finder-sort").is_visible()


def test_phone_results_first_and_filter_and_sort_opens_the_filters(open_finder, site_url):
    p = open_finder(viewport=PHONE, base=site_url)
    count = p.locator("h2.rrs-finder-count").bounding_box()
    assert count["y"] + count["height"] <= PHONE["height"], "the count should be on the first screen"
    first = p.locator(".rrs-finder-list > li").first.bounding_box()
    assert first["y"] + 40 <= count["y"] + PHONE["height"], "the first result should be within a screen of the count"
    women = p.locator('[data-facet="target_groups"] input[value="women"]')
    assert not women.is_visible()
    toggle = p.get_by_role("button", name="Filter and sort")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert women.is_visible() and p.locator("#finder-panel #finder-sort").is_visible()
    women.check()
    expected = _with("target_groups", "women")
    assert _count(p) == _schemes(expected)
    show = p.locator("[data-finder-show]")
    assert show.inner_text() == f"Show {_schemes(expected)}"
    show.click()
    assert not women.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert p.evaluate("document.activeElement.classList.contains('rrs-finder-count')")
    assert "(1 on)" in toggle.inner_text()
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_selected_filters_are_removable_links_and_clear_all_restores_everything(open_finder, site_url):
    p = open_finder(viewport=WIDE, base=site_url)
    assert not p.locator(".rrs-finder-selected").is_visible()
    p.locator('[data-facet="target_groups"] input[value="women"]').check()
    women = _with("target_groups", "women")
    assert _count(p) == _schemes(women)
    link = p.locator(".rrs-finder-selected a", has_text="Women")
    assert link.is_visible()
    assert p.evaluate("[...document.querySelectorAll('.rrs-finder-selected a.rrs-tag--remove')].map(a => a.textContent)") == ["Remove filter: Women\u00d7"]
    assert "target_groups" not in parse_qs(urlparse(link.get_attribute("href")).query)
    assert p.locator('[data-facet-section="target_groups"] .rrs-facet-selected').inner_text() == "1 selected"
    link.click()
    assert _count(p) == _schemes(N)
    assert not p.is_checked('[data-facet="target_groups"] input[value="women"]')
    assert "target_groups" not in p.url
    assert not p.locator(".rrs-finder-selected").is_visible()
    # two filters and a search, then "Clear all filters"
    p.locator('[data-facet="target_groups"] input[value="women"]').check()
    p.locator('[data-facet="intervention_types"] input').first.check()
    p.fill("#finder-q", "a")
    assert p.locator(".rrs-finder-selected a.rrs-tag--remove").count() == 3
    p.get_by_role("link", name="Clear all filters").click()
    assert _count(p) == _schemes(N)
    assert urlparse(p.url).query == "" and p.input_value("#finder-q") == ""
    assert p.locator(".rrs-finder-form input:checked").count() == 0


def test_removing_a_filter_by_keyboard(open_finder, site_url):
    p = open_finder("/finder/?target_groups=women,prison-leavers", viewport=WIDE, base=site_url)
    links = p.locator(".rrs-finder-selected a.rrs-tag--remove")
    assert links.count() == 2
    links.first.focus()
    p.keyboard.press("Enter")
    assert links.count() == 1
    # focus moves to the next filter's link, so Enter again removes that one too
    assert p.evaluate("document.activeElement.classList.contains('rrs-tag--remove')")
    p.keyboard.press("Enter")
    assert _count(p) == _schemes(N)
    assert p.evaluate("document.activeElement.classList.contains('rrs-finder-count')")
    # a closed facet opens with the keyboard, and a value ticks with Space
    summary = p.locator('[data-facet-section="stages"] summary')
    summary.focus()
    p.keyboard.press("Enter")
    assert p.locator('[data-facet-section="stages"]').get_attribute("open") is not None
    p.keyboard.press("Tab")
    p.keyboard.press("Space")
    assert p.locator('[data-facet-section="stages"] .rrs-facet-selected').inner_text() == "1 selected"


def test_target_group_in_the_address_filters(open_finder, site_url):
    p = open_finder("/finder/?target_group=women", viewport=WIDE, base=site_url)
    expected = sorted(v["slug"] for v in VIEWS if "women" in v["data"]["target_groups"])
    assert expected
    assert _count(p) == _schemes(len(expected))
    listed = p.eval_on_selector_all(".rrs-finder-list li[data-slug]", "els => els.map(e => e.dataset.slug)")
    assert sorted(listed) == expected
    assert p.is_checked('[data-facet="target_groups"] input[value="women"]')
    assert parse_qs(urlparse(p.url).query) == {"target_groups": ["women"]}  # rewritten as the finder writes it
    assert not p.locator(".rrs-finder-notice").is_visible()


def test_unknown_or_misspelt_parameters_are_shown_as_a_notice(open_finder, site_url):
    p = open_finder("/finder/?colour=blue&traget_groups=women", viewport=WIDE, base=site_url)
    notice = p.locator(".rrs-finder-notice")
    assert notice.is_visible()
    text = notice.inner_text()
    assert "\u201ccolour=blue\u201d is not a filter on this page" in text
    assert "\u201ctraget_groups\u201d was read as \u201cTarget group\u201d" in text
    assert _count(p) == _schemes(_with("target_groups", "women"))
    p2 = open_finder("/finder/?forces=atlantis", viewport=WIDE, base=site_url)
    assert "nothing is called \u201catlantis\u201d" in p2.locator(".rrs-finder-notice").inner_text()
    assert _count(p2) == _schemes(N)


def test_long_facets_have_a_type_to_filter_box(open_finder, site_url):
    p = open_finder(viewport=WIDE, base=site_url)
    p.locator('[data-facet-section="forces"] summary').click()
    p.get_by_label("Find a force area").fill("york")
    visible = p.eval_on_selector_all('[data-facet="forces"] .rrs-facet-value', "rs => rs.filter(r => !r.hidden).map(r => r.querySelector('input').value)")
    expected = sorted(slug for slug, f in SITE.vocab["forces"].items() if "york" in f["name"].lower())
    assert sorted(visible) == expected and expected
    p.get_by_label("Find a force area").fill("zzzz")
    assert p.locator('[data-facet="forces"] .rrs-facet-nomatch').is_visible()
    assert p.locator('[data-facet-section="providers"] input[data-facet-filter]').count() == 1


def test_sorting_and_address_are_kept(open_finder, site_url):
    p = open_finder("/finder/?sort=newest&stages=" + VIEWS[0]["data"]["stages"][0], viewport=WIDE, base=site_url)
    assert p.input_value("#finder-sort") == "newest"
    p.select_option("#finder-sort", "funding")
    assert "sort=funding" in p.url and "stages=" in p.url
    p.go_back()
    p.wait_for_function("() => location.search.includes('sort=newest')")
    assert p.input_value("#finder-sort") == "newest"


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_no_axe_violations_with_filters_selected_and_a_notice(open_finder, site_url, viewport):
    p = open_finder("/finder/?target_groups=women&force=kent&colour=blue", viewport=viewport, base=site_url)
    if viewport is PHONE:
        p.get_by_role("button", name="Filter and sort").click()
    p.locator('[data-facet-section="forces"] summary').click()
    violations = axe_core.violations(p)
    assert violations == [], axe_core.report(violations)


def test_without_javascript_the_count_and_every_scheme_are_shown(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    p = context.new_page()
    p.goto(site_url + "/finder/")
    assert p.locator("h2.rrs-finder-count").inner_text() == _schemes(N)
    assert p.locator(".rrs-finder-list li[data-slug]").count() == N
    assert not p.locator(".rrs-finder-form").is_visible()
    context.close()
