"""`make preview SCHEMES=...`: every file checked, only the named entries and the pages around them built,
and under `mkdocs serve` a save shows on the page within seconds (the load cache reads only what changed)."""
from __future__ import annotations

import os
import pathlib
import shutil

import pytest

from bench import report
from bench.rebuild import preview_figure
from conftest import ROOT, build_site
from generator import build

SCHEMES_DIR = ROOT / "schemes"
PART_OF = "hertfordshire-oxygen-gateway-hostel"  # a grant paid from a fund with its own entry


@pytest.fixture(autouse=True, scope="module")
def _durham(clean_schemes):
    """DURHAM: the Durham entries that load (conftest.clean_schemes), found when the tests run, not at import."""
    global DURHAM
    DURHAM = sorted(p.stem for p in clean_schemes.glob("durham-*.yaml"))


@pytest.fixture(scope="module")
def loaded(clean_schemes):
    return build.load(clean_schemes)


def _settings(*patterns):
    return build.Settings(site_url="https://example.org/", preview=tuple(patterns))


def test_patterns_are_split_on_spaces_and_commas():
    assert build.preview_patterns(" schemes/kent-*.yaml,./schemes/a.yaml  b ") == (
        "schemes/kent-*.yaml", "schemes/a.yaml", "b")
    assert build.preview_patterns("") == () and build.preview_patterns(None) == ()


@pytest.mark.parametrize("pattern", ["schemes/durham-*.yaml", "durham-*", "durham-*.yaml", "{full path}/durham-*"])
def test_an_entry_is_named_by_path_file_name_or_slug(loaded, clean_schemes, pattern):
    pattern = pattern.replace("{full path}", str(clean_schemes))
    chosen = build.preview_selection(loaded, _settings(pattern))
    assert sorted(s.slug for s in chosen) == DURHAM


def test_a_preview_builds_the_named_entries_and_the_pages_around_them(loaded):
    settings = _settings("schemes/durham-*.yaml", f"schemes/{PART_OF}.yaml")
    site = build.prepare(loaded, settings)
    assert sorted(v["slug"] for v in site.schemes) == sorted(DURHAM + [PART_OF])
    paths = {out.path for out in build.outputs(site, settings)}
    for slug in DURHAM + [PART_OF]:
        assert f"schemes/{slug}.md" in paths
    others = {s.slug for s in loaded.schemes} - set(DURHAM) - {PART_OF}
    assert not any(f"schemes/{slug}.md" in paths for slug in others)
    for page in ("index.md", "schemes/index.md", "forces/index.md", "forces/durham.md", "tags/index.md",
                 "providers/index.md", "finder.md", "contribute.md", "data/schemes.csv", "schema/scheme.schema.json",
                 "forces/durham/funding-ends.ics", "forces/hertfordshire.md"):
        assert page in paths, page
    # force and tag pages none of the previewed entries is on are left out (they would be empty)
    assert "forces/kent.md" not in paths and "forces/kent/funding-ends.ics" not in paths
    tags = {slug for _, slug in site.by_tag}
    assert tags and all(f"tags/{slug}.md" in paths for slug in tags)
    assert len([p for p in paths if p.startswith("tags/") and p.endswith(".md")]) == len(tags) + 1
    assert {p for p in paths if p.startswith("tags/") and p.endswith("/feed.xml")} == {f"tags/{slug}/feed.xml" for slug in tags}
    assert "forces/kent/feed.xml" not in paths and not any(p.startswith("cards/") for p in paths)
    # the fund is not previewed, but the grant still names it and is counted there, as in the full site
    full = build.prepare(loaded, _settings())
    preview_view, full_view = site.by_slug[PART_OF], full.by_slug[PART_OF]
    assert preview_view["funding"] == full_view["funding"]
    assert any(f.get("part_of_title") for f in preview_view["funding"])


def test_a_pattern_that_names_nothing_is_an_error(loaded):
    with pytest.raises(build.BuildError, match="RRS_PREVIEW=schemes/nowhere-\\*.yaml names none of the"):
        build.prepare(loaded, _settings("schemes/nowhere-*.yaml"))


def _copy_schemes(tmp_path, clean_schemes) -> pathlib.Path:
    target = tmp_path / "schemes"
    shutil.copytree(clean_schemes, target)
    return target


@pytest.mark.site  # a whole MkDocs build of its own
def test_every_file_is_still_checked(tmp_path, clean_schemes):
    schemes = _copy_schemes(tmp_path, clean_schemes)
    broken = schemes / "wiltshire-broken.yaml"
    broken.write_text((schemes / f"{DURHAM[0]}.yaml").read_text(encoding="utf-8")
                      .replace(f"slug: {DURHAM[0]}", "slug: wiltshire-broken").replace("forces: [durham", "forces: [durhamm"),
                      encoding="utf-8")
    result = build_site(tmp_path / "site", schemes_dir=schemes, extra_env={"RRS_PREVIEW": "schemes/durham-*.yaml"})
    assert result.returncode != 0
    assert "wiltshire-broken.yaml" in result.stderr


def test_the_cache_reads_only_what_changed(tmp_path, clean_schemes):
    schemes = _copy_schemes(tmp_path, clean_schemes)
    cache = build.LoadCache()
    first = build.load(schemes, cache=cache)
    assert cache.read == len(first.schemes) == len(list(schemes.glob("*.yaml")))
    again = build.load(schemes, cache=cache)
    assert cache.read == 0 and again.loader is first.loader
    assert [s.data for s in again.schemes] == [s.data for s in first.schemes]
    # one file saved: read again, and its new text is what the build gets
    path = schemes / f"{DURHAM[0]}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle: ", "\ntitle: Edited "), encoding="utf-8")
    edited = build.load(schemes, cache=cache)
    assert cache.read == 1
    assert next(s for s in edited.schemes if s.slug == DURHAM[0]).data["title"].startswith("Edited ")
    # a broken save is reported exactly as a fresh load reports it, and is never kept
    path.write_text(text.replace("forces: [durham", "forces: [durhamm"), encoding="utf-8")
    with pytest.raises(build.BuildError) as cached_error:
        build.load(schemes, cache=cache)
    with pytest.raises(build.BuildError) as fresh_error:
        build.load(schemes)
    assert [str(p) for p in cached_error.value.problems] == [str(p) for p in fresh_error.value.problems]
    path.write_text(text, encoding="utf-8")
    assert build.load(schemes, cache=cache) and cache.read == 1
    # a file added or removed: everything is read again (part_of checks look at which files exist)
    (schemes / f"{DURHAM[0]}.yaml").rename(schemes / "zz-moved.yaml")
    with pytest.raises(build.BuildError):  # the slug no longer matches the file name
        build.load(schemes, cache=cache)
    assert cache.read == len(first.schemes)


def test_a_vocabulary_change_starts_the_cache_afresh(tmp_path, monkeypatch, clean_schemes):
    vocab = tmp_path / "vocabularies"
    shutil.copytree(ROOT / "vocabularies", vocab)
    monkeypatch.setattr(build, "VOCAB_DIR", vocab)
    cache = build.LoadCache()
    first = build.load(clean_schemes, cache=cache)
    build.load(clean_schemes, cache=cache)
    assert cache.read == 0
    stamp = (vocab / "units.yaml").stat()
    os.utime(vocab / "units.yaml", ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    again = build.load(clean_schemes, cache=cache)
    assert cache.read == len(first.schemes) and again.loader is not first.loader


@pytest.mark.site  # a whole MkDocs build of its own
def test_a_real_preview_build(tmp_path, clean_schemes):
    result = build_site(tmp_path / "site", schemes_dir=clean_schemes, extra_env={"RRS_PREVIEW": "schemes/durham-*.yaml"})
    assert result.returncode == 0, result.stderr[-4000:]
    built = sorted(p.name for p in (tmp_path / "site" / "schemes").iterdir() if p.is_dir())
    assert built == DURHAM
    total = len(list(clean_schemes.glob("*.yaml")))
    assert f"Preview of {len(DURHAM)} of {total} schemes (RRS_PREVIEW=schemes/durham-*.yaml)" in result.stderr
    assert (tmp_path / "site" / "forces" / "durham" / "index.html").is_file()


@pytest.mark.timing
def test_a_save_shows_on_the_previewed_page_within_seconds(tmp_path, clean_schemes):
    """The benchmark's own measurement (bench/rebuild.py), on a copy of the real entries."""
    schemes = _copy_schemes(tmp_path, clean_schemes)
    figure = preview_figure(schemes, DURHAM[0], runs=1, timeout=300)
    # 3 s is the target at 5,000 schemes on the benchmark machine; here only a generous bound against a hang.
    assert figure["preview_s"] < 15, figure


def test_make_preview_needs_schemes_and_sets_rrs_preview():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\npreview: $(STAMP)\n", 1)[1].split("\n\n", 1)[0]
    assert '[ -z "$(SCHEMES)" ]' in recipe and "make preview SCHEMES=" in recipe and "exit 2" in recipe
    assert recipe.rstrip().endswith('RRS_PREVIEW="$(SCHEMES)" $(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000 --livereload')


def test_the_benchmark_reports_preview_s_against_3_s():
    row = {"n": 5000, "load_validate_s": 1.0, "generate_s": 1.0, "build_s": 60.0, "floor_build_s": 50.0,
           "peak_rss_mb": 500.0, "search_index_kb": 500.0, "finder_data_gz_kb": None, "page_weight_gz_kb": 80.0,
           "generator_share_pct": 3.0, "rebuild_s": 70.0, "preview_s": 1.5, "preview_runs_s": [1.5]}
    text = report.table([row])
    assert "| Same under `make preview` of that entry (s) | 1.50 |" in text
    assert "| Rebuild under `mkdocs serve` after saving one YAML (s) | 70.0 |" in text
    found = [(name, ok) for name, ok, _ in report.targets([row]) if "preview" in name]
    assert found == [("Save to page under the preview <= 3 s (N=5,000, issue 17)", True)]
    assert [ok for name, ok, _ in report.targets([dict(row, preview_s=4.0)]) if "preview" in name] == [False]


def test_the_guides_tell_contributors_about_preview_editor_and_approval(built_site):
    import html
    import re

    page = html.unescape(re.sub(r"<[^>]+>", " ", (built_site / "contribute" / "index.html").read_text(encoding="utf-8")))
    for phrase in ["make preview SCHEMES='schemes/<slug>.yaml'", "# yaml-language-server: $schema=../schema/scheme.schema.json",
                   ".vscode/settings.json", "Workflow awaiting approval", "make schema"]:
        assert phrase in page, phrase
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for phrase in ["make preview SCHEMES='schemes/<slug>.yaml'", "make schema", "Workflow awaiting approval",
                   "JetBrains", ".vscode/settings.json"]:
        assert phrase in guide, phrase
    for phrase in ["`make preview SCHEMES='schemes/<slug>.yaml'`", "`make schema`", "preview_s", "BENCH_PREVIEW_N"]:
        assert phrase in readme, phrase


def test_compiled_templates_are_kept_between_builds_and_recompiled_when_edited(tmp_path, clean_schemes):
    import jinja2

    from generator.render import CompiledTemplates, Renderer

    kept = CompiledTemplates()
    site = build.prepare(build.load(clean_schemes), _settings("schemes/durham-*.yaml"))
    declared = [p for p in build.pages.declare(site) if p.template][:40]
    plain = [Renderer().render(p) for p in declared]
    assert [Renderer(templates=kept).render(p) for p in declared] == plain
    assert kept._code  # compiled once ...
    assert [Renderer(templates=kept).render(p) for p in declared] == plain  # ... and reused, same bytes
    assert [Renderer(fast=False, templates=kept).render(p) for p in declared] == plain  # stock Jinja kept apart
    # an edited template is compiled again
    (tmp_path / "t.html").write_text("one {{ x }}", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=kept)
    assert env.get_template("t.html").render(x=1) == "one 1"
    (tmp_path / "t.html").write_text("two {{ x }}", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=kept)
    assert env.get_template("t.html").render(x=1) == "two 1"
