"""The build pipeline: load, prepare, output. Plain Python, no MkDocs.

    from generator import build
    settings = build.Settings(site_url="https://example.org/")
    result = build.run(settings)              # or the three stages one by one:
    loaded = build.load()                     # schemes/ read and checked (BuildError lists every problem)
    site = build.prepare(loaded, settings)    # finished views and listings (generator/prepare.py)
    outputs = build.outputs(site, settings)   # every generated page and file (generator/pages.py)

The MkDocs hook (generator/hook.py), the CLI, the benchmark and the tests all
call these functions. Rendering is spread over the machine's cores
(generator/parallel.py) unless `Settings.workers` is 1.
"""
from __future__ import annotations

import contextlib
import datetime
import gc
import os
import pathlib
import time
from dataclasses import dataclass, field

from . import pages, parallel
from .loader import SCHEMES_DIR, Problem, Scheme, SchemeLoader, scheme_paths
from .mkdocs_yml import DEFAULT_SITE_URL
from .prepare import Site, prepare as prepare_site
from .render import Renderer
from .vocabularies import VocabularyError, load_vocabularies


def build_date_today() -> datetime.date:
    """The date a build describes: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).date()
    return datetime.datetime.now(datetime.timezone.utc).date()


@dataclass(frozen=True)
class Settings:
    site_url: str = DEFAULT_SITE_URL        # public address: canonical links, citations, the feed
    review_after_months: int = 18           # an entry whose last review is this old is due a review
    build_date: datetime.date = field(default_factory=build_date_today)
    workers: int | None = None              # processes for loading and rendering; None: decided by size
    fast: bool = True                       # fast_jinja's rendering tricks (same bytes either way)


class BuildError(Exception):
    """The entries cannot be built: every problem found, each naming file, line and field."""

    def __init__(self, problems: list[Problem] | None = None, message: str = ""):
        self.problems = problems or []
        listing = "\n".join(str(p) for p in self.problems)
        super().__init__(message or f"{len(self.problems)} problem(s) in scheme files; "
                                    f"fix them and build again:\n{listing}")


@dataclass
class Loaded:
    loader: SchemeLoader        # holds the vocabularies (.vocab) and the schema (.schema)
    schemes: list[Scheme]


@dataclass
class Output:
    path: str                   # docs-relative: "schemes/x.md", "data/finder.json"
    content: str | bytes
    edit_path: str | None       # repository path behind "Edit this page" (pages only)


@dataclass
class Build:
    site: Site
    outputs: list[Output]
    redirects: dict[str, str]   # old page -> new page, docs-relative (.md)
    timings: dict[str, float]   # seconds: load_s, prepare_s, output_s


@contextlib.contextmanager
def _collector_paused():
    """Creating millions of small objects triggers many full collections; none is needed meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load(schemes_dir: pathlib.Path | None = None, workers: int | None = None,
         vocabularies_dir: pathlib.Path | None = None) -> Loaded:
    """Read and check the vocabularies and every scheme file; BuildError (with every problem) if any has one."""
    try:
        loader = SchemeLoader(load_vocabularies(vocabularies_dir) if vocabularies_dir else None)
    except VocabularyError as exc:
        raise BuildError(exc.problems, message=str(exc)) from None
    with _collector_paused():
        schemes, problems = loader.load_many(scheme_paths(schemes_dir or SCHEMES_DIR))  # TODO workers once loader takes it
    if problems:
        raise BuildError(problems)
    return Loaded(loader, schemes)


def prepare(loaded: Loaded, settings: Settings) -> Site:
    with _collector_paused():
        return prepare_site(loaded.schemes, loaded.loader.vocab, loaded.loader.schema,
                            site_url=settings.site_url or "/", build_date=settings.build_date,
                            review_after_months=settings.review_after_months)


def outputs(site: Site, settings: Settings) -> list[Output]:
    """Every generated page and file, rendered (on several cores when it is worth it)."""
    declared = pages.declare(site)
    renderer = Renderer(fast=settings.fast)
    with _collector_paused():
        contents = parallel.map_indexed(lambda i: renderer.render(declared[i]), len(declared),
                                        workers=settings.workers)
    return [Output(page.path, content, page.edit) for page, content in zip(declared, contents)]


def redirects(site: Site) -> dict[str, str]:
    """Former slugs to the scheme's page."""
    return {f"schemes/{alias}.md": f"schemes/{v['slug']}.md" for v in site.schemes for alias in v["aliases"]}


def run(settings: Settings | None = None, schemes_dir: pathlib.Path | None = None) -> Build:
    """load, prepare and outputs in one call, timed."""
    settings = settings or Settings()
    t0 = time.perf_counter()
    loaded = load(schemes_dir, workers=settings.workers)
    t1 = time.perf_counter()
    site = prepare(loaded, settings)
    t2 = time.perf_counter()
    made = outputs(site, settings)
    t3 = time.perf_counter()
    return Build(site, made, redirects(site), {"load_s": t1 - t0, "prepare_s": t2 - t1, "output_s": t3 - t2})
