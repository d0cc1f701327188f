"""The MkDocs hook: a thin adapter from MkDocs' events to the build pipeline (generator/build.py).

on_config loads and prepares (a bad entry stops the build there, with every
problem listed) and feeds former slugs to the redirects plugin; on_files adds
the generated pages and files in memory as `File.generated`. on_page_context,
on_post_page and on_post_build hand the site search to Pagefind
(generator/site_search.py).

Generated pages skip Markdown: they are raw HTML blocks and plain headings, so
on_page_markdown hands MkDocs an empty page and keeps the HTML that
render.html_page makes of them (the same bytes Python-Markdown would make),
and on_page_content gives it back with the page's table of contents and
anchors. A page outside that shape goes through Markdown as before.

RRS_PREVIEW=<patterns> (`make preview SCHEMES=...`) builds the site of the
matching entries only, after checking every file (build.Settings.preview);
there, TODOs left are warnings and any other problem shows an error page in
place of the pages (generator/preview.py), until a save fixes it.
Loads go through one build.LoadCache per process, and templates (the
generator's, and the theme's through on_env) through build.HOOK_TEMPLATES, so
under `mkdocs serve` a rebuild reads only the scheme files that changed and
compiles no template twice.
"""
from __future__ import annotations

import logging
import os
import pathlib
import sys
import time

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

# MkDocs loads this file by path, not as part of the package: make the package importable.
_ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from generator import build, preview, render, site_search  # noqa: E402

log = logging.getLogger("mkdocs.hooks.generator")

# What on_config prepared for on_files in the same build.
_prepared: dict = {}
# Generated Markdown pages (docs-relative paths) and, between on_page_markdown and on_page_content,
# the HTML and table of contents of the one being built.
_generated: set[str] = set()
_html: dict[str, tuple[str, list]] = {}
# The Markdown settings render.html_page reproduces; with any other, every page goes through Markdown.
_EXTENSIONS = {"toc", "tables", "fenced_code", "attr_list", "admonition"}


def on_config(config):
    settings = build.Settings(site_url=config.site_url or "/",
                              review_after_months=int(config.extra.get("review_after_months", 18)),
                              max_age_years=int(config.extra.get("information_max_age_years", 3)),
                              preview=build.preview_patterns(os.environ.get(build.PREVIEW_ENV)))
    start = time.perf_counter()
    try:
        if settings.preview:  # TODOs left are warnings; any other problem shows an error page (generator/preview.py)
            loaded, todos = preview.load(build.HOOK_CACHE)
        else:
            loaded, todos = build.load(cache=build.HOOK_CACHE), []
        loaded_s = time.perf_counter() - start
        site = build.prepare(loaded, settings)
    except build.BuildError as exc:
        if not settings.preview:
            raise PluginError(str(exc)) from None
        log.error("The preview cannot be built; the browser shows every problem:\n%s", exc)
        _prepared.update(settings=settings, errors=preview.error_outputs(exc, settings))
        return config
    for problem in todos:
        log.warning("still to fill in: %s", problem)
    if settings.preview:
        log.info("Preview of %d of %d schemes (%s=%s); %d file(s) read", len(site.schemes), len(loaded.schemes),
                 build.PREVIEW_ENV, " ".join(settings.preview), build.HOOK_CACHE.read)
    _prepared.update(settings=settings, site=site, timings={"load": loaded_s, "prepare": time.perf_counter() - start - loaded_s})
    if "redirects" in config.plugins:
        config.plugins["redirects"].config.setdefault("redirect_maps", {}).update(build.redirects(site))
    return config


# Run before other plugins' on_files so they (tags, redirects) see the generated pages.
@event_priority(100)
def on_files(files, config):
    settings, errors = _prepared.pop("settings"), _prepared.pop("errors", None)
    site, timings = _prepared.pop("site", None), _prepared.pop("timings", None)
    start = time.perf_counter()
    for f in files:
        if f.src_uri.endswith(".md") and f.abs_src_path:
            f.edit_uri = "docs/" + f.src_uri
    taken = {f.src_uri for f in files}
    _generated.clear()
    if errors is not None:
        for out in errors:
            files.append(File.generated(config, out.path, content=out.content))
        return files
    outputs = build.outputs(site, settings, templates=build.HOOK_TEMPLATES)
    for out in outputs:
        if out.path in taken:
            raise PluginError(f"docs/{out.path} clashes with a generated page; remove it from docs/")
        if isinstance(out.content, pathlib.Path):  # a picture card: MkDocs copies its cached file
            generated = File.generated(config, out.path, abs_src_path=str(out.content))
        else:
            generated = File.generated(config, out.path, content=out.content)
        if out.path.endswith(".md"):
            generated.edit_uri = out.edit_path
            _generated.add(out.path)
        files.append(generated)
    output_s = time.perf_counter() - start
    log.info("Generated %d pages and files from %d schemes in %.2f s (load %.2f s, prepare %.2f s, output %.2f s)",
             len(outputs), len(site.schemes), timings["load"] + timings["prepare"] + output_s,
             timings["load"], timings["prepare"], output_s)
    return files


def _permalink(config) -> str | None:
    """The toc extension's permalink symbol if the Markdown settings are the ones html_page reproduces, else None."""
    toc = dict(config.mdx_configs.get("toc") or {})
    permalink = toc.pop("permalink", False)
    if toc or set(config.markdown_extensions) - _EXTENSIONS or not permalink:
        return None
    return "&para;" if permalink is True else str(permalink)


def on_page_markdown(markdown, page, config, files):
    """A generated page's HTML, made without Markdown: MkDocs renders an empty page in its place."""
    if page.file.src_uri not in _generated or "title" not in page.meta:
        return markdown
    permalink = _permalink(config)
    made = render.html_page(markdown, permalink=permalink) if permalink else None
    if made is None:
        return markdown
    _html[page.file.src_uri] = made
    return ""


def on_page_content(html, page, config, files):
    """The HTML kept by on_page_markdown, with its table of contents and anchors (for MkDocs' anchor checks)."""
    made = _html.pop(page.file.src_uri, None)
    if made is None:
        return html
    content, toc_tokens = made
    page.toc = get_toc(toc_tokens)
    page.present_anchor_ids = render.anchor_ids(content)
    return content


def on_env(env, config, files):
    """The theme's templates, too, are compiled once per process, not once per rebuild."""
    env.bytecode_cache = build.HOOK_TEMPLATES
    return env


# Before Material's search plugin sees the page: the page's own choice is kept for Pagefind,
# and Material's index is left empty (its search box asks Pagefind instead).
@event_priority(100)
def on_page_context(context, page, config, nav):
    page.rrs_searched = site_search.indexed(page.meta)
    page.meta["search"] = {"exclude": True}
    return context


def on_post_page(output, page, config):
    return site_search.mark_body(output) if getattr(page, "rrs_searched", False) else output


def on_post_build(config):
    try:
        seconds = site_search.index_site(pathlib.Path(config.site_dir))
    except site_search.SearchIndexError as exc:
        raise PluginError(str(exc)) from None
    log.info("Indexed the site for search (Pagefind) in %.2f s", seconds)
