"""Hostile but valid input builds, and every page shows it as literal text.

The fixture tests/hostile/hostile-scheme.yaml carries script tags, event
handlers, javascript: links, off-site images, HTML comments, template syntax
and a very long unbroken string in every text field.
"""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import ROOT, load, material_search, settle

HOSTILE = ROOT / "tests" / "hostile" / "hostile-scheme.yaml"
DATA = yaml.safe_load(HOSTILE.read_text(encoding="utf-8"))
PAGES = [
    "/schemes/hostile-scheme/", "/schemes/", "/forces/durham/", "/forces/dorset/",
    "/tags/women/", "/tags/restorative-justice/", "/", "/tags/",
    "/schemes/hostile-scheme/card/", "/providers/remedi/", "/providers/", "/finder/",
    "/finder/?q=Hostile", "/compare/?schemes=hostile-scheme,minimal-scheme", "/map/",
]


@pytest.fixture(scope="module")
def hostile_site(fixture_site, fixture_url):
    """The hostile entry (with the minimal one) is in the session's fixture site (conftest)."""
    return fixture_site.site, fixture_url


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


INJECTED = """() => ({
  // JSON-LD is a data block, never run (generator/structured_data.py): the title is in it as escaped JSON text
  scripts: [...document.scripts].filter(s => s.type !== 'application/ld+json' && /alert\\(/.test(s.textContent)).length,
  ldOpen: [...document.scripts].filter(s => s.type === 'application/ld+json' && /[<>]/.test(s.textContent)).length,
  imgs: document.querySelectorAll('img[src="x"], img[src*="evil.example"]').length,
  iframes: document.querySelectorAll('iframe').length,
  svgs: document.querySelectorAll('svg[onload]').length,
  jslinks: document.querySelectorAll('a[href^="javascript:"]').length,
  evil: document.querySelectorAll('a[href*="evil.example"], [style*="display:none"]').length,
  bold: document.querySelectorAll('article b, article i').length,
  handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
})"""


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_no_script_runs_and_no_element_is_injected(hostile_site, page, path):
    _, url = hostile_site
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    load(page, url + path)
    if path.startswith("/compare/"):
        page.page.wait_for_selector(".rrs-compare-table")
    if path.startswith("/finder/"):
        page.page.wait_for_selector(".rrs-finder[data-ready=true]")
        assert "hostile-scheme" in page.page.eval_on_selector_all(".rrs-finder-list li", "els => els.map(e => e.dataset.slug)")
    assert dialogs == []
    found = page.page.evaluate(INJECTED)
    assert found == {k: 0 for k in found}, found
    assert page.foreign_requests(url) == []


@pytest.mark.browser
def test_scheme_page_shows_every_hostile_string_as_text(hostile_site, page):
    _, url = hostile_site
    page.page.goto(url + "/schemes/hostile-scheme/")
    text = page.page.locator("article").inner_text()
    flat = " ".join(text.split())
    for value in _strings(DATA):
        if value in DATA["forces"] + DATA["target_groups"] + DATA["intervention_types"] + DATA["stages"] or \
                value in (DATA["status"], DATA["slug"], DATA["organisations"][0]["organisation"], DATA["organisations"][0]["role"],
                          DATA["funding"][0]["funder"], DATA["funding"][0]["recipient"], DATA["outcomes"][0]["evidence"],
                          DATA["outcomes"][0]["unit"], DATA["outcomes"][0]["kind"], DATA["funding"][0]["basis"],
                          DATA["sources"][0]["document"]) or \
                value[:4].isdigit():
            continue
        for paragraph in value.split("\n\n"):
            assert " ".join(paragraph.split()) in flat, paragraph
    assert page.page.title().startswith('"><script>alert(1)</script> Hostile {{ 7*7 }}')
    assert "49" not in flat.replace("12,345.5", "")


@pytest.mark.browser
def test_search_results_show_hostile_text_as_text(hostile_site, page):
    _, url = hostile_site
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.page.goto(url + "/")
    material_search(page.page, "Hostile")
    settle(page)  # every result's fetches ended, none started since
    page.page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert dialogs == []
    assert page.page.evaluate(INJECTED)["imgs"] == 0
    assert page.page.evaluate("document.querySelectorAll('.md-search-result script, .md-search-result img, .md-search-result b').length") == 0


def test_head_metadata_is_escaped(hostile_site):
    dest, _ = hostile_site
    head = (dest / "schemes" / "hostile-scheme" / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert "<script>alert" not in head
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in head
    assert '<meta name="description" content="&quot;&gt;&lt;script&gt;' in head


def test_downloads_and_feed_carry_the_text_verbatim(hostile_site):
    dest, _ = hostile_site
    data = json.loads((dest / "data" / "schemes.json").read_text(encoding="utf-8"))
    record = next(s for s in data["schemes"] if s["slug"] == "hostile-scheme")
    for key in ("title", "summary", "description", "eligibility"):
        assert record[key] == DATA[key]
    rows = list(csv.DictReader(io.StringIO((dest / "data" / "schemes.csv").read_bytes().decode("utf-8-sig"))))
    row = next(r for r in rows if r["slug"] == "hostile-scheme")
    assert row["title"] == DATA["title"]
    assert row["description"] == DATA["description"].strip()
    # a formula-looking cell is neutralised, not lost
    assert "=HYPERLINK" in row["funding"]
    feed = ET.parse(dest / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert DATA["title"] in titles


def test_embed_code_escapes_the_title_for_the_partner_page(hostile_site):
    dest, _ = hostile_site
    page = (dest / "schemes" / "hostile-scheme" / "index.html").read_text(encoding="utf-8")
    code = page.split('id="embed-hostile-scheme">')[1].split("</code>")[0]
    import html as _html
    copied = _html.unescape(code)  # what a reader copies
    assert copied.startswith('<iframe src="')
    assert 'title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;' in copied
    assert "<script>" not in copied


def test_every_template_value_is_escaped_once_and_markup_passes_through():
    """Each {{ value }} is written by the renderer's own output step (generator/fast_jinja.py), not Jinja's."""
    import jinja2
    from markupsafe import Markup

    from generator.render import make_environment

    env = make_environment()
    template = env.from_string('{{ text }}|{{ safe }}|{{ number }}|<p title="{{ text }}">{{ lines }}</p>')
    out = template.render(text="<script>alert('x')</script> & \"q\"", safe=Markup("<em>kept</em>"),
                          number=3, lines="one\n\n\ntwo")
    assert out == ("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;q&#34;|<em>kept</em>|3|"
                   '<p title="&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;q&#34;">one\ntwo</p>')
    # macro output is markup: escaped inside the macro, not a second time outside it
    macro = env.from_string('{% macro m(v) %}<b>{{ v }}</b>{% endmacro %}{{ m("<i>") }}')
    assert macro.render() == "<b>&lt;i&gt;</b>"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/schemes/hostile-scheme/", "/schemes/", "/forces/durham/", "/providers/remedi/"])
def test_a_very_long_unbroken_string_stays_inside_a_phone_screen(hostile_site, page, path):
    """Long words break when nothing else fits (overflow-wrap: break-word); a table too wide scrolls in its own box."""
    _, url = hostile_site
    p = page.page
    p.set_viewport_size({"width": 390, "height": 844})
    p.goto(url + path)
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
