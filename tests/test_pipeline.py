"""One pipeline (generator/build.py): plain Python, called the same way by the hook, the CLI, the bench and tests."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT
from generator import build, parallel


def test_the_pipeline_imports_without_mkdocs():
    code = "import sys; sys.modules['mkdocs'] = None; import generator.build, generator.pages, generator.render"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_run_makes_every_scheme_page_card_and_record_once(clean_schemes):
    result = build.run(build.Settings(site_url="https://example.org/rrs/", workers=1), schemes_dir=clean_schemes)
    paths = [o.path for o in result.outputs]
    assert len(paths) == len(set(paths))
    for view in result.site.schemes:
        slug = view["slug"]
        for path in (f"schemes/{slug}.md", f"schemes/{slug}/card/index.html", f"data/schemes/{slug}.json"):
            assert path in paths
        assert view["url"] == f"https://example.org/rrs/schemes/{slug}/"
    pages = {o.path: o for o in result.outputs}
    some = result.site.schemes[0]
    assert pages[f"schemes/{some['slug']}.md"].edit_path == f"schemes/{some['slug']}.yaml"
    assert pages["finder.md"].edit_path is None
    assert set(result.timings) == {"load_s", "prepare_s", "output_s"}


@pytest.fixture
def forking_allowed(monkeypatch):
    """Let parallel fork although this test session runs a web server thread (see the last test)."""
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


def test_one_process_and_two_give_the_same_outputs(forking_allowed, clean_schemes):
    settings = build.Settings(workers=1)
    loaded = build.load(clean_schemes)
    one = build.outputs(build.prepare(loaded, settings), settings)
    two_settings = build.Settings(workers=2)
    two = build.outputs(build.prepare(loaded, two_settings), two_settings)
    assert [(o.path, o.content) for o in one] == [(o.path, o.content) for o in two]


def test_bad_entries_stop_the_pipeline_with_every_problem(tmp_path):
    (tmp_path / "a.yaml").write_text("slug: a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("title: [\n", encoding="utf-8")
    with pytest.raises(build.BuildError) as caught:
        build.load(tmp_path)
    shown = {p.path.rsplit("/", 1)[-1] for p in caught.value.problems}
    assert shown == {"a.yaml", "b.yaml"}
    assert "problem(s) in scheme files" in str(caught.value)


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="no fork here")
def test_a_process_running_threads_is_never_forked(monkeypatch):
    """mkdocs serve runs a server and a watcher thread: rendering then stays in this process."""
    def task(i):
        time.sleep(0.005)  # long enough for a worker to take pieces, if there is one
        return os.getpid()

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        pids = parallel.map_indexed(task, 50, workers=2)
    finally:
        stop.set()
        thread.join()
    assert set(pids) == {os.getpid()}
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # as in a plain `mkdocs build`
    assert len(set(parallel.map_indexed(task, 50, workers=2))) == 2
