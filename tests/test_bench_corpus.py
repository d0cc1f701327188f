"""The benchmark's synthetic corpus stays valid and buildable, and the benchmark's steps run on it (not timed; see bench/run.py)."""
from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
import weakref

import pytest

from bench import browser, floor, report, run, sizes, synthetic
from conftest import CHROMIUM, ROOT, build_site
from generator import build
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


@pytest.fixture(scope="module")
def corpus_site(corpus, tmp_path_factory):
    """The corpus built by `mkdocs build --strict`: (site folder, the build's output)."""
    directory, _ = corpus
    site_dir = tmp_path_factory.mktemp("corpus-site") / "site"
    result = build_site(site_dir, schemes_dir=directory)
    assert result.returncode == 0, result.stderr[-4000:]
    return site_dir, result.stdout + result.stderr


@pytest.mark.site  # a whole MkDocs build of its own
def test_the_corpus_builds_and_the_benchmark_reads_it(corpus, corpus_site, tmp_path):
    directory, paths = corpus
    site_dir, output = corpus_site
    for path in paths:
        assert (site_dir / "schemes" / path.stem / "index.html").is_file(), path.stem
    # The hook's own time inside the build comes from the one line it logs.
    times = run.hook_times(output)
    assert times is not None, "no 'Generated ... pages and files from ... schemes in ... s' line in the build's output"
    assert times["schemes"] == N and times["total"] >= times["load"]
    # ... and Pagefind's time from the hook's line after it.
    assert run.search_index_seconds(output) is not None, "no 'Indexed the site for search' line in the build's output"
    # The in-process steps.
    loaded, _, _ = run.time_load(directory)
    site, outputs, _, _ = run.time_generate(loaded, run.site_settings())
    assert len(site.schemes) == N
    assert any(out.path == f"schemes/{paths[0].stem}.md" for out in outputs)
    figures = sizes.search_figures(site_dir)
    assert figures["search_index_chunks"] > 0 and 0 < figures["search_meta_kb"] < figures["search_index_kb"]
    assert figures["material_index_gz_kb"] < 1, "Material's own index should be empty: Pagefind answers the search box"
    assert sizes.finder_figures(site_dir)["finder_data_gz_kb"] > 0
    weight = browser.page_weight_static(site_dir, paths[0].stem)
    assert weight["page_weight_gz_kb"] > 0 and weight["page_requests"] > 1
    # The plain MkDocs floor builds the same pages.
    floor_dir = tmp_path / "floor"
    floor.write_floor(outputs, "https://example.invalid/", floor_dir)
    figures = run.run_floor(floor_dir, tmp_path / "floor-site", timeout=600)
    assert figures["s"] > 0 and figures["rss"] > 0
    assert (tmp_path / "floor-site" / "schemes" / paths[0].stem / "index.html").is_file()


def test_the_hook_line_is_read():
    line = ("INFO    -  Generated 15104 pages and files from 5000 schemes in 2.93 s"
            " (load 0.86 s, prepare 0.31 s, output 1.76 s)\n")
    assert run.hook_times("INFO    -  Cleaning site directory\n" + line) == {
        "files": 15104, "schemes": 5000, "total": 2.93, "load": 0.86, "prepare": 0.31, "output": 1.76}
    assert run.hook_times("INFO    -  Documentation built in 3.10 seconds\n") is None
    assert run.search_index_seconds(line + "INFO    -  Indexed the site for search (Pagefind) in 14.02 s\n") == 14.02
    assert run.search_index_seconds(line) is None


def test_the_report_prints_for_partial_results():
    row = {"n": 50, "load_validate_s": 0.1, "generate_s": 0.1, "build_s": 2.0, "floor_build_s": 1.5,
           "peak_rss_mb": 50.0, "search_index_kb": 500.0, "finder_data_gz_kb": None, "page_weight_gz_kb": 80.0,
           "generator_share_pct": 10.0}
    text = report.table([row])
    assert "| Whole `mkdocs build` (s) | 2.00 |" in text
    assert [name for name, ok, _ in report.targets([row]) if ok is False]


def test_the_benchmark_runs_as_a_script():
    """`make bench` runs bench/run.py as a script: its imports of bench.* must resolve."""
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py")], cwd=ROOT / "tests",
                            env=dict(os.environ, BENCH_SIZES=""), capture_output=True, text=True)
    assert result.returncode == 1 and "BENCH_SIZES names no size" in result.stderr, result.stderr[-2000:]


@pytest.mark.timing
@pytest.mark.browser
def test_the_finder_is_timed(corpus_site):
    # In its own process: Playwright's sync API cannot start inside this session's (conftest's browser).
    code = ("import json, pathlib, sys; from bench import browser; "
            "print(json.dumps(browser.finder_timing(pathlib.Path(sys.argv[1]), sys.argv[2])))")
    result = subprocess.run([sys.executable, "-c", code, str(corpus_site[0]), CHROMIUM],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["finder_filter_ms"] is not None, "the finder timing failed (see the log above)"
    assert figures["finder_filter_samples"] > 0


@pytest.mark.timing
@pytest.mark.browser
def test_search_is_timed(corpus, corpus_site):
    # In its own process, as above.
    code = ("import json, pathlib, sys; from bench import search; "
            "print(json.dumps(search.search_timing(pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3], runs=1)))")
    slug = corpus[1][0].stem
    result = subprocess.run([sys.executable, "-c", code, str(corpus_site[0]), slug, CHROMIUM],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["search_first_result_ms"] is not None, "the search timing failed (see the log above)"
    assert 0 < figures["search_payload_gz_kb"] < report.TARGET_SEARCH_GZ_KB
    assert figures["search_warm_ms"] > 0 and figures["search_page_errors"] == []


def test_the_prepared_site_is_freed_without_a_collection(corpus):
    """The hook lets the prepared site go once its outputs exist, before MkDocs renders thousands
    of pages: it must then be freed by reference counting alone, not wait (with the whole register
    in memory) for a full collection that a large heap makes rare."""
    directory, _ = corpus
    settings = build.Settings(site_url="https://example.invalid/")
    loaded = build.load(directory)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        site = build.prepare(loaded, settings)
        ref = weakref.ref(site)
        assert build.outputs(site, settings)
        del site
        freed = ref() is None  # (not asserted on ref() itself: its repr is the whole register)
    finally:
        if was_enabled:
            gc.enable()
    assert freed, "the prepared site outlived its outputs: something still refers to it, or a reference cycle holds it"


def test_the_breakdown_times_every_stage_both_ways():
    """`python -m bench.breakdown N` (where the generator's time goes, stage by stage) runs and prints every stage."""
    result = subprocess.run([sys.executable, "-m", "bench.breakdown", str(N), "--repeat", "1", "--build-s", "10",
                             "--spin", "1000000"],  # a fifteenth of make bench's arithmetic: the figures, not their accuracy
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = {line.split("|")[1].strip(): [cell.strip() for cell in line.split("|")[2:-1]]
            for line in result.stdout.splitlines() if line.startswith("| ") and not line.startswith("| stage")}
    assert list(rows) == ["load", "prepare", "declare", "render", "**total**"]
    for stage, cells in rows.items():
        assert float(cells[0]) > 0 and cells[3].endswith("x"), (stage, cells)
    assert "5% of a 10.0 s build is 0.50 s" in result.stdout
    # the two bounds: the parallel stages' own time, and all the work shared out at the arithmetic's rate
    alone = re.search(r"load and render alone, as they run in a build: ([\d.]+) s", result.stdout)
    assert alone and abs(float(alone[1]) - float(rows["load"][1]) - float(rows["render"][1])) <= 0.02, result.stdout
    scaling = float(re.search(r"do ([\d.]+)x the work of one", result.stdout)[1])
    shared = re.search(r"every stage shared out over the cores at the arithmetic's rate: ([\d.]+) s", result.stdout)
    assert shared and abs(float(shared[1]) - float(rows["**total**"][0]) / scaling) <= 0.02, result.stdout
