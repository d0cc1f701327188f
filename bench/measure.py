"""Measuring tools the benchmark shares: a subprocess's time, peak memory and CPU time; gzip sizes.

Nothing here knows about the site: bench/run.py and the other bench modules
use these to time and size what the project does.
"""
from __future__ import annotations

import gzip
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from typing import NamedTuple

PY = sys.executable
# Material prints a notice about MkDocs 2 on every build; it is not about this site.
MKDOCS_ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the generator's forked workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def kb(nbytes: int | None) -> float | None:
    return None if nbytes is None else round(nbytes / 1024, 1)


def gz_len(data: bytes) -> int:
    """Bytes after gzip at the level a web server typically uses."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def median(values):
    """The median of the values that are not None (None if there are none)."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


class Measured(NamedTuple):
    seconds: float
    peak_rss_mb: float
    returncode: int
    output: str  # stdout and stderr together
    cpu_s: float


def run_measured(cmd, cwd, env, timeout: float, log_path=None) -> Measured:
    """Run cmd in its own session; wall time, and peak RSS and CPU time from wait4.

    On timeout the whole process group is killed and the run is returned as it ended.
    """
    out = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    text = out.read().decode("utf-8", "replace")
    out.close()
    # ru_maxrss is in KiB on Linux
    return Measured(elapsed, usage.ru_maxrss / 1024, proc.returncode, text, usage.ru_utime + usage.ru_stime)


def fresh_dir(path) -> None:
    """Every timed build writes into an empty folder, as the first build of a clone does.

    MkDocs first empties an existing site folder (15,000 pages and files at
    5,000 schemes: about 2 s here), which the first run has no need to do; so
    that the runs are alike, the folder is removed, and the removal flushed,
    before the clock starts.
    """
    shutil.rmtree(path, ignore_errors=True)
    os.sync()
