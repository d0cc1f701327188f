"""The speed tricks (generator/fast_jinja.py) change nothing a reader sees: same bytes as stock Jinja."""
from __future__ import annotations

import markupsafe
import pytest

from bench import synthetic
from generator import build, pages
from generator.render import Renderer


def _compare(site) -> int:
    fast, stock = Renderer(fast=True), Renderer(fast=False)
    declared = pages.declare(site)
    templated = [p for p in declared if p.template]
    assert len(templated) > 3 * len(site.schemes) // 2  # every scheme page and card, and the site's pages
    different = [p.path for p in templated if fast.render(p) != stock.render(p)]
    assert different == []
    return len(templated)


def test_every_page_of_the_register_renders_the_same_with_stock_jinja(prepared):
    assert _compare(prepared) > 100


@pytest.mark.parametrize("n", [300])
def test_every_page_of_a_synthetic_register_renders_the_same_with_stock_jinja(tmp_path, n):
    synthetic.write_corpus(n, tmp_path)
    site = build.prepare(build.load(tmp_path), build.Settings())
    assert len(site.schemes) == n
    _compare(site)


def test_stock_jinja_escapes_hostile_text_the_same_way():
    """A value with every character HTML cares about comes out escaped once, in MarkupSafe's spelling."""
    for fast in (True, False):
        env = Renderer(fast=fast).env
        out = env.from_string("{{ v }}|{{ m }}|{{ n }}").render(v="<b a='1' b=\"2\">&</b>", m=markupsafe.Markup("<i>x</i>"), n=3)
        assert out == "&lt;b a=&#39;1&#39; b=&#34;2&#34;&gt;&amp;&lt;/b&gt;|<i>x</i>|3"
