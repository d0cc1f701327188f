"""In headless Chromium: the site search finds a scheme by its provider's name.

The search box is Material's; its answers come from the Pagefind index through
docs/assets/javascripts/search-worker.js (tests/test_search.py tests ranking,
snippets and speed).
"""
from __future__ import annotations

from collections import Counter

import pytest

from conftest import material_search

from generator.loader import load_all

@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global LOADER, SCHEMES, VOCAB
    LOADER, SCHEMES, VOCAB = register.loader, register.schemes, register.vocab


def _provider_with_one_scheme():
    """A delivering organisation named by exactly one scheme, chosen from the data."""
    named = Counter(o["organisation"] for s in SCHEMES for o in s.data.get("organisations", []))
    for s in SCHEMES:
        for o in s.data.get("organisations", []):
            name = VOCAB.label("organisations", o["organisation"])
            if o["role"] == "delivers" and named[o["organisation"]] == 1 and len(name.split()) >= 2:
                return s, name
    raise AssertionError("no provider named by a single scheme")


@pytest.mark.browser
def test_search_by_provider_reaches_the_scheme_page(page, site_url):
    scheme, provider = _provider_with_one_scheme()
    p = page.page
    p.goto(site_url + "/")
    material_search(p, provider)
    result = p.locator(f'.md-search-result__link[href*="schemes/{scheme.slug}/"]').first
    result.wait_for(state="visible", timeout=15000)
    result.click()
    p.wait_for_url(f"**/schemes/{scheme.slug}/**")
    body = p.locator("article").inner_text()
    d = scheme.data
    assert d["title"] in p.locator("h1").inner_text()
    for f in d["forces"]:
        assert VOCAB["forces"][f]["name"] in body
    assert provider in body
    for t in d["target_groups"]:
        assert VOCAB.label("target_groups", t) in body
    for o in d.get("outcomes", []):
        assert o["measure"] in body

    # a target-group link leads to a tag page that lists this scheme
    first_group = d["target_groups"][0]
    p.locator(f'.rrs-target-groups a[href$="tags/{first_group}/"]').click()
    p.wait_for_url(f"**/tags/{first_group}/")
    assert p.locator(f'article a[href$="schemes/{scheme.slug}/"]').count() >= 1

    # an intervention-type link too (the generator's tag pages are the only tag pages: no Material tags plugin)
    p.goto(f"{site_url}/schemes/{scheme.slug}/")
    first_type = d["intervention_types"][0]
    p.locator(f'.rrs-intervention-types a[href$="tags/{first_type}/"]').click()
    p.wait_for_url(f"**/tags/{first_type}/")
    assert p.locator(f'article a[href*="schemes/{scheme.slug}/"]').count() >= 1
    assert p.locator("a.md-tag").count() == 0
    assert page.foreign_requests(site_url) == []
