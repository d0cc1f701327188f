"""Save to page under `mkdocs serve`: seconds from saving one scheme file to the served page showing the change.

`mkdocs serve` runs on the corpus (RRS_SCHEMES_DIR) and watches it; each run
edits the sample scheme's summary with a unique marker and polls the page
until the marker appears. MkDocs' own "Documentation built in" figures are
kept beside the measured times. The file is restored afterwards.

rebuild_figure times the whole site (`make serve`); preview_figure times the
preview of that one entry (`make preview SCHEMES=schemes/<slug>.yaml`, which
sets RRS_PREVIEW): every file still checked, only its pages and the pages
around them built.
"""
from __future__ import annotations

import os
import pathlib
import re
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import yaml

from bench import synthetic
from bench.measure import MKDOCS_ENV, PY
from generator.mkdocs_yml import ROOT

PAGE_WAIT_S = 600  # the longest a rebuilt page may take to appear


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def rebuild_figure(schemes_dir: pathlib.Path, slug: str, runs: int, timeout: float) -> dict:
    """The whole site under `mkdocs serve`: median and every run over `runs` edits of schemes_dir/<slug>.yaml."""
    times, built_in = _save_to_page(schemes_dir, slug, runs, timeout, {})
    return {
        "rebuild_s": round(statistics.median(times), 2),
        "rebuild_runs_s": [round(t, 2) for t in times],
        "rebuild_mkdocs_reported_s": [round(t, 2) for t in built_in],
    }


def preview_figure(schemes_dir: pathlib.Path, slug: str, runs: int, timeout: float) -> dict:
    """The preview of one entry (RRS_PREVIEW=schemes/<slug>.yaml, as `make preview` sets it), timed the same way."""
    times, built_in = _save_to_page(schemes_dir, slug, runs, timeout, {"RRS_PREVIEW": f"schemes/{slug}.yaml"})
    return {
        "preview_s": round(statistics.median(times), 2),
        "preview_runs_s": [round(t, 2) for t in times],
        "preview_mkdocs_reported_s": [round(t, 2) for t in built_in],
    }


def _save_to_page(schemes_dir: pathlib.Path, slug: str, runs: int, timeout: float, extra_env: dict):
    """(seconds from save to served page, MkDocs' own build times) over `runs` edits."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/schemes/{slug}/"
    logfile = tempfile.NamedTemporaryFile(prefix="rrs-serve-", suffix=".log", delete=False)
    log_path = pathlib.Path(logfile.name)
    proc = subprocess.Popen(
        [PY, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload", "-w", str(schemes_dir)],
        cwd=ROOT, env=dict(MKDOCS_ENV, RRS_SCHEMES_DIR=str(schemes_dir), **extra_env),
        stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True,
    )
    path = schemes_dir / f"{slug}.yaml"
    original = path.read_bytes()
    times, built_in = [], []
    try:
        deadline = time.monotonic() + timeout
        while _get(url) is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("mkdocs serve did not start: " + log_path.read_text()[-2000:])
            time.sleep(0.2)
        time.sleep(2)  # let the watcher settle after the first build
        for run in range(runs):
            marker = f"Benchmark edit {run} {time.time_ns()}"
            entry = yaml.load(original, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            entry["summary"] = f"{entry['summary'][:300]} {marker}."
            log_before = len(log_path.read_bytes())
            start = time.monotonic()
            path.write_text(synthetic.dump(entry), encoding="utf-8")
            while True:
                body = _get(url)
                if body and marker in body:
                    break
                if proc.poll() is not None or time.monotonic() - start > PAGE_WAIT_S:
                    raise RuntimeError(f"the rebuilt page did not appear within {PAGE_WAIT_S} s")
                time.sleep(0.05)
            times.append(time.monotonic() - start)
            tail = log_path.read_bytes()[log_before:].decode("utf-8", "replace")
            found = re.findall(r"Documentation built in ([0-9.]+) seconds", tail)
            if found:
                built_in.append(float(found[-1]))
            time.sleep(1)
    finally:
        path.write_bytes(original)
        _stop(proc)
        logfile.close()
        os.unlink(logfile.name)
    return times, built_in
