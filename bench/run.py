"""Benchmark: how the build scales from 50 to 5,000 schemes (`make bench`).

    .venv/bin/python bench/run.py        (or: python -m bench.run)

For each N in BENCH_SIZES (default 50,1000,5000) it writes a synthetic corpus
(bench/synthetic.py) into a temporary directory and measures:

- load_validate_s: build.load over the corpus (YAML + schema + rules), in process;
- generate_s: build.prepare + build.outputs (every generated page and data
  file), in process;
- build_s / peak_rss_mb: the whole `mkdocs build` in a subprocess with
  RRS_SCHEMES_DIR set; hook_in_build_s is the hook's own time inside that
  build, read from the line it logs ("Generated ... in X s (load ...)");
- floor_build_s: plain MkDocs + Material (bench/floor.py) building the same
  generated pages, written beforehand as files;
- the search index (Pagefind's bundle, and how long the build spent making
  it: search_index_build_s, read from the line the hook logs) and the finder
  data (bench/sizes.py);
- page_weight_kb / page_weight_gz_kb: one scheme page with everything it loads
  except the search index, and finder_filter_ms: one finder filter change, in
  headless Chromium (bench/browser.py);
- search_payload_gz_kb, search_first_result_ms and search_warm_ms: a visitor's
  first query typed into the search box of a scheme page, in a fresh headless
  Chromium, and further queries (bench/search.py); the same with Material's
  own worker and a lean index of the same site, issue 18's other option
  (search_lean_material_*, bench/search_options.py);
- rebuild_s, at N = BENCH_REBUILD_N only: from saving one YAML file to the
  page served by `mkdocs serve` showing the change (bench/rebuild.py);
- preview_s, at N = BENCH_PREVIEW_N only (default 5,000): the same, under the
  preview of that one entry (`make preview SCHEMES=schemes/<slug>.yaml`:
  every file checked, only its pages and the pages around them built).

Prints a Markdown table and the targets of issues 9 and 18 (bench/report.py) and writes the
figures as JSON to bench/results.json.

Settings (environment): BENCH_SIZES; BENCH_OUT (JSON path); BENCH_SEED
(corpus seed); BENCH_REPEAT (runs of each timed step, default 3: the median
is reported and every run is in the JSON); BENCH_REBUILD_N (size for the
rebuild figure, default 1000, 0 to skip); BENCH_REBUILD_RUNS (default 3);
BENCH_PREVIEW_N (size for the preview figure, default 5000, 0 to skip);
BENCH_PREVIEW_RUNS (default 3);
BENCH_KEEP=1 (keep the temporary folders); BENCH_SEARCH_COMPARE=0 (skip
measuring the search with Material's worker and a lean index,
bench/search_options.py); BENCH_TIMEOUT (seconds allowed per
build, default 1800); CHROMIUM (default /usr/bin/chromium).
"""
from __future__ import annotations

import dataclasses
import gc
import json
import os
import pathlib
import re
import shutil
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script (python bench/run.py): import bench.* from the repository root
    if sys.path and pathlib.Path(sys.path[0] or ".").resolve() == ROOT / "bench":
        sys.path.pop(0)  # bench/ itself on the path would make its modules top-level ones
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402
from bench.browser import finder_timing, page_weight  # noqa: E402
from bench.floor import write_floor  # noqa: E402
from bench.measure import MKDOCS_ENV, PY, cpu_seconds, fresh_dir, kb, log, median, run_measured  # noqa: E402
from bench.rebuild import preview_figure, rebuild_figure  # noqa: E402
from bench.cards import card_figures  # noqa: E402
from bench.report import print_report  # noqa: E402
from bench.search import search_timing  # noqa: E402
from bench.search_options import lean_material_figures  # noqa: E402
from bench.sizes import finder_figures, search_figures  # noqa: E402
from generator import build, mkdocs_yml  # noqa: E402


@dataclasses.dataclass(frozen=True)
class BenchSettings:
    sizes: list[int]
    seed: int = synthetic.DEFAULT_SEED
    repeat: int = 3
    rebuild_n: int = 1000
    rebuild_runs: int = 3
    preview_n: int = 5000
    preview_runs: int = 3
    keep: bool = False
    timeout: float = 1800.0
    chromium: str = "/usr/bin/chromium"
    search_compare: bool = True
    out_path: pathlib.Path = ROOT / "bench" / "results.json"

    @classmethod
    def from_env(cls, env=os.environ) -> BenchSettings:
        return cls(
            sizes=[int(s) for s in env.get("BENCH_SIZES", "50,1000,5000").replace(" ", "").split(",") if s],
            seed=int(env.get("BENCH_SEED", synthetic.DEFAULT_SEED)),
            repeat=max(1, int(env.get("BENCH_REPEAT", "3"))),
            rebuild_n=int(env.get("BENCH_REBUILD_N", "1000")),
            rebuild_runs=int(env.get("BENCH_REBUILD_RUNS", "3")),
            preview_n=int(env.get("BENCH_PREVIEW_N", "5000")),
            preview_runs=int(env.get("BENCH_PREVIEW_RUNS", "3")),
            keep=env.get("BENCH_KEEP", "") not in ("", "0"),
            timeout=float(env.get("BENCH_TIMEOUT", "1800")),
            chromium=env.get("CHROMIUM", "/usr/bin/chromium"),
            search_compare=env.get("BENCH_SEARCH_COMPARE", "1") not in ("", "0"),
            out_path=pathlib.Path(env.get("BENCH_OUT") or ROOT / "bench" / "results.json"),
        )


# ---- the generator, in process ----------------------------------------------

def site_settings() -> build.Settings:
    """The settings the real build gets from mkdocs.yml (SITE_URL, review_after_months)."""
    extra = mkdocs_yml.read().get("extra") or {}
    return build.Settings(site_url=mkdocs_yml.site_url(),
                          review_after_months=int(extra.get("review_after_months", 18)))


def time_load(schemes_dir: pathlib.Path):
    """(loaded, seconds, CPU seconds) of build.load, called as the hook calls it; exits on a problem in the corpus."""
    start, cpu = time.perf_counter(), cpu_seconds()
    try:
        loaded = build.load(schemes_dir)
    except build.BuildError as exc:
        problems = list(getattr(exc, "problems", []) or [exc])
        raise SystemExit(f"the synthetic corpus has {len(problems)} problem(s), first: {problems[0]}") from None
    return loaded, time.perf_counter() - start, cpu_seconds() - cpu


def time_generate(loaded, settings: build.Settings):
    """(site, outputs, seconds, CPU seconds) of build.prepare + build.outputs, called as the hook calls them."""
    start, cpu = time.perf_counter(), cpu_seconds()
    site = build.prepare(loaded, settings)
    outputs = build.outputs(site, settings)
    return site, outputs, time.perf_counter() - start, cpu_seconds() - cpu


# ---- the real build and the floor, in subprocesses ----------------------------

# The hook's one line per build (after MkDocs' "INFO    -  "), e.g.
# Generated 15104 pages and files from 5000 schemes in 2.93 s (load 0.86 s, prepare 0.31 s, output 1.76 s)
HOOK_LINE = re.compile(
    r"Generated (?P<files>[\d,]+) pages and files from (?P<schemes>[\d,]+) schemes in (?P<total>[\d.]+) s"
    r" \(load (?P<load>[\d.]+) s, prepare (?P<prepare>[\d.]+) s, output (?P<output>[\d.]+) s\)")


# ... and the hook's line after Pagefind has indexed the built site, e.g.
# Indexed the site for search (Pagefind) in 14.02 s
SEARCH_LINE = re.compile(r"Indexed the site for search \(Pagefind\) in (?P<s>[\d.]+) s")


def search_index_seconds(output: str) -> float | None:
    """Pagefind's time inside a build, from the hook's line (the last one), or None."""
    found = SEARCH_LINE.findall(output)
    return float(found[-1]) if found else None


def hook_times(output: str) -> dict | None:
    """The hook's figures from a build's output (the last such line), or None if it logged none."""
    found = list(HOOK_LINE.finditer(output))
    if not found:
        return None
    m = found[-1]
    return {"files": int(m["files"].replace(",", "")), "schemes": int(m["schemes"].replace(",", "")),
            **{k: float(m[k]) for k in ("total", "load", "prepare", "output")}}


def run_build(schemes_dir: pathlib.Path, site_dir: pathlib.Path, timeout: float) -> dict:
    """The whole `mkdocs build` of the corpus, timed, with its peak memory and the hook's own figures.

    Picture cards are cached in the corpus's own folder (never the repository's .cache): the first run
    draws every card, later runs read them back, as a second build of the same entries does."""
    fresh_dir(site_dir)
    load_avg = os.getloadavg()[0]
    # Not --strict: a warning (say, a page another change has not landed yet) costs no time,
    # and the figures should not wait on it; warnings are counted in build_warnings.
    run = run_measured([PY, "-m", "mkdocs", "build", "--site-dir", str(site_dir)],
                       cwd=ROOT, env=dict(MKDOCS_ENV, RRS_SCHEMES_DIR=str(schemes_dir),
                                          RRS_CARDS_CACHE=str(schemes_dir.parent / "build-cards-cache")),
                       timeout=timeout)
    if run.returncode != 0:
        raise SystemExit(f"mkdocs build failed ({schemes_dir}):\n{run.output[-4000:]}")
    return {"s": run.seconds, "rss": run.peak_rss_mb, "cpu": run.cpu_s, "load_avg": load_avg,
            "hook": hook_times(run.output), "search_s": search_index_seconds(run.output), "output": run.output}


def run_floor(floor_dir: pathlib.Path, site_dir: pathlib.Path, timeout: float) -> dict:
    fresh_dir(site_dir)
    run = run_measured([PY, "-m", "mkdocs", "build", "--site-dir", str(site_dir)],
                       cwd=floor_dir, env=MKDOCS_ENV, timeout=timeout)
    if run.returncode != 0:
        raise SystemExit(f"floor build failed ({floor_dir}):\n{run.output[-4000:]}")
    return {"s": run.seconds, "rss": run.peak_rss_mb, "cpu": run.cpu_s}


# ---- one size --------------------------------------------------------------------

def measure(n: int, cfg: BenchSettings) -> dict:
    """Every figure for a corpus of n schemes."""
    work = pathlib.Path(tempfile.mkdtemp(prefix=f"rrs-bench-{n}-"))
    try:
        schemes_dir = work / "schemes"
        log(f"N={n}: writing the corpus into {schemes_dir}")
        paths = synthetic.write_corpus(n, schemes_dir, cfg.seed)
        sample_slug = paths[0].stem  # the first entry uses every optional field
        settings = site_settings()

        # Each timed step runs cfg.repeat times and the median is reported (all runs are in the JSON):
        # a shared machine's noise is several seconds on a minute-long build. Builds and floors
        # alternate, so a slow spell slows both.
        loads, gens, builds, floors = [], [], [], []
        site_dir, floor_dir = work / "site", work / "floor"
        site = None
        for run in range(1, cfg.repeat + 1):
            # Each run starts from a clean heap, as a build does in its own process: the previous
            # run's prepared site (kept for the lean Material index of the search comparison) goes.
            site = None
            gc.collect()
            step = f"N={n}, run {run}/{cfg.repeat}"
            log(f"{step}: load and validate")
            loaded, load_s, load_cpu = time_load(schemes_dir)
            loads.append((load_s, load_cpu))

            log(f"{step}: generate (prepare + outputs, in process)")
            site, outputs, gen_s, gen_cpu = time_generate(loaded, settings)
            gens.append((gen_s, gen_cpu))
            if run == 1:
                write_floor(outputs, settings.site_url, floor_dir)
                generated_count = len(outputs)
            del loaded, outputs

            log(f"{step}: whole mkdocs build")
            builds.append(run_build(schemes_dir, site_dir, cfg.timeout))
            log(f"{step}: floor build (plain MkDocs + Material on the same pages)")
            floors.append(run_floor(floor_dir, work / "floor-site", cfg.timeout))

        log(f"N={n}: sizes and page weight")
        result = summarise(n, cfg.repeat, loads, gens, builds, floors)
        result.update({
            "generated_files": generated_count,
            "corpus_kb": kb(sum(p.stat().st_size for p in paths)),
            "site_pages": sum(1 for _ in site_dir.rglob("index.html")),
            "sample_page": f"schemes/{sample_slug}/",
        })
        log(f"N={n}: picture cards (generator write: no cards, cold cache, warm cache)")
        result.update(card_figures(schemes_dir, work, cfg.timeout))
        result.update(search_figures(site_dir))
        result.update(finder_figures(site_dir))
        result.update(page_weight(site_dir, sample_slug, cfg.chromium))
        result.update(finder_timing(site_dir, cfg.chromium))
        log(f"N={n}: search in Chromium (first visit, then further queries)")
        result.update(search_timing(site_dir, sample_slug, cfg.chromium))
        if cfg.search_compare:
            log(f"N={n}: the same search with Material's worker and a lean index (issue 18's comparison)")
            result.update(lean_material_figures(site_dir, site.schemes, sample_slug, cfg.chromium, work))
        if cfg.rebuild_n and n == cfg.rebuild_n:
            log(f"N={n}: rebuild under mkdocs serve ({cfg.rebuild_runs} edits)")
            result.update(rebuild_figure(schemes_dir, sample_slug, cfg.rebuild_runs, cfg.timeout))
        if cfg.preview_n and n == cfg.preview_n:
            log(f"N={n}: save to page under the preview of one entry ({cfg.preview_runs} edits)")
            result.update(preview_figure(schemes_dir, sample_slug, cfg.preview_runs, cfg.timeout))
        return result
    finally:
        if cfg.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _r(value, digits=2):
    return None if value is None else round(value, digits)


def summarise(n: int, repeat: int, loads, gens, builds, floors) -> dict:
    """The timed figures of one size: medians over the runs, and every run."""
    load_s, load_cpu = median(x[0] for x in loads), median(x[1] for x in loads)
    gen_s, gen_cpu = median(x[0] for x in gens), median(x[1] for x in gens)
    build_s, build_cpu = median(b["s"] for b in builds), median(b["cpu"] for b in builds)
    floor_s, floor_cpu = median(f["s"] for f in floors), median(f["cpu"] for f in floors)
    hooks = [b["hook"] or {} for b in builds]
    hook_total = median(h.get("total") for h in hooks)
    rss, floor_rss = max(b["rss"] for b in builds), max(f["rss"] for f in floors)
    return {
        "n": n,
        "load_validate_s": round(load_s, 2),
        "generate_s": round(gen_s, 2),
        "build_s": round(build_s, 2),
        "floor_build_s": round(floor_s, 2),
        "peak_rss_mb": round(rss, 1),
        "search_index_kb": None,
        "finder_data_gz_kb": None,
        "page_weight_gz_kb": None,
        "build_over_floor": round(build_s / floor_s, 2),
        "generator_share_pct": round(100 * (load_s + gen_s) / build_s, 1),
        "hook_in_build_s": _r(hook_total),
        "hook_in_build_load_s": _r(median(h.get("load") for h in hooks)),
        "hook_in_build_prepare_s": _r(median(h.get("prepare") for h in hooks)),
        "hook_in_build_output_s": _r(median(h.get("output") for h in hooks)),
        "hook_in_build_share_pct": None if hook_total is None else round(100 * hook_total / build_s, 1),
        "hook_in_build_files": hooks[-1].get("files"),
        "search_index_build_s": _r(median(b.get("search_s") for b in builds)),
        "runs": repeat,
        "load_validate_runs_s": [round(x[0], 2) for x in loads],
        "generate_runs_s": [round(x[0], 2) for x in gens],
        "build_runs_s": [round(b["s"], 2) for b in builds],
        # each run's own share: later builds run slower on a machine under sustained load
        "generator_share_runs_pct": [round(100 * (ld[0] + g[0]) / b["s"], 1) for ld, g, b in zip(loads, gens, builds)],
        "hook_in_build_runs_s": [_r(h.get("total")) for h in hooks],
        "floor_build_runs_s": [round(f["s"], 2) for f in floors],
        "floor_peak_rss_mb": round(floor_rss, 1),
        "load_validate_cpu_s": round(load_cpu, 2),
        "generate_cpu_s": round(gen_cpu, 2),
        "build_cpu_s": round(build_cpu, 2),
        "floor_cpu_s": round(floor_cpu, 2),
        "build_over_floor_cpu": round(build_cpu / floor_cpu, 2),
        "load_avg_before_build": round(builds[0]["load_avg"], 2),
        "build_warnings": len(re.findall(r"^WARNING", builds[-1]["output"], flags=re.M)),
    }


def main() -> int:
    cfg = BenchSettings.from_env()
    results = []
    for n in cfg.sizes:
        results.append(measure(n, cfg))
        cfg.out_path.parent.mkdir(parents=True, exist_ok=True)
        # written after every size, so partial results survive a crash
        cfg.out_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if not results:
        raise SystemExit("BENCH_SIZES names no size")
    print_report(results, cfg.out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
