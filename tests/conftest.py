"""Shared fixtures: a built site, a local web server, and headless Chromium.

Browser tests use Debian's Chromium through Playwright. If it is missing the
tests fail (never skip): `make test` installs it.
"""
from __future__ import annotations

import functools
import http.server
import os
import pathlib
import shutil
import subprocess
import sys
import threading

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]


def build_site(dest: pathlib.Path, schemes_dir: pathlib.Path | None = None, extra_env=None) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` into dest, optionally from another schemes folder."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    if schemes_dir is not None:
        env["RRS_SCHEMES_DIR"] = str(schemes_dir)
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> pathlib.Path:
    dest = tmp_path_factory.mktemp("site")
    result = build_site(dest)
    assert result.returncode == 0, result.stderr
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: pathlib.Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site_url(built_site):
    server, url = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class RecordedPage:
    """A browser page that remembers every request it made."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        page.on("request", lambda req: self.requests.append(req.url))

    def foreign_requests(self, base: str) -> list[str]:
        return [u for u in self.requests if not (u.startswith(base) or u.startswith("data:") or u.startswith("blob:") or u == "about:blank")]


def settle(recorded: RecordedPage, quiet_ms: int = 500, timeout_ms: int = 10000) -> None:
    """Wait until the page has made no new request for quiet_ms (what a search query fetches
    comes after the page's load, so Playwright's network-idle load state says nothing about it)."""
    waited, seen = 0, -1
    while seen != len(recorded.requests) and waited < timeout_ms:
        seen = len(recorded.requests)
        recorded.page.wait_for_timeout(quiet_ms)
        waited += quiet_ms


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    recorded = RecordedPage(context.new_page())
    yield recorded
    context.close()


def material_search(p, text: str):
    """Type into Material's search once its worker is ready (it ignores input before that)."""
    p.locator("input.md-search__input").click()
    p.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent.trim() && !/initiali[sz]ing/i.test(m.textContent); }",
        timeout=20000,
    )
    p.locator("input.md-search__input").press_sequentially(text, delay=20)
    p.locator(".md-search-result__item").first.wait_for(timeout=20000)
