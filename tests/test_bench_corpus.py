"""The benchmark's synthetic corpus stays valid and buildable (not timed; see bench/run.py)."""
from __future__ import annotations

import importlib.util

import pytest

from conftest import ROOT, build_site
from bench import synthetic
from generator.loader import SchemeLoader, scheme_paths

N = 50


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("corpus") / "schemes"
    paths = synthetic.write_corpus(N, directory)
    return directory, paths


def test_every_generated_file_validates(corpus):
    directory, paths = corpus
    assert len(paths) == N
    schemes, problems = SchemeLoader().load_many(scheme_paths(directory))
    assert [str(p) for p in problems] == []
    assert len(schemes) == N


def test_every_field_is_used(corpus):
    directory, _ = corpus
    loader = SchemeLoader()
    schemes, _ = loader.load_many(scheme_paths(directory))
    used = {key for s in schemes for key in s.data}
    assert used == set(loader.schema["properties"])
    for group in ("funding", "outcomes", "organisations"):
        item_fields = set(loader.schema["properties"][group]["items"]["properties"])
        assert {k for s in schemes for item in s.data.get(group, []) for k in item} == item_fields, group
    assert {k for s in schemes for k in s.data["contact"]} == set(loader.schema["properties"]["contact"]["properties"])


def test_the_corpus_is_deterministic():
    assert synthetic.generate(20, seed=7) == synthetic.generate(20, seed=7)
    assert synthetic.generate(20, seed=7) != synthetic.generate(20, seed=8)


def test_a_few_forces_hold_many_schemes():
    forces = [entry["forces"][0] for entry in synthetic.generate(1000)]
    top = sorted((forces.count(f) for f in set(forces)), reverse=True)
    assert top[0] >= 80  # heading for hundreds at N = 5,000


def test_never_writes_into_schemes():
    with pytest.raises(ValueError):
        synthetic.write_corpus(1, ROOT / "schemes")


def test_the_corpus_builds_and_every_scheme_gets_a_page(corpus, tmp_path):
    directory, paths = corpus
    result = build_site(tmp_path / "site", schemes_dir=directory)
    assert result.returncode == 0, result.stderr[-4000:]
    for path in paths:
        assert (tmp_path / "site" / "schemes" / path.stem / "index.html").is_file(), path.stem
    # The search-index figures need the prepared schemes from the in-process generation.
    bench = _bench()
    loader = SchemeLoader()
    schemes, _ = loader.load_many(paths)
    _, _, generated, site, _ = bench.generate_in_process(loader, schemes, tmp_path / "unused")
    assert len(site.schemes) == N and any(f.src_uri == f"schemes/{paths[0].stem}.md" for f in generated)
    figures = bench.search_figures(tmp_path / "site", site)
    assert 0 < figures["search_index_restricted_kb"] < figures["search_index_kb"]


def test_the_report_prints_for_partial_results():
    bench = _bench()
    row = {"n": 50, "load_validate_s": 0.1, "generate_s": 0.1, "build_s": 2.0, "floor_build_s": 1.5,
           "peak_rss_mb": 50.0, "search_index_kb": 500.0, "finder_data_gz_kb": None, "page_weight_gz_kb": 80.0,
           "generator_share_pct": 10.0}
    text = bench.table([row])
    assert "| Whole `mkdocs build` (s) | 2.00 |" in text
    assert [name for name, ok, _ in bench.targets([row]) if ok is False]


def _bench():
    """bench/run.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_the_hook_lets_the_prepared_schemes_go_without_a_collection(corpus):
    """What survives the generator's phase is frozen (loader.paused_gc), so anything
    still reachable only through a reference cycle would stay in memory for the rest
    of the build: the prepared schemes must be freed by reference counting alone."""
    import gc
    import weakref

    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from generator import hook

    directory, paths = corpus
    loader = SchemeLoader()
    schemes, problems = loader.load_many(paths)
    assert problems == []
    config = load_config(str(ROOT / "mkdocs.yml"))
    files = get_files(config)
    config.plugins._current_plugin = None  # set by MkDocs while it runs an event; File.generated reads it
    original = hook.load_all
    hook.load_all = lambda *a, **k: (loader, schemes, [])
    try:
        hook.on_config(config)
        site = weakref.ref(hook._state["site"])
        first = hook._state["site"].schemes[0]
        assert hook._state["site"].related.of(first), "the corpus should give related schemes"
        del first
        hook.on_files(files, config)
    finally:
        hook.load_all = original
        gc.unfreeze()
    freed = site() is None  # (not asserted on site() itself: its repr is the whole register)
    assert freed, "the prepared schemes outlived on_files: something still refers to them, or a reference cycle holds them"
