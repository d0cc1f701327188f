"""Where the generator's time goes: each stage run in one process and in the build's own number.

    .venv/bin/python -m bench.breakdown 5000            # a synthetic corpus of N schemes
    .venv/bin/python -m bench.breakdown 5000 --build-s 59.0

For each stage of the pipeline (load, prepare, declare, render) it prints the
wall time with one process and with the processes a build uses
(generator/parallel.py), and the CPU time of both, medians of --repeat runs.
It also times plain Python arithmetic in one process and in two at once: how
much a second core gives on this machine when nothing is shared.

The serial stages (prepare, declare) cost their full time in any build; a
parallel stage saves what the machine's cores give. With --build-s (the
whole `mkdocs build`, from `make bench`) it prints the 5% budget beside the
total, so a change can be judged against the target without a full bench run.
"""
from __future__ import annotations

import argparse
import gc
import multiprocessing
import pathlib
import shutil
import tempfile
import time

from bench import synthetic
from bench.measure import cpu_seconds, median
from generator import build, pages, parallel
from generator.render import Renderer

STAGES = ("load", "prepare", "declare", "render")
PARALLEL = ("load", "render")  # the stages a build spreads over the cores (generator/parallel.py)


def _timed(fn):
    """(result, wall seconds, CPU seconds of this process and its finished workers) of fn()."""
    start, cpu = time.perf_counter(), cpu_seconds()
    result = fn()
    return result, time.perf_counter() - start, cpu_seconds() - cpu


def one_run(schemes_dir: pathlib.Path, workers: int | None) -> dict[str, tuple[float, float]]:
    """{stage: (wall, cpu)} for one pass through the pipeline, as build.load/prepare/outputs run it."""
    settings = build.Settings(site_url="https://example.org/", workers=workers)
    gc.collect()
    loaded, load_s, load_cpu = _timed(lambda: build.load(schemes_dir, workers=workers))
    site, prep_s, prep_cpu = _timed(lambda: build.prepare(loaded, settings))
    # build.outputs in two timed steps, with the cycle collector paused as it pauses it
    gc.disable()
    try:
        declared, decl_s, decl_cpu = _timed(lambda: pages.declare(site))
        renderer = Renderer(fast=settings.fast)
        _, rend_s, rend_cpu = _timed(lambda: parallel.map_indexed(
            lambda i: renderer.render(declared[i]), len(declared), workers=workers))
    finally:
        gc.enable()
    return {"load": (load_s, load_cpu), "prepare": (prep_s, prep_cpu),
            "declare": (decl_s, decl_cpu), "render": (rend_s, rend_cpu)}


SPIN = 15_000_000  # additions timed for core_scaling: about half a second of one core


def _spin(n: int = SPIN) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def core_scaling(spin: int = SPIN) -> float:
    """How many times the work of one process two processes do in the same time (2.0 is perfect)."""
    start = time.perf_counter()
    _spin(spin)
    alone = time.perf_counter() - start
    start = time.perf_counter()
    other = multiprocessing.get_context("fork").Process(target=_spin, args=(spin,))
    other.start()
    _spin(spin)
    other.join()
    return round(2 * alone / (time.perf_counter() - start), 2)


def breakdown(n: int, repeat: int, seed: int = synthetic.DEFAULT_SEED, spin: int = SPIN) -> dict:
    work = pathlib.Path(tempfile.mkdtemp(prefix=f"rrs-breakdown-{n}-"))
    try:
        schemes_dir = work / "schemes"
        synthetic.write_corpus(n, schemes_dir, seed)
        runs = {label: [one_run(schemes_dir, w) for _ in range(repeat)] for label, w in (("one", 1), ("build", None))}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = {"n": n, "workers": parallel.worker_count(n), "core_scaling": core_scaling(spin), "stages": {}}
    for stage in STAGES:
        out["stages"][stage] = {f"{label}_{kind}": round(median(r[stage][k] for r in rs), 3)
                                for label, rs in runs.items() for k, kind in ((0, "s"), (1, "cpu"))}
    return out


def table(result: dict, build_s: float | None) -> str:
    rows = ["| stage | one process (s) | build's processes (s) | CPU, build's processes (s) | gain |",
            "|---|---|---|---|---|"]
    totals = [0.0, 0.0, 0.0]
    for stage, f in result["stages"].items():
        gain = f["one_s"] / f["build_s"] if f["build_s"] else 0
        rows.append(f"| {stage} | {f['one_s']:.2f} | {f['build_s']:.2f} | {f['build_cpu']:.2f} | {gain:.2f}x |")
        totals = [totals[0] + f["one_s"], totals[1] + f["build_s"], totals[2] + f["build_cpu"]]
    rows.append(f"| **total** | {totals[0]:.2f} | **{totals[1]:.2f}** | {totals[2]:.2f} | {totals[0] / totals[1]:.2f}x |")
    lines = [f"N={result['n']:,} schemes; the build uses {result['workers']} process(es);"
             f" two processes of plain Python arithmetic do {result['core_scaling']}x the work of one.", "",
             *rows]
    if build_s:
        share = lambda s: f"{s:.2f} s ({100 * s / build_s:.1f}%)"  # noqa: E731
        stages = result["stages"]
        parallel_part = sum(stages[s]["build_s"] for s in PARALLEL)
        lines += ["", f"5% of a {build_s:.1f} s build is {0.05 * build_s:.2f} s; the generator took {share(totals[1])}.",
                  f"- {' and '.join(PARALLEL)} alone, as they run in a build: {share(parallel_part)};"
                  " no change to the one-process stages can go below this.",
                  f"- every stage shared out over the cores at the arithmetic's rate: {share(totals[0] / result['core_scaling'])};"
                  " no way of splitting the same work can go below this."]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=5000, help="schemes in the synthetic corpus")
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting (medians are printed)")
    parser.add_argument("--build-s", type=float, default=None, help="the whole build's seconds, for the 5%% budget")
    parser.add_argument("--spin", type=int, default=SPIN, help="additions timed to measure two cores against one")
    args = parser.parse_args(argv)
    print(table(breakdown(args.n, args.repeat, spin=args.spin), args.build_s))


if __name__ == "__main__":
    main()
