"""The built site in headless Chromium: one scheme page's weight, and a finder filter change's time.

A built site folder is served over HTTP on 127.0.0.1 (a free port) for as long
as a measurement needs it. Without Chromium, the page weight falls back to
counting the files the page names (page_weight_static), and the finder
timing is left out.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import pathlib
import re
import shutil
import statistics
import threading

from bench.measure import gz_len, kb, log

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]


def have_chromium(chromium: str) -> bool:
    return bool(chromium) and (os.path.exists(chromium) or shutil.which(chromium) is not None)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: pathlib.Path):
    """Serve directory on 127.0.0.1; yields the base URL (no trailing slash)."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def _chromium(chromium: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _excluded(url: str) -> bool:
    """The search index is loaded by the search box, not by the page: it is sized on its own."""
    return url.split("?")[0].endswith("search/search_index.json")


# ---- page weight -----------------------------------------------------------

def page_weight(site_dir: pathlib.Path, slug: str, chromium: str) -> dict:
    """One scheme page with everything it loads, except the search index (in Chromium if it can)."""
    if have_chromium(chromium):
        try:
            return page_weight_browser(site_dir, slug, chromium)
        except Exception as exc:  # noqa: BLE001 - fall back to counting files
            log(f"browser page weight failed ({exc.__class__.__name__}: {exc}); counting files instead")
    return page_weight_static(site_dir, slug)


def page_weight_browser(site_dir: pathlib.Path, slug: str, chromium: str) -> dict:
    """Every response from the site while the page loads and settles, recorded in headless Chromium."""
    bodies: dict[str, bytes] = {}
    with serve(site_dir) as base, _chromium(chromium) as browser:
        context = browser.new_context(locale="en-GB", service_workers="block")
        page = context.new_page()
        responses = []
        page.on("response", lambda resp: responses.append(resp))
        try:
            page.goto(f"{base}/schemes/{slug}/", wait_until="networkidle", timeout=60000)
        except Exception:  # noqa: BLE001 - a busy search worker can keep the network open
            if page.evaluate("document.readyState") != "complete":
                raise
        page.wait_for_timeout(1000)
        for resp in responses:
            url = resp.url
            if _excluded(url) or not url.startswith(base) or url in bodies:
                continue
            try:
                bodies[url] = resp.body()
            except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
                continue
        context.close()
    return {
        "page_weight_kb": kb(sum(len(b) for b in bodies.values())),
        "page_weight_gz_kb": kb(sum(gz_len(b) for b in bodies.values())),
        "page_requests": len(bodies),
        "page_weight_method": "chromium",
        "page_resources_gz_kb": {u[len(base):]: kb(gz_len(b)) for u, b in sorted(bodies.items())},
    }


def page_weight_static(site_dir: pathlib.Path, slug: str) -> dict:
    """Fallback: the HTML plus every local stylesheet, script, image and the search worker it names."""
    page = site_dir / "schemes" / slug / "index.html"
    html_bytes = page.read_bytes()
    html = html_bytes.decode("utf-8")
    refs = set(re.findall(r'<(?:link[^>]+rel="(?:stylesheet|icon|shortcut icon)"[^>]+href|script[^>]+src|img[^>]+src)="([^"#?]+)', html))
    refs |= set(re.findall(r'"search":\s*"([^"]+)"', html))
    bodies = [html_bytes]
    for ref in refs:
        if "://" in ref or ref.startswith("data:"):
            continue
        target = (page.parent / ref).resolve()
        if target.is_file() and not _excluded(str(target)):
            bodies.append(target.read_bytes())
    return {
        "page_weight_kb": kb(sum(len(b) for b in bodies)),
        "page_weight_gz_kb": kb(sum(gz_len(b) for b in bodies)),
        "page_requests": len(bodies),
        "page_weight_method": "static",
    }


# ---- finder ----------------------------------------------------------------

# Twenty checkboxes spread over the form, each ticked then unticked: the time of the
# click itself (the finder filters and redraws in its change handler), and the same
# with the browser's style and layout of the result forced afterwards.
_FINDER_JS = """async () => {
  const boxes = [...document.querySelectorAll('.rrs-finder-form input[type=checkbox]')];
  const step = Math.max(1, Math.floor(boxes.length / 20));
  const pick = boxes.filter((_, i) => i % step === 0).slice(0, 20);
  const idle = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const out = [];
  for (const box of pick) {
    for (const pass of [0, 1]) {  // tick, then untick
      await idle();
      const t0 = performance.now();
      box.click();
      const t1 = performance.now();
      document.body.offsetHeight;
      out.push({ms: performance.now() - t0, script: t1 - t0});
    }
  }
  return out;
}"""


def finder_timing(site_dir: pathlib.Path, chromium: str) -> dict:
    """One filter change in the finder: from the click to the DOM updated (the finder issue's
    measure), and to the page laid out again. None when there is no finder page or no Chromium."""
    none = {"finder_filter_ms": None}
    if not (site_dir / "finder" / "index.html").exists() or not have_chromium(chromium):
        return none
    try:
        with serve(site_dir) as base, _chromium(chromium) as browser:
            page = browser.new_page(locale="en-GB")
            page.goto(f"{base}/finder/", wait_until="load", timeout=60000)
            page.wait_for_selector(".rrs-finder[data-ready=true]", state="attached", timeout=60000)
            samples = page.evaluate(_FINDER_JS)
    except Exception as exc:  # noqa: BLE001 - report, do not fail the run
        log(f"finder timing failed ({exc.__class__.__name__}: {exc})")
        return none
    times = sorted(x["script"] for x in samples)
    if not times:
        return none
    return {
        "finder_filter_ms": round(statistics.median(times), 1),
        "finder_filter_max_ms": round(times[-1], 1),
        "finder_filter_samples": len(times),
        "finder_filter_layout_ms": round(statistics.median(x["ms"] for x in samples), 1),
    }
