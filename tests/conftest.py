"""Shared fixtures: the register, one build of the real site, a fixture site, a web server, headless Chromium.

Nothing here (or in any test module) loads the register at import: a broken
entry fails the tests about that entry (and the validation tests), and every
other test still runs, against the entries that load cleanly.

- `register`: every file in schemes/ loaded once per session, problems kept apart.
- `prepared`: the register's `build.Site` (generator/prepare.py), as the pipeline makes it.
- `site_build` / `built_site`: the real site, built once per session by
  `mkdocs build --strict` (RRS_WORKERS=1, SOURCE_DATE_EPOCH pinned to today);
  `second_build`: the one extra build, by ProperDocs in two processes, for the
  tests that compare two builds (reproducibility) and engines (test_properdocs).
- `fixture_site`: one build of every fixture entry (tests/hostile, tests/fixtures/*,
  a file made by `generator new`) in a copy of the repository whose vocabularies
  gain a target group.
- `browser`: Chromium, launched once per session; `page`: the worker's one page, left as new after
  each test (handlers, routes, stored data, viewport and media reset; the HTTP cache kept).

Browser tests use Debian's Chromium through Playwright. If it is missing the
tests fail (never skip): `make test` installs it.
"""
from __future__ import annotations

import contextlib
import datetime
import fcntl
import filecmp
import functools
import http.server
import io
import os
import pathlib
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMES = ROOT / "schemes"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]
# CI (the workflows and .ci/run set CI=true): inputs that may be absent on a laptop must be there.
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# The variables that keep Material's MkDocs 2 notice out of a build's output (the Makefile exports them).
QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def scheme_slugs() -> list[str]:
    """The entries' slugs, from the file names alone, for parametrizing at collection (nothing loaded)."""
    return sorted(p.stem for p in SCHEMES.iterdir() if p.suffix in (".yaml", ".yml"))


def properdocs() -> list[str]:
    """The ProperDocs command (a drop-in fork of MkDocs 1.x; README: Toolchain). It comes with
    mkdocs-redirects (requirements.lock): where it is missing, the tests that need it fail in CI and skip elsewhere."""
    found = shutil.which("properdocs", path=os.path.dirname(sys.executable)) or shutil.which("properdocs")
    if not found:
        if IN_CI:
            pytest.fail("properdocs is not installed: it comes with requirements.lock")
        pytest.skip("properdocs is not installed (in CI this fails)")
    return [found]


def build_site(dest: pathlib.Path, schemes_dir: pathlib.Path | None = None, extra_env=None,
               cwd: pathlib.Path = ROOT, engine: list[str] | None = None) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` (or `ENGINE build --strict`) into dest, optionally from another schemes folder."""
    env = dict(os.environ, **QUIET_ENV)
    env.pop("RRS_SCHEMES_DIR", None)
    env.pop("RRS_PREVIEW", None)
    if schemes_dir is not None:
        env["RRS_SCHEMES_DIR"] = str(schemes_dir)
    env.update(extra_env or {})
    return subprocess.run(
        [*(engine or [sys.executable, "-m", "mkdocs"]), "build", "--strict", "--site-dir", str(dest)],
        cwd=cwd, env=env, capture_output=True, text=True,
    )


@contextlib.contextmanager
def patched_env(values: dict | None = None, remove=()):
    """os.environ with these values set and these names removed, restored afterwards."""
    saved = dict(os.environ)
    for name in remove:
        os.environ.pop(name, None)
    os.environ.update(values or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_cli(args, env: dict | None = None, cwd: pathlib.Path = ROOT, stdin: str = "") -> subprocess.CompletedProcess:
    """`python -m generator ARGS` run in this process (generator.cli.main), as a contributor runs it
    without a terminal; the result reads like subprocess.run's. For the CLI's behaviour: where the
    process itself is under test, tests still start one."""
    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    with patched_env(env, remove=() if env and "SITE_URL" in env else ("SITE_URL",)), contextlib.chdir(cwd), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        sys.stdin = io.StringIO(stdin)
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse's errors, and --help
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdin = saved_stdin
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


# ---- the register ----------------------------------------------------------------------

@dataclass
class Register:
    """schemes/ loaded once: the entries that load cleanly, and every problem by slug."""

    loader: object
    schemes: list                      # generator.loader.Scheme, clean entries only
    problems: list                     # every Problem found
    broken: dict = field(default_factory=dict)   # slug -> [Problem]

    @property
    def vocab(self):
        return self.loader.vocab

    @property
    def schema(self):
        return self.loader.schema

    @functools.cached_property
    def by_slug(self) -> dict:
        return {s.slug: s for s in self.schemes}

    def scheme(self, slug: str):
        """One entry by slug; the test fails with the entry's problems if it has any."""
        if slug in self.broken:
            pytest.fail(f"{slug} does not load:\n" + "\n".join(str(p) for p in self.broken[slug]))
        return self.by_slug[slug]


SITE_FIXTURES = {"site_build", "built_site", "second_build", "second_site_build", "fixture_site", "site_url", "fixture_url"}


def pytest_collection_modifyitems(items):
    """Mark `site` every test that needs a whole MkDocs build, so `make check` can leave them to `make test`;
    and run the tests that need none first, while the builds they would wait for are made (_builds_ahead)."""
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)
    items.sort(key=lambda item: item.get_closest_marker("site") is not None)  # stable: file order kept within each


@pytest.fixture(scope="session", autouse=True)
def _builds_ahead(request, tmp_path_factory):
    """Start, in threads, the builds this session's tests will need (the real site, the fixture site, the
    ProperDocs build), so the first test to need one finds it made or being made. The tests that need no build run meanwhile (they
    come first); whichever worker gets a build's lock first makes it (_once), the others' threads wait."""
    wanted = set().union(*(getattr(item, "fixturenames", ()) for item in request.session.items))
    tmp_path_factory.getbasetemp()  # made here, once: made from two threads at once, one would empty the other's
    jobs = []
    if wanted & {"site_build", "built_site", "site_url", "second_build", "second_site_build"}:
        clean = request.getfixturevalue("clean_schemes")
        engine = shutil.which("properdocs", path=os.path.dirname(sys.executable))  # (properdocs() itself may skip)
        again = engine and wanted & {"second_build", "second_site_build"}
        # One after the other: made at once, in a fresh clone both would draw every card (.cache/cards)
        jobs.append(lambda: (_real_build(tmp_path_factory, clean, "real-site", "1"),
                             again and _real_build(tmp_path_factory, clean, "real-site-again", "2", engine=[engine])))
    if wanted & {"fixture_site", "fixture_url"}:
        jobs.append(lambda: _fixture_build(tmp_path_factory))
    threads = [threading.Thread(target=_quietly, args=(job,), daemon=True) for job in jobs]
    for t in threads:
        t.start()
    yield
    for t in threads:
        t.join()


def _quietly(job) -> None:
    """A build ahead of time: a failure is left for the fixture that needs it to meet and report."""
    try:
        job()
    except BaseException:  # noqa: BLE001 (the fixture builds again and fails with the details)
        pass


@pytest.fixture(scope="session")
def register() -> Register:
    from generator.loader import SchemeLoader, scheme_paths

    loader = SchemeLoader()
    schemes, problems = loader.load_many(scheme_paths(SCHEMES))
    broken: dict = {}
    for p in problems:
        broken.setdefault(pathlib.Path(p.path).stem, []).append(p)
    return Register(loader, [s for s in schemes if s.slug not in broken], problems, broken)


@pytest.fixture(scope="session")
def prepared(register):
    """The prepared site (views, listings) of the entries that load, as the hook prepares it."""
    from generator import build

    return build.prepare(build.Loaded(register.loader, register.schemes), build.Settings())


# ---- builds, shared between xdist workers -----------------------------------------------

def _shared_dir(tmp_path_factory, name: str) -> pathlib.Path:
    """A folder every xdist worker of this run sees (the run's base temp), or this session's own."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return base / name


@contextlib.contextmanager
def _once(tmp_path_factory, name: str):
    """Yields (folder, done): the first worker to get here does the work, the others wait and reuse it."""
    folder = _shared_dir(tmp_path_factory, name)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(str(folder) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder, (folder / ".done").exists()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass
class SiteBuild:
    site: pathlib.Path
    returncode: int
    output: str                 # what the build printed (stdout and stderr)
    schemes_dir: pathlib.Path   # the entries it was built from
    untouched: bool             # docs/ and schemes/ unchanged by the build (names and times)
    epoch: str                  # its SOURCE_DATE_EPOCH


def _today_epoch() -> str:
    today = datetime.datetime.now(datetime.timezone.utc).date()
    return str(int(datetime.datetime(today.year, today.month, today.day, tzinfo=datetime.timezone.utc).timestamp()))


def _stamps() -> dict:
    return {p: p.stat().st_mtime_ns for top in (ROOT / "docs", SCHEMES) for p in sorted(top.rglob("*"))}


@pytest.fixture(scope="session")
def clean_schemes(tmp_path_factory, register) -> pathlib.Path:
    """The folder to build the register from: schemes/ itself, or, when an entry is broken, a copy of
    the entries that load (the broken entry's own tests fail; the rest run on the others)."""
    if not register.broken:
        return SCHEMES
    with _once(tmp_path_factory, "clean-schemes") as (folder, done):
        if not done:
            folder.mkdir(parents=True, exist_ok=True)
            for s in register.schemes:
                shutil.copy(s.path, folder)
            (folder / ".done").touch()
        return folder


def _real_build(tmp_path_factory, schemes_dir: pathlib.Path, name: str, workers: str,
                engine: list[str] | None = None) -> SiteBuild:
    """The real site (of the entries that load: see clean_schemes), by MkDocs unless `engine` is given."""
    with _once(tmp_path_factory, name) as (folder, done):
        if not done:
            before = _stamps()
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "epoch").write_text(_today_epoch())
            result = build_site(folder / "site", schemes_dir=schemes_dir,
                                extra_env={"RRS_WORKERS": workers, "SOURCE_DATE_EPOCH": (folder / "epoch").read_text()},
                                engine=engine)
            (folder / "output.txt").write_text(result.stdout + result.stderr, encoding="utf-8")
            (folder / "returncode").write_text(str(result.returncode))
            (folder / "untouched").write_text(str(_stamps() == before))
            (folder / ".done").touch()
        return SiteBuild(folder / "site", int((folder / "returncode").read_text()),
                         (folder / "output.txt").read_text(encoding="utf-8"), schemes_dir,
                         (folder / "untouched").read_text() == "True", (folder / "epoch").read_text())


@pytest.fixture(scope="session")
def site_build(tmp_path_factory, clean_schemes) -> SiteBuild:
    """The real site, built once per session (in one process)."""
    return _real_build(tmp_path_factory, clean_schemes, "real-site", "1")


@pytest.fixture(scope="session")
def built_site(site_build) -> pathlib.Path:
    assert site_build.returncode == 0, site_build.output[-4000:]
    return site_build.site


@pytest.fixture(scope="session")
def second_site_build(tmp_path_factory, clean_schemes, built_site) -> SiteBuild:
    """The one extra build of the real site: by ProperDocs, spread over two processes. The tests comparing two
    builds read it (test_no_data_lost, test_register_insights), and so does the check that ProperDocs builds
    what MkDocs builds (test_properdocs): one build for both, each page's generator tag (the engine's name)
    the one difference allowed."""
    return _real_build(tmp_path_factory, clean_schemes, "real-site-again", "2", engine=properdocs())


GENERATOR_META = re.compile(r'<meta name="generator" content="([^"]*)">')


def differences(a: pathlib.Path, b: pathlib.Path) -> tuple[set[str], set[str], list[str]]:
    """Two builds of a site compared file by file, the sitemap aside (it carries the build date): the files
    only in a, only in b, and in both but different once each page's generator tag (the engine's name and
    version) is taken out."""
    skip = {"sitemap.xml", "sitemap.xml.gz"}

    def files(root):
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name not in skip}

    in_a, in_b = files(a), files(b)
    different = [path for path in sorted(in_a & in_b)
                 if not filecmp.cmp(a / path, b / path, shallow=False)
                 and not (path.endswith(".html") and GENERATOR_META.sub("", (a / path).read_text(encoding="utf-8"))
                          == GENERATOR_META.sub("", (b / path).read_text(encoding="utf-8")))]
    return in_a - in_b, in_b - in_a, different


@pytest.fixture(scope="session")
def second_build(second_site_build) -> pathlib.Path:
    assert second_site_build.returncode == 0, second_site_build.output[-4000:]
    return second_site_build.site


# The fixture site: every fixture entry in one build.
FIXTURE_ENTRIES = [ROOT / "tests" / "hostile" / "hostile-scheme.yaml", ROOT / "tests" / "valid" / "minimal-scheme.yaml",
                   *sorted((ROOT / "tests" / "fixtures").glob("*/*.yaml"))]
FIXTURE_DATE_EPOCH = "1795000000"  # 2026-11-18: the freshness fixtures' notices depend on it
NEW_TARGET_GROUP = ("- slug: veterans\n  name: Armed forces veterans\n"
                    "  description: People who have served in the armed forces.\n")
# `python -m generator new` as tests/test_scaffold.py runs it; the file is then filled in as its comments say.
NEW_ARGS = ["new", "--title", "Women's Pathway: New Start", "--force", "Durham",
            "--target-group", "women", "--target-group", "prison-leavers", "--intervention-type", "mentoring", "--yes"]


def copy_repo(dest: pathlib.Path) -> pathlib.Path:
    """What a build reads: the repository without tests, caches, builds or the virtual environment."""
    ignore = shutil.ignore_patterns(".git", ".venv", "site", ".pytest_cache", "__pycache__", "tests", ".lockvenv", ".cache")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@dataclass
class FixtureSite:
    site: pathlib.Path
    repo: pathlib.Path          # the copy it was built from (vocabularies with the new target group)
    new_entry: pathlib.Path     # the file `generator new` wrote, filled in
    url: str = ""


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> FixtureSite:
    return _fixture_build(tmp_path_factory)


def _fixture_build(tmp_path_factory) -> FixtureSite:
    with _once(tmp_path_factory, "fixture-site") as (folder, done):
        repo, site = folder / "repo", folder / "site"
        new_entry = repo / "schemes" / "durham-womens-pathway-new-start.yaml"
        if not done:
            shutil.rmtree(folder, ignore_errors=True)
            copy_repo(repo)
            groups = repo / "vocabularies" / "target_groups.yaml"
            groups.write_text(groups.read_text(encoding="utf-8") + NEW_TARGET_GROUP, encoding="utf-8")
            shutil.rmtree(repo / "schemes")
            (repo / "schemes").mkdir()
            for path in FIXTURE_ENTRIES:
                shutil.copy(path, repo / "schemes")
            _write_new_entry(repo)
            result = build_site(site, cwd=repo, extra_env={"SOURCE_DATE_EPOCH": FIXTURE_DATE_EPOCH})
            assert result.returncode == 0, result.stderr[-4000:]
            (folder / ".done").touch()
        return FixtureSite(site, repo, new_entry)


def _write_new_entry(repo: pathlib.Path) -> None:
    from test_scaffold import fill_as_the_comments_say  # the newcomer's edits, kept with their tests

    # in a process of its own: this may run in _builds_ahead's thread, and run_cli changes the folder and output
    # (this repository's generator and vocabularies, writing into the copy, as test_scaffold makes its file)
    made = subprocess.run([sys.executable, "-m", "generator", *NEW_ARGS], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, RRS_SCHEMES_DIR=str(repo / "schemes")))
    assert made.returncode == 0, made.stderr
    path = repo / "schemes" / "durham-womens-pathway-new-start.yaml"
    path.write_text(fill_as_the_comments_say(path.read_text(encoding="utf-8")), encoding="utf-8")


# ---- a web server and the browser ---------------------------------------------------------

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
def fixture_url(fixture_site):
    server, url = serve(fixture_site.site)
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
    """A browser page that remembers every request it made, and which are still open.

    Handlers a test adds through `on` are removed by `detach`, with the page's own."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.pending: set = set()
        self._handlers: list[tuple[str, object]] = []
        self.on("request", self._started)
        self.on("requestfinished", self._ended)
        self.on("requestfailed", self._ended)

    def on(self, event: str, handler) -> None:
        self.page.on(event, handler)
        self._handlers.append((event, handler))

    def detach(self) -> None:
        for event, handler in self._handlers:
            self.page.remove_listener(event, handler)
        self._handlers = []

    def _started(self, req):
        self.requests.append(req.url)
        self.pending.add(req)

    def _ended(self, req):
        self.pending.discard(req)

    def foreign_requests(self, base: str) -> list[str]:
        return [u for u in self.requests if not (u.startswith(base) or u.startswith("data:") or u.startswith("blob:") or u == "about:blank")]


def settle(recorded: RecordedPage, quiet_ms: int = 200, timeout_ms: int = 10000) -> None:
    """Wait until every request the page started has ended and none has started for quiet_ms
    (what a search query fetches comes after the page's load, so Playwright's network-idle load
    state says nothing about it)."""
    page, waited, step = recorded.page, 0, 50
    seen, quiet = -1, 0
    while waited < timeout_ms:
        if recorded.pending or len(recorded.requests) != seen:
            seen, quiet = len(recorded.requests), 0
        else:
            quiet += step
            if quiet >= quiet_ms:
                return
        page.wait_for_timeout(step)
        waited += step


DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # Playwright's default


def load(recorded: RecordedPage, url: str) -> None:
    """Open url and wait until every request it started has ended and none has started for a tenth of a
    second (settle): the page's own fetches done, without networkidle's fixed half-second of quiet."""
    recorded.page.goto(url)
    settle(recorded, quiet_ms=100)


@pytest.fixture(scope="session")
def _worker_page(browser):
    """One browser context and page per worker, which `page` hands to each test in turn: opening a fresh
    context and page costs about half a second of CPU, a third of a typical browser test."""
    held: dict = {}
    yield held
    if held:
        held["context"].close()


def _fresh(held: dict, browser):
    if not held:
        held["context"] = browser.new_context(locale="en-GB", viewport=DEFAULT_VIEWPORT)
        held["page"] = held["context"].new_page()
    return held["page"]


def _reset(recorded: RecordedPage) -> None:
    """Leave the page as a new one: no handlers or routes, no stored data for any origin it reached
    (the compare list is in localStorage; sessionStorage, the tab's own, for the origin it was left on),
    no cookies, the default viewport and media, a blank document (tests/test_browser_page_reset.py).
    The HTTP cache is kept, as a browser keeps it between visits."""
    p = recorded.page
    recorded.detach()
    p.unroute_all(behavior="ignoreErrors")
    if p.url.startswith("http"):
        p.evaluate("() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }")
    origins = {"/".join(u.split("/")[:3]) for u in recorded.requests if u.startswith("http")}
    if origins:
        cdp = p.context.new_cdp_session(p)
        for origin in sorted(origins):
            cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        cdp.detach()
    p.context.clear_cookies()
    p.goto("about:blank")  # first: a viewport or media change on the page left would lay it out again
    p.emulate_media(media="null")
    p.set_viewport_size(DEFAULT_VIEWPORT)


@pytest.fixture
def page(browser, _worker_page):
    """A page as good as new for each test (see _reset); the worker's one page underneath."""
    recorded = RecordedPage(_fresh(_worker_page, browser))
    yield recorded
    try:
        _reset(recorded)
    except Exception:  # a page left unusable: the next test gets a new context and page
        _worker_page.pop("page").context.close()
        _worker_page.clear()


def material_search(p, text: str):
    """Type into Material's search once its worker is ready (it ignores input before that)."""
    p.locator("input.md-search__input").click()
    p.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent.trim() && !/initiali[sz]ing/i.test(m.textContent); }",
        timeout=20000,
    )
    type_in_search(p, text)
    p.locator(".md-search-result__item").first.wait_for(timeout=20000)


def type_in_search(p, text: str) -> None:
    """Put text in Material's search box: the words at once (one query, not one per letter), then the
    last letter typed, as a person's last key."""
    box = p.locator("input.md-search__input")
    box.fill(text[:-1])
    box.press_sequentially(text[-1])
