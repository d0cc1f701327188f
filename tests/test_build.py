"""The build: `mkdocs build --strict` on the real repo, and every page holds what its YAML holds."""
from __future__ import annotations

import gzip
import html
import json
import pathlib
import re

import pytest

from conftest import ROOT, build_site, scheme_slugs
from generator.formatting import format_figure, format_money


def _text(path: pathlib.Path) -> str:
    """Page text with tags removed and entities decoded, whitespace collapsed."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<script.*?</script>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def test_real_schemes_have_no_problems(register):
    assert [str(p) for p in register.problems] == []
    assert len(register.schemes) == len(list((ROOT / "schemes").glob("*.yaml")))


def test_strict_build_has_no_warnings(site_build):
    assert site_build.returncode == 0, site_build.output[-4000:]
    assert "WARNING" not in site_build.output, site_build.output


def test_every_scheme_has_its_page(built_site, register):
    for s in register.schemes:
        assert (built_site / "schemes" / s.slug / "index.html").is_file(), s.slug


@pytest.mark.parametrize("slug", scheme_slugs())
def test_scheme_page_holds_what_the_yaml_holds(built_site, register, slug):
    scheme = register.scheme(slug)
    VOCAB = register.vocab
    d = scheme.data
    text = _text(built_site / "schemes" / scheme.slug / "index.html")
    expected = [d["title"], d["summary"]]
    expected += [p for p in d["description"].split("\n\n")]
    expected += [VOCAB["forces"][f]["name"] for f in d["forces"]]
    expected += [VOCAB["forces"][f]["office"] for f in d["forces"]]
    expected += [VOCAB.label("organisations", o["organisation"]) for o in d.get("organisations", [])]
    expected += [o["note"] for o in d.get("organisations", []) if "note" in o]
    expected += [VOCAB.label("target_groups", t) for t in d["target_groups"]]
    expected += [VOCAB.label("intervention_types", t) for t in d["intervention_types"]]
    expected += [VOCAB.label("stages", t) for t in d["stages"]]
    expected += [VOCAB.label("statuses", d["status"])]
    expected += d.get("places", [])
    if "eligibility" in d:
        expected.append(d["eligibility"])
    for f in d.get("funding", []):
        expected += [format_money(f["amount"], f.get("qualifier")), f["purpose"]]
    for o in d.get("outcomes", []):
        expected += [o["measure"], format_figure(o, VOCAB["units"]), VOCAB.label("evidence_kinds", o["evidence"])]
        expected += [o[k] for k in ("caveat", "cohort_description") if k in o]
    expected += [v for v in d.get("contact", {}).values()]
    expected += [s["document"] for s in d["sources"]] + [s["section"] for s in d["sources"] if "section" in s]
    for value in expected:
        assert _norm(str(value)) in text, f"{scheme.slug}: {value!r} not on the page"


def test_schemes_index_lists_every_scheme(built_site, register):
    page = (built_site / "schemes" / "index.html").read_text(encoding="utf-8")
    for s in register.schemes:
        assert f'href="../schemes/{s.slug}/"' in page, s.slug


def test_force_pages_list_their_schemes(built_site, register):
    for s in register.schemes:
        for force in s.data["forces"]:
            page = (built_site / "forces" / force / "index.html").read_text(encoding="utf-8")
            assert f'href="../../schemes/{s.slug}/"' in page


def test_forces_index_lists_all_43(built_site, register):
    VOCAB = register.vocab
    text = _text(built_site / "forces" / "index.html")
    assert len(VOCAB["forces"]) == 43
    for f in VOCAB["forces"].values():
        assert f["name"] in text and f["office"] in text


def test_force_pages_name_the_office_once(built_site, register):
    """"Derbyshire Police and Crime Commissioner", not "... (Police and Crime Commissioner (PCC))";
    a mayor's office says the mayor holds the commissioner's powers."""
    VOCAB = register.vocab
    mayors = 0
    for slug, f in VOCAB["forces"].items():
        text = _text(built_site / "forces" / slug / "index.html")
        title = VOCAB.label("office_titles", f["office_title"])
        assert f["office"] in text, slug
        if title.split(" (")[0].lower() in f["office"].lower():
            assert f"{f['office']} ({title})" not in text, slug
        else:
            mayors += f["office_title"] == "mayor"
            assert f"{f['office']} ({title})" in text, slug
    assert mayors == 5  # Greater Manchester, London, North Yorkshire, South Yorkshire, West Yorkshire


def test_tag_pages_list_their_schemes(built_site, register):
    for s in register.schemes:
        for slug in s.data["target_groups"] + s.data["intervention_types"]:
            page = (built_site / "tags" / slug / "index.html").read_text(encoding="utf-8")
            assert f'href="../../schemes/{s.slug}/"' in page, (slug, s.slug)


def test_tags_on_scheme_pages_link_the_generators_tag_pages(built_site, register):
    """One source of tag pages: the generator's /tags/<value>/ (Material's tags plugin is off: no chips
    pointing at a second index, no tags.json)."""
    s = register.schemes[0]
    page = (built_site / "schemes" / s.slug / "index.html").read_text(encoding="utf-8")
    for t in s.data["target_groups"]:
        label = html.escape(register.vocab.label("target_groups", t), quote=False)
        assert f'<a href="../../tags/{t}/">{label}</a>' in page
    assert 'class="md-tag' not in page
    assert not (built_site / "tags.json").exists()


def test_home_page_counts_match_files(site_build):
    text = _text(site_build.site / "index.html")
    n = len(list(site_build.schemes_dir.glob("*.yaml")))
    assert f"{n} schemes" in text


def test_search_index_holds_every_scheme(built_site, register):
    # Pagefind's index (generator/site_search.py): one fragment per page, named in its JSON
    locations = set()
    for path in (built_site / "pagefind" / "fragment").iterdir():
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        locations.add(json.loads(text[text.index("{"):])["url"])
    for s in register.schemes:
        assert f"/schemes/{s.slug}/" in locations


def test_edit_link_opens_the_yaml_file(built_site, register):
    s = register.schemes[0]
    page = (built_site / "schemes" / s.slug / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'href="[^"]*/schemes/{re.escape(s.slug)}\.yaml"[^>]*title="Edit this page"', page) or \
        re.search(rf'href="[^"]*/schemes/{re.escape(s.slug)}\.yaml"', page)


def test_build_writes_nothing_into_docs_or_schemes(site_build):
    """The session's build (conftest) compares the names and times of every file in docs/ and schemes/ before and after."""
    assert site_build.returncode == 0
    assert site_build.untouched


@pytest.mark.site  # a whole MkDocs build of its own
def test_invalid_scheme_stops_the_build_with_the_error_list(tmp_path):
    bad = tmp_path / "schemes"
    bad.mkdir()
    src = ROOT / "tests" / "invalid" / "forces-unknown.yaml"
    (bad / "forces-unknown.yaml").write_text(src.read_text())
    result = build_site(tmp_path / "site", schemes_dir=bad)
    assert result.returncode != 0
    assert "forces-unknown.yaml:8:10: forces[0]: 'durhamm' is not an allowed value" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_external_assets_in_built_html(built_site):
    pattern = re.compile(r'<(?:script|img|iframe|link)[^>]+(?:src|href)="(https?:)?//', re.I)
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for m in pattern.finditer(text):
            tag = text[m.start():m.start() + 200]
            assert 'rel="canonical"' in tag or "rel=\"alternate\"" in tag, f"{page}: {tag}"


# What site/ publishes, at its top level: pages, downloads, assets and the search index. Nothing else.
PUBLISHED = {"404.html", "about", "assets", "cards", "compare", "contribute", "data", "feed.xml", "finder", "forces",
             "index.html", "map", "pagefind", "providers", "schema", "schemes", "search", "sitemap.xml",
             "sitemap.xml.gz", "tags"}
# Every kind of file under site/: pages, styles, scripts (and the theme's source maps), data (with the SQLite database), calendars,
# the favicon, and Pagefind's index.
PUBLISHED_KINDS = {".html", ".css", ".js", ".map", ".json", ".csv", ".ics", ".xml", ".gz", ".png", ".sqlite",
                   ".pagefind", ".pf_filter", ".pf_fragment", ".pf_index", ".pf_meta"}


def test_only_what_readers_need_is_published(built_site):
    assert {p.name for p in built_site.iterdir()} == PUBLISHED
    files = [p for p in built_site.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} <= PUBLISHED_KINDS, sorted({p.suffix for p in files} - PUBLISHED_KINDS)
    # no theme overrides (overrides/ sits outside docs_dir), no Jinja or Markdown sources, no Material tags index
    assert not any("overrides" in p.relative_to(built_site).parts for p in files)
    assert not (built_site / "main.html").exists() and not (built_site / "tags.json").exists()
    pages = [p for p in files if p.suffix == ".html"]
    assert all(p.name == "index.html" or p.relative_to(built_site).as_posix() == "404.html" for p in pages), \
        sorted(p.relative_to(built_site).as_posix() for p in pages if p.name != "index.html")[:5]
