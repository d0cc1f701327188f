"""The picture cards' cost (issue 28): `python -m generator write` of a corpus without cards, with an empty
card cache (every card drawn) and with a warm one (every card read back), each in its own process.

Run alone: `.venv/bin/python -m bench.cards N` (writes a synthetic corpus of N schemes into a temporary folder).
"""
from __future__ import annotations

import pathlib
import shutil
import sys
import tempfile

from bench.measure import MKDOCS_ENV, PY, fresh_dir, kb, log, run_measured
from generator.mkdocs_yml import ROOT


def _write(schemes_dir: pathlib.Path, out: pathlib.Path, cache: pathlib.Path, cards: str, timeout: float):
    fresh_dir(out)
    run = run_measured([PY, "-m", "generator", "write", str(out)], cwd=ROOT, timeout=timeout,
                       env=dict(MKDOCS_ENV, RRS_SCHEMES_DIR=str(schemes_dir), RRS_CARDS_CACHE=str(cache), RRS_CARDS=cards))
    if run.returncode != 0:
        raise SystemExit(f"generator write failed:\n{run.output[-4000:]}")
    return run


def card_figures(schemes_dir: pathlib.Path, work: pathlib.Path, timeout: float = 1800) -> dict:
    """cards_off_s, cards_cold_s, cards_warm_s (wall and CPU), the number of cards and the largest card."""
    cache, out = work / "cards-cache", work / "written"
    shutil.rmtree(cache, ignore_errors=True)
    off = _write(schemes_dir, out, cache, "0", timeout)
    cold = _write(schemes_dir, out, cache, "1", timeout)
    warm = _write(schemes_dir, out, cache, "1", timeout)
    pngs = list((out / "cards").rglob("*.png"))
    return {"cards_off_s": round(off.seconds, 2), "cards_cold_s": round(cold.seconds, 2),
            "cards_warm_s": round(warm.seconds, 2), "cards_off_cpu_s": round(off.cpu_s, 2),
            "cards_cold_cpu_s": round(cold.cpu_s, 2), "cards_warm_cpu_s": round(warm.cpu_s, 2),
            "cards_count": len(pngs), "cards_max_kb": kb(max((p.stat().st_size for p in pngs), default=0))}


def main(argv: list[str]) -> int:
    from bench import synthetic

    n = int(argv[0]) if argv else 1000
    work = pathlib.Path(tempfile.mkdtemp(prefix=f"rrs-cards-{n}-"))
    try:
        synthetic.write_corpus(n, work / "schemes", 2026)
        log(f"N={n}: generator write without cards, with a cold card cache, with a warm one")
        for key, value in card_figures(work / "schemes", work).items():
            print(f"{key}: {value}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
