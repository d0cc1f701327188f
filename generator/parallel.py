"""Spread independent pieces of work over the machine's cores.

Loading one file, or rendering one page, depends on nothing else, and at
thousands of schemes that is most of what the generator does. Workers are
forked, so they inherit the loader and renderer already set up here (compiled
schema, Jinja environment, prepared views): nothing goes out to them, and
plain values (text, bytes, loaded entries) come back.

Pieces are handed out one at a time from a shared counter, to this process as
well as to the workers, so a slow piece (a long listing page) does not leave
a core idle while another waits. Put the slowest pieces first. Workers write
their results to a temporary file in batches as they go, which this process
reads once its own share is done.

One process does everything when forking is unavailable (Windows), when
this process runs other threads (under `mkdocs serve`), when the work is too
small to be worth a worker, or when RRS_WORKERS=1 (useful with a debugger). RRS_WORKERS=N asks for N processes even for small work, which is
how the tests exercise this path.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
import threading
import traceback
from typing import Callable, TypeVar

T = TypeVar("T")

# Below this many pieces, starting a worker costs more than it saves.
MIN_ITEMS = 300
# Results per batch a worker writes out.
BATCH = 64


def worker_count(n_items: int, workers: int | None = None) -> int:
    """Processes to use: `workers` if given, else RRS_WORKERS, else one per core for big enough work.

    Always 1 where forking is unavailable, or when this process runs other
    threads (mkdocs serve's server and file watcher): a forked child would
    inherit their locks half-held, which Python 3.12 and later warn about.
    """
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    if workers is not None:
        return max(1, min(workers, n_items))
    asked = os.environ.get("RRS_WORKERS", "").strip()
    if asked:
        return max(1, min(int(asked), n_items))
    if n_items < MIN_ITEMS:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, n_items))


class WorkerError(RuntimeError):
    """A piece failed in a worker process; the message holds its traceback."""


def map_indexed(task: Callable[[int], T], n_items: int, workers: int | None = None) -> list[T]:
    """[task(0), task(1), ..., task(n_items - 1)], computed by up to one process per core.

    task may be any callable, closures included (workers inherit it by
    forking); what it returns must pickle. `workers` overrides worker_count's choice.
    """
    count = worker_count(n_items, workers)
    if count <= 1:
        return [task(i) for i in range(n_items)]
    ctx = multiprocessing.get_context("fork")
    next_item = ctx.RawValue("q", 0)
    lock = ctx.Lock()

    def claim() -> int:
        with lock:
            i = next_item.value
            next_item.value = i + 1
        return i

    def worker(spool) -> None:
        # Results are written out in batches as the worker goes, so little is left to do once
        # it finishes; a file (not a pipe) never makes it wait for this process to read.
        batch: dict = {}
        try:
            while (i := claim()) < n_items:
                batch[i] = task(i)
                if len(batch) == BATCH:
                    pickle.dump((True, batch), spool, protocol=pickle.HIGHEST_PROTOCOL)
                    batch = {}
            pickle.dump((True, batch), spool, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
            pickle.dump((False, traceback.format_exc()), spool)
        finally:
            spool.flush()

    children: list = []
    try:
        for _ in range(count - 1):
            spool = tempfile.TemporaryFile()
            process = ctx.Process(target=worker, args=(spool,), daemon=True)
            process.start()
            children.append((process, spool))
        results: dict[int, T] = {}
        while (i := claim()) < n_items:
            results[i] = task(i)
        for process, spool in children:
            process.join()
            spool.seek(0)
            while True:
                try:
                    ok, payload = pickle.load(spool)
                except EOFError:
                    break
                except pickle.UnpicklingError:  # cut short: the worker was killed while writing
                    break
                if not ok:
                    raise WorkerError(f"a worker process failed:\n{payload}")
                results.update(payload)
        if len(results) != n_items:
            codes = ", ".join(str(process.exitcode) for process, _ in children)
            raise WorkerError(f"a worker process stopped before it finished (exit codes: {codes})")
    finally:
        for process, spool in children:
            if process.is_alive():
                process.terminate()
                process.join()
            spool.close()
    return [results[i] for i in range(n_items)]
