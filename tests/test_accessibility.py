"""Accessibility: axe-core in Chromium, WCAG 2.2 A and AA rules, zero violations.

Prints a short report per page (run pytest with -s to see it, or read the
captured output of a failure). Also checks one h1, lang="en-GB", a skip link
and a visible focus indicator.
"""
from __future__ import annotations

import pytest
import axe_core
from conftest import load

# {scheme}, {force}, {tag}, {second}: the register's first entry, its force and first target group, the second entry
PAGES = [
    "/", "/schemes/{scheme}/", "/schemes/", "/finder/", "/finder/?target_groups=women", "/map/",
    "/forces/{force}/", "/forces/", "/tags/{tag}/", "/tags/",
    "/compare/?schemes={scheme},{second}", "/about/", "/about/data/", "/about/evidence/",
]

pytestmark = pytest.mark.browser


def _path(register, pattern: str) -> str:
    first, second = register.schemes[:2]
    return pattern.format(scheme=first.slug, force=first.data["forces"][0], tag=first.data["target_groups"][0],
                          second=second.slug)


@pytest.mark.parametrize("pattern", PAGES)
def test_axe_finds_no_wcag_violations(page, site_url, register, pattern):
    path = _path(register, pattern)
    p = page.page
    load(page, site_url + path)
    if path.startswith("/compare/"):
        p.wait_for_selector(".rrs-compare-table")
    violations = axe_core.violations(p)
    report = axe_core.report(violations)
    print(f"\naxe {path}: {len(violations)} violation(s)" + "".join("\n  " + r for r in report))
    assert violations == [], "\n".join(report)


@pytest.mark.parametrize("pattern", PAGES)
def test_page_structure(page, site_url, register, pattern):
    path = _path(register, pattern)
    p = page.page
    p.goto(site_url + path)
    assert p.locator("h1").count() == 1
    assert p.get_attribute("html", "lang") == "en-GB"
    skip = p.locator("a.md-skip")
    assert skip.count() == 1
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.classList.contains('md-skip')")
    outline = p.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth")
    assert not outline.startswith("none"), outline
