"""The browser tests share one page per process: after each test it is left as a new page would be
(conftest._reset), whatever the test changed, so no test sees another's stored data, screen or media."""
from __future__ import annotations

import pytest

from conftest import DEFAULT_VIEWPORT, _reset, load

pytestmark = pytest.mark.browser


def test_a_page_is_left_as_new_whatever_the_test_changed(page, site_url):
    p = page.page
    other = site_url.replace("127.0.0.1", "localhost")  # the same server at a second origin
    assert other != site_url
    load(page, other + "/about/")
    p.evaluate("() => { localStorage.setItem('rrs-compare', '[\"a\"]'); sessionStorage.setItem('k', 'v'); }")
    load(page, site_url + "/about/")
    p.evaluate("() => { localStorage.setItem('rrs-compare', '[\"b\"]'); sessionStorage.setItem('k', 'v'); }")
    p.context.add_cookies([{"name": "c", "value": "1", "url": site_url}])
    p.set_viewport_size({"width": 390, "height": 844})
    p.emulate_media(media="print")
    p.route("**/*.css", lambda route: route.abort())
    seen = []
    page.on("console", lambda message: seen.append(message.text))

    _reset(page)

    assert p.url == "about:blank"
    assert p.viewport_size == DEFAULT_VIEWPORT
    assert p.context.cookies() == []
    load(page, site_url + "/about/")
    assert p.evaluate("matchMedia('print').matches") is False
    assert p.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
    # the stylesheets load again: the route that aborted them is gone
    assert p.evaluate("[...document.styleSheets].every(s => s.cssRules.length > 0)")
    p.evaluate("console.log('after')")
    assert seen == []  # the test's handler is gone with it
    load(page, other + "/about/")
    assert p.evaluate("localStorage.length") == 0  # (a tab's sessionStorage is cleared for the origin it was on)
