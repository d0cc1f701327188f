"""`make preview` as a writing loop (issue 27): TODOs left are warnings and the page still builds; a save that
breaks a file shows a page listing every problem, and the entry returns once it is fixed; related schemes
in a preview are the full build's. In process (generator.preview and generator.build), no server."""
from __future__ import annotations

import shutil

import pytest

from conftest import ROOT
from generator import build, preview

SCHEMES_DIR = ROOT / "schemes"


def _settings(*patterns):
    return build.Settings(site_url="https://example.org/", preview=tuple(patterns))


def _copy(tmp_path):
    target = tmp_path / "schemes"
    shutil.copytree(SCHEMES_DIR, target)
    return target


def _new_entry(schemes, monkeypatch) -> str:
    """A file as `python -m generator new` leaves it: every TODO still in place."""
    from generator.cli import main

    monkeypatch.setenv("RRS_SCHEMES_DIR", str(schemes))
    assert main(["new", "--title", "Writing in progress", "--force", "durham", "--target-group", "women",
                 "--intervention-type", "mentoring", "--yes"]) == 0
    slug = "durham-writing-in-progress"
    assert (schemes / f"{slug}.yaml").is_file()
    return slug


def test_todos_left_are_warnings_and_the_page_still_builds(tmp_path, monkeypatch):
    schemes = _copy(tmp_path)
    slug = _new_entry(schemes, monkeypatch)
    with pytest.raises(build.BuildError):
        build.load(schemes)  # validate and CI still refuse it
    loaded, todos = preview.load(build.LoadCache(), schemes)
    assert todos and all(p.message.startswith("replace the placeholder TODO") for p in todos)
    assert {p.field for p in todos} >= {"summary", "status", "as_of", "sources[0].document"}
    settings = _settings(f"schemes/{slug}.yaml")
    site = build.prepare(loaded, settings)
    page = next(out.content for out in build.outputs(site, settings) if out.path == f"schemes/{slug}.md")
    assert "Writing in progress" in page and "TODO" in page


def test_a_broken_save_shows_every_problem_on_the_page_and_the_page_returns_when_fixed(tmp_path):
    schemes = _copy(tmp_path)
    path = sorted(schemes.glob("durham-*.yaml"))[0]
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("forces: [durham", "forces: [durhamm").replace(
        "\ntitle: ", "\ntitle: <script>alert(1)</script>\ntitle: "), encoding="utf-8")
    settings = _settings(f"schemes/{path.name}")
    cache = build.LoadCache()
    with pytest.raises(build.BuildError) as broken:
        preview.load(cache, schemes)
    outputs = {out.path: out.content for out in preview.error_outputs(broken.value, settings, schemes)}
    assert set(outputs) == {"index.md", f"schemes/{path.stem}.md"}
    page = outputs[f"schemes/{path.stem}.md"]
    assert page.count("<li>") == len(broken.value.problems) == 2
    assert "durhamm" in page and "duplicate field" in page
    assert "<script>" not in page
    path.write_text(good, encoding="utf-8")
    loaded, todos = preview.load(cache, schemes)
    assert todos == [] and path.stem in {v["slug"] for v in build.prepare(loaded, settings).schemes}


def test_related_schemes_in_a_preview_are_the_full_builds():
    loaded = build.load()
    full = build.prepare(loaded, _settings())
    for scheme in loaded.schemes[::7]:
        part = build.prepare(loaded, _settings(f"schemes/{scheme.path.name}"))
        view = part.by_slug[scheme.slug]
        expected = [(r["view"]["slug"], r["shared"]) for r in full.related.of(full.by_slug[scheme.slug])]
        assert [(r["view"]["slug"], r["shared"]) for r in part.related.of(view)] == expected, scheme.slug
        assert expected, scheme.slug
