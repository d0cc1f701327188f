"""Search in headless Chromium: what one cold query transfers and how long it takes, as a visitor meets it.

A fresh browser (empty cache) opens a scheme page, presses `/`, types a
one-word query into the site's search box and waits for a result of that
query on screen; then it types a few more queries (warm). The local server
records every file it sends, so what search transferred is read off the
network whether the page, Material's worker or Pagefind asked for it.

- search_payload_gz_kb: every search file sent from opening the page to the
  first result (index, worker, chunks, fragments), each counted as a web
  server would send it: gzipped, or as it is when gzip would not shrink it
  (Pagefind's files are compressed already);
- search_first_result_ms: from the keydown of the query's last letter to the
  first result of that query painted (the frame after the result list
  changed), median of SEARCH_COLD_RUNS fresh browsers;
- search_warm_ms: the same for further queries in the same page, median.

A result "of that query" is a result link whose highlight parameter (`?h=`)
names the query: both Material's own worker and ours put the matched terms
there, so results of an earlier prefix ("hous") do not count.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import pathlib
import re
import statistics
import threading
import time

from bench.measure import gz_len, kb, log

COLD_QUERY = "housing"
WARM_QUERIES = ("mentoring", "women", "restorative", "employment")
# What belongs to search: Material's index and worker, lunr's language files, our worker, Pagefind's bundle.
SEARCH_PATH = re.compile(r"^/(search/|pagefind/|assets/javascripts/(workers/|lunr/|search))")

_SETUP_JS = """() => {
  const input = document.querySelector('input.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  const state = {keys: [], frames: []};
  window.__rrsSearch = state;
  input.addEventListener('keydown', e => state.keys.push(performance.now()), true);
  new MutationObserver(() => {
    const links = [...list.querySelectorAll('a.md-search-result__link')].map(a => a.href);
    requestAnimationFrame(() => state.frames.push({t: performance.now(), links}));
  }).observe(list, {childList: true, subtree: true});
}"""

# The first frame, after the last key, that shows a result of query q.
_RESULT_JS = """(q) => {
  const state = window.__rrsSearch;
  const last = state.keys[state.keys.length - 1];
  const of = href => (new URL(href).searchParams.get('h') || '').toLowerCase().split(/\\s+/).includes(q);
  const hit = state.frames.find(f => f.t >= last && f.links.length && of(f.links[0]));
  return hit ? {ms: hit.t - last, first: hit.links[0]} : null;
}"""


class _Recorder(http.server.SimpleHTTPRequestHandler):
    """Serves the site and notes each file it sends: (path, bytes)."""

    sent: list = []

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        self.sent.append((self.path.split("?")[0], data))
        outputfile.write(data)


@contextlib.contextmanager
def recording_server(directory: pathlib.Path):
    """Serve directory on 127.0.0.1; yields (base URL, the list of (path, bytes) sent so far)."""
    sent: list = []
    handler = functools.partial(type("Recorder", (_Recorder,), {"sent": sent}), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", sent
    finally:
        server.shutdown()
        server.server_close()


def wire_size(data: bytes) -> int:
    """What a web server sends: gzipped, unless gzip would not make it smaller."""
    return min(len(data), gz_len(data))


def _type_query(page, text: str, clear: bool) -> None:
    box = page.locator("input.md-search__input")
    if clear:
        box.press("Control+a")
    page.keyboard.type(text, delay=40)


def _wait_result(page, query: str, timeout_s: float) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        hit = page.evaluate(_RESULT_JS, query)
        if hit:
            return hit
        page.wait_for_timeout(10)
    raise TimeoutError(f"no result for {query!r} within {timeout_s} s")


def one_cold_run(browser, base: str, sent: list, slug: str, query: str, warm: tuple[str, ...],
                 timeout_s: float = 60.0) -> dict:
    """A fresh browser context: open a scheme page, `/`, type the query, wait for its result; then warm queries."""
    context = browser.new_context(locale="en-GB", service_workers="block")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sent.clear()
        page.goto(f"{base}/schemes/{slug}/", wait_until="load", timeout=60000)
        page.evaluate(_SETUP_JS)
        page.keyboard.press("/")
        page.wait_for_function("document.activeElement && document.activeElement.matches('input.md-search__input')",
                               timeout=10000)
        _type_query(page, query, clear=False)
        cold = _wait_result(page, query, timeout_s)
        files = [(path, data) for path, data in list(sent) if SEARCH_PATH.match(path)]
        warm_ms = []
        for word in warm:
            _type_query(page, word, clear=True)
            warm_ms.append(_wait_result(page, word, timeout_s)["ms"])
        return {"ms": cold["ms"], "first": cold["first"], "warm_ms": warm_ms, "errors": errors,
                "files": {path: (len(data), wire_size(data)) for path, data in files}}
    finally:
        context.close()


def search_timing(site_dir: pathlib.Path, slug: str, chromium: str, runs: int = 3,
                  query: str = COLD_QUERY, warm: tuple[str, ...] = WARM_QUERIES) -> dict:
    """The search figures of a built site (see the module's docstring)."""
    from bench.browser import _chromium, have_chromium

    none = {"search_payload_gz_kb": None, "search_first_result_ms": None, "search_warm_ms": None}
    if not have_chromium(chromium):
        return none
    try:
        with recording_server(site_dir) as (base, sent), _chromium(chromium) as browser:
            results = [one_cold_run(browser, base, sent, slug, query, warm) for _ in range(runs)]
    except Exception as exc:  # noqa: BLE001 - report, do not fail the run
        log(f"search timing failed ({exc.__class__.__name__}: {exc})")
        return none
    payloads = [sum(w for _, w in r["files"].values()) for r in results]
    warm_all = [ms for r in results for ms in r["warm_ms"]]
    return {
        "search_payload_gz_kb": kb(max(payloads)),
        "search_payload_kb": kb(max(sum(raw for raw, _ in r["files"].values()) for r in results)),
        "search_requests": max(len(r["files"]) for r in results),
        "search_first_result_ms": round(statistics.median(r["ms"] for r in results), 1),
        "search_first_result_runs_ms": [round(r["ms"], 1) for r in results],
        "search_warm_ms": round(statistics.median(warm_all), 1),
        "search_warm_max_ms": round(max(warm_all), 1),
        "search_query": query,
        "search_first_result": results[0]["first"],
        "search_files_gz_kb": {p: kb(w) for p, (_, w) in sorted(results[0]["files"].items())},
        "search_page_errors": sorted({e for r in results for e in r["errors"]}),
    }


if __name__ == "__main__":  # python -m bench.search SITE_DIR SLUG [QUERY]
    import json
    import os
    import sys

    site, slug = pathlib.Path(sys.argv[1]), sys.argv[2]
    q = sys.argv[3] if len(sys.argv) > 3 else COLD_QUERY
    print(json.dumps(search_timing(site, slug, os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                   runs=int(os.environ.get("SEARCH_RUNS", "3")), query=q), indent=2))
