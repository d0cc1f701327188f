"""Work spread over cores gives the same results, in the same order, as one process."""
from __future__ import annotations

import os
import time

import pytest
import yaml

from bench import synthetic
from generator import parallel
from generator.loader import SchemeLoader, scheme_paths


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setenv("RRS_WORKERS", "2")
    # parallel never forks a process that runs other threads; this test session runs a web server's.
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


def test_results_come_back_in_order_from_both_processes(two_workers):
    parent = os.getpid()

    def task(i):
        time.sleep(0.01)  # long enough that the worker claims pieces too
        return (i * i, os.getpid() == parent)

    results = parallel.map_indexed(task, 40)
    assert [r[0] for r in results] == [i * i for i in range(40)]
    ran_here = [r[1] for r in results]
    assert any(ran_here) and not all(ran_here), "both processes should have taken pieces"


def test_a_failure_in_a_worker_is_raised_with_its_traceback(two_workers):
    parent = os.getpid()

    def task(i):
        time.sleep(0.01)
        if os.getpid() != parent:
            raise ValueError(f"piece {i} cannot be rendered")
        return i

    with pytest.raises(parallel.WorkerError, match=r"ValueError: piece \d+ cannot be rendered"):
        parallel.map_indexed(task, 40)


def test_one_process_for_small_work(monkeypatch):
    monkeypatch.delenv("RRS_WORKERS", raising=False)
    assert parallel.worker_count(parallel.MIN_ITEMS - 1) == 1
    monkeypatch.setenv("RRS_WORKERS", "1")
    assert parallel.worker_count(10_000) == 1


def test_loading_in_two_processes_matches_one(tmp_path, monkeypatch):
    folder = tmp_path / "schemes"
    synthetic.write_corpus(60, folder)
    paths = scheme_paths(folder)
    # A broken file and a slug used twice: problems, and cross-file problems, must match too.
    (folder / "broken-entry.yaml").write_text("slug: broken-entry\ntitle: [unclosed\n", encoding="utf-8")
    # A valid entry whose alias is another entry's slug: only the cross-file rule sees it.
    second = paths[1].stem
    twin = yaml.safe_load(paths[0].read_text(encoding="utf-8"))
    twin.update(slug="zz-twin", aliases=[second])  # replaces any aliases the first entry had
    (folder / "zz-twin.yaml").write_text(yaml.safe_dump(twin, sort_keys=False, allow_unicode=True), encoding="utf-8")
    paths = scheme_paths(folder)

    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # as in two_workers

    def load(workers):
        monkeypatch.setenv("RRS_WORKERS", workers)
        schemes, problems = SchemeLoader().load_many(paths)
        return [(s.slug, s.data, s.positions) for s in schemes], [str(p) for p in problems]

    one, two = load("1"), load("2")
    assert one == two
    assert len(one[0]) == 61
    assert any("broken-entry.yaml" in p for p in one[1])
    assert any("zz-twin.yaml" in p and "is the slug of another scheme" in p for p in one[1]), one[1]
