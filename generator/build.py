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

A preview (`Settings.preview`, from RRS_PREVIEW=<glob> under `make preview`)
still loads and checks every file, but builds the site of the matching
entries only: their pages and the pages around them (home, indexes, force,
tag and organisation pages, downloads), so MkDocs has a few dozen pages to
build instead of thousands. Under `mkdocs serve`, `LoadCache` keeps what the
previous build loaded, so a rebuild reads only the files that changed.
"""
from __future__ import annotations

import contextlib
import datetime
import fnmatch
import gc
import os
import pathlib
import re
import time
from dataclasses import dataclass, field

from . import pages, parallel
from .loader import Problem, Scheme, SchemeLoader, scheme_paths
from .messages import display_path
from .mkdocs_yml import DEFAULT_SITE_URL
from .prepare import Site, prepare as prepare_site
from .render import CompiledTemplates, Renderer
from .schema import SCHEMA_SOURCE
from .views import register_facts
from .vocabularies import VOCAB_DIR, VocabularyError, load_vocabularies

# Scheme files to preview (make preview SCHEMES=...): file paths or patterns, separated by spaces or commas.
PREVIEW_ENV = "RRS_PREVIEW"


def build_date_today() -> datetime.date:
    """The date a build describes: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).date()
    return datetime.datetime.now(datetime.timezone.utc).date()


def information_max_age_years() -> int:
    """mkdocs.yml's extra.information_max_age_years: how old a source may be before a status is not confirmed."""
    from . import mkdocs_yml

    try:
        return int((mkdocs_yml.read().get("extra") or {})["information_max_age_years"])
    except (OSError, KeyError, TypeError, ValueError):
        return 3  # the default, when mkdocs.yml does not say


@dataclass(frozen=True)
class Settings:
    site_url: str = DEFAULT_SITE_URL        # public address: canonical links, citations, the feed
    review_after_months: int = 18           # an entry whose last review is this old is due a review
    max_age_years: int = field(default_factory=lambda: information_max_age_years())  # mkdocs.yml extra
    build_date: datetime.date = field(default_factory=build_date_today)
    workers: int | None = None              # processes for loading and rendering; None: decided by size
    fast: bool = True                       # fast_jinja's rendering tricks (same bytes either way)
    preview: tuple[str, ...] = ()           # patterns of the entries to build (preview_patterns); () builds all


def preview_patterns(text: str | None) -> tuple[str, ...]:
    """RRS_PREVIEW's patterns: "schemes/kent-*.yaml schemes/x.yaml", "kent-*", "a.yaml,b.yaml"."""
    return tuple(p.removeprefix("./") for p in re.split(r"[\s,]+", text or "") if p)


def in_preview(scheme: Scheme, patterns: tuple[str, ...]) -> bool:
    """Whether a pattern names the entry: by slug, file name, schemes/<file name> or full path."""
    names = (scheme.slug, scheme.path.name, f"schemes/{scheme.path.name}", str(scheme.path))
    return any(fnmatch.fnmatchcase(name, p) for p in patterns for name in names)


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
    content: str | bytes | pathlib.Path  # a Path: the bytes of that file (a picture card in its cache)
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


def _stamp(path: pathlib.Path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class LoadCache:
    """What the last build in this process loaded, so that a rebuild under `mkdocs serve` reads only what changed.

    A scheme file is read and checked again when its modification time, size
    or inode changed (editors save in place or by renaming); every file is
    read again when a file was added, removed or renamed (a `part_of` check
    looks at which files exist), or when a vocabulary or the schema source
    changed. Files with a problem are never kept. Cross-file checks run over
    every entry each time: the loader's own load_many does the loading and
    checking, and this only answers its per-file calls from memory.
    """

    def __init__(self):
        self.loader: SchemeLoader | None = None
        self.inputs = None                         # stamps of vocabularies/*.yaml and the schema source
        self.names: tuple | None = None            # the scheme files of the last load
        self.kept: dict[pathlib.Path, tuple] = {}  # path -> (stamp, Scheme), files that loaded cleanly
        self.read = 0                              # files read (not answered from memory) by the last load

    def load(self, paths: list[pathlib.Path]) -> tuple[SchemeLoader, list[Scheme], list[Problem]]:
        inputs = tuple(_stamp(p) for p in [*sorted(VOCAB_DIR.glob("*.yaml")), SCHEMA_SOURCE])
        if self.loader is None or inputs != self.inputs:
            self.loader, self.inputs, self.kept = SchemeLoader(), inputs, {}
        if tuple(paths) != self.names:
            self.names, self.kept = tuple(paths), {}
        stamps = {p: _stamp(p) for p in paths}
        loader, kept = self.loader, self.kept
        read_file = type(loader).check_file
        fresh = [p for p in paths if p not in kept or kept[p][0] != stamps[p]]
        self.read = len(fresh)

        def check_file(path):
            hit = kept.get(path)
            if hit is not None and hit[0] == stamps.get(path):
                return hit[1], [], None
            return read_file(loader, path)

        loader.check_file = check_file  # type: ignore[method-assign]  # load_many calls self.check_file for each path
        try:
            schemes, problems = loader.load_many(paths)
        finally:
            del loader.check_file
        bad = {p.path for p in problems}
        self.kept = {s.path: (stamps[s.path], s) for s in schemes
                     if s.path in stamps and display_path(s.path) not in bad}
        return loader, schemes, problems


# The hook's caches. MkDocs executes the hook file afresh for every rebuild under `mkdocs serve`,
# but this module stays imported, so they last as long as the process: the entries loaded,
# and the compiled templates (the generator's and the theme's).
HOOK_CACHE = LoadCache()
HOOK_TEMPLATES = CompiledTemplates()


def load(schemes_dir: pathlib.Path | None = None, workers: int | None = None,
         cache: LoadCache | None = None, vocabularies_dir: pathlib.Path | None = None) -> Loaded:
    """Read and check the vocabularies and every scheme file; BuildError (with every problem) if any has one.

    `cache`: reuse what it holds (under `mkdocs serve`); `vocabularies_dir`: another vocabularies folder.
    """
    paths = scheme_paths(schemes_dir)
    try:
        with _collector_paused():
            if cache is not None and vocabularies_dir is None:
                loader, schemes, problems = cache.load(paths)
            else:
                loader = SchemeLoader(load_vocabularies(vocabularies_dir) if vocabularies_dir else None)
                schemes, problems = loader.load_many(paths, workers=workers)
    except VocabularyError as exc:
        raise BuildError(exc.problems, message=str(exc)) from None
    if problems:
        raise BuildError(problems)
    return Loaded(loader, schemes)


def preview_selection(loaded: Loaded, settings: Settings) -> list[Scheme]:
    """The entries a preview builds (all of them when Settings.preview is empty); BuildError if none match."""
    if not settings.preview:
        return loaded.schemes
    chosen = [s for s in loaded.schemes if in_preview(s, settings.preview)]
    if not chosen:
        raise BuildError(message=(
            f"{PREVIEW_ENV}={' '.join(settings.preview)} names none of the {len(loaded.schemes)} scheme files; "
            "give file names such as schemes/<slug>.yaml or a pattern such as 'schemes/kent-*.yaml'"))
    return chosen


def prepare(loaded: Loaded, settings: Settings) -> Site:
    schemes = preview_selection(loaded, settings)
    with _collector_paused():
        # A preview's pages still name other entries (the fund a grant is part of) by their titles.
        register = register_facts(loaded.schemes) if settings.preview else None
        return prepare_site(schemes, loaded.loader.vocab, loaded.loader.schema,
                            site_url=settings.site_url or "/", build_date=settings.build_date,
                            review_after_months=settings.review_after_months, register=register,
                            everyone=loaded.schemes if settings.preview else None,
                            max_age_years=settings.max_age_years)


def outputs(site: Site, settings: Settings, templates: CompiledTemplates | None = None) -> list[Output]:
    """Every generated page and file, rendered (on several cores when it is worth it).

    `templates`: compiled templates kept from the previous build in this process.
    """
    renderer = Renderer(fast=settings.fast, templates=templates)
    with _collector_paused():
        declared = pages.declare(site)
        if settings.preview:
            declared = [page for page in declared if _in_preview_site(page.path, site)]
        contents = parallel.map_indexed(lambda i: renderer.render(declared[i]), len(declared),
                                        workers=settings.workers)
    return [Output(page.path, content, page.edit) for page, content in zip(declared, contents, strict=True)]


def _in_preview_site(path: str, site: Site) -> bool:
    """A preview leaves out the force and tag pages (and force calendars) that none of its entries is on,
    and the picture cards."""
    parts = path.split("/")
    if parts[0] == "cards":  # picture cards are for shared links, not for checking an entry; a preview stays quick
        return False
    if parts[0] == "forces" and len(parts) == 2 and parts[1] != "index.md":
        return parts[1].removesuffix(".md") in site.by_force
    if parts[0] == "forces" and len(parts) == 3:  # forces/<slug>/funding-ends.ics
        return parts[1] in site.by_force
    if parts[0] == "tags" and len(parts) == 2 and parts[1] != "index.md":
        return parts[1].removesuffix(".md") in {slug for _, slug in site.by_tag}
    if parts[0] == "tags" and len(parts) == 3:  # tags/<slug>/feed.xml, with its page
        return parts[1] in {slug for _, slug in site.by_tag}
    return True


def redirects(site: Site) -> dict[str, str]:
    """Former slugs to the scheme's page."""
    return {f"schemes/{alias}.md": f"schemes/{v['slug']}.md" for v in site.schemes for alias in v["aliases"]}


def write(made: list[Output], dest: pathlib.Path) -> int:
    """Write the outputs as files under dest (docs-relative paths, as the hook adds them in memory); how many."""
    for out in made:
        path = dest / out.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content_bytes(out))
    return len(made)


def content_bytes(out: Output) -> bytes:
    """An output's content as bytes (a file's, for a card handed over as its cached file)."""
    if isinstance(out.content, pathlib.Path):
        return out.content.read_bytes()
    return out.content if isinstance(out.content, bytes) else out.content.encode("utf-8")


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
