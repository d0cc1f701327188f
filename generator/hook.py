"""The MkDocs hook: validate on config, add generated pages and files on files.

Named in mkdocs.yml under `hooks:`, so `mkdocs build` and `mkdocs serve` do
everything. Nothing is written into docs/ or schemes/: generated pages live
in memory as `File.generated`.
"""
from __future__ import annotations

import datetime
import gc
import logging
import posixpath

import pathlib
import sys

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

# MkDocs loads this file by path, not as part of the package: make the package importable.
_ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from generator import exports, parallel  # noqa: E402
from generator.loader import load_all, paused_gc  # noqa: E402
from generator.prepare import mark_freshness, prepare  # noqa: E402
from generator.render import Renderer  # noqa: E402
from generator.schema import schema_fields  # noqa: E402
from generator.vocabularies import VocabularyError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.generator")

_state: dict = {}


def on_config(config):
    gc.unfreeze()  # what a previous build froze (see paused_gc) may be collected again
    with paused_gc(freeze=True):
        return _on_config(config)


def _on_config(config):
    try:
        loader, schemes, problems = load_all()
    except VocabularyError as exc:
        raise PluginError(f"vocabulary error: {exc}") from None
    if problems:
        listing = "\n".join(str(p) for p in problems)
        raise PluginError(
            f"{len(problems)} problem(s) in scheme files; fix them and build again:\n{listing}"
        )
    site = prepare(schemes, loader.vocab)
    months = int(config.extra.get("review_after_months", 18))
    mark_freshness(site, datetime.date.fromisoformat(exports.build_date()), months)
    site_url = config.site_url or "/"
    for view in site.schemes:
        view["url"] = exports.page_url(site_url, view["slug"])
        view["citation"] = exports.citation(view, site_url)
    _state.update(loader=loader, site=site, site_url=site_url)
    # Former slugs redirect to the scheme's page (mkdocs-redirects, fed from the data).
    if "redirects" in config.plugins:
        redirect_maps = config.plugins["redirects"].config.setdefault("redirect_maps", {})
        for view in site.schemes:
            for alias in view["aliases"]:
                redirect_maps[f"schemes/{alias}.md"] = f"schemes/{view['slug']}.md"
    log.info("Loaded %d schemes", len(schemes))
    return config


# Run before other plugins' on_files so they (tags, redirects) see the generated pages.
@event_priority(100)
def on_files(files: Files, config):
    with paused_gc(freeze=True):
        return _on_files(files, config)


def _on_files(files: Files, config):
    site = _state["site"]
    for f in files:
        if f.src_uri.endswith(".md") and f.abs_src_path:
            f.edit_uri = posixpath.join("docs", f.src_uri)
    renderer = Renderer(site, config_extra=dict(config.extra), extra_data={
        "csv_columns": [(name, desc) for name, desc, _ in exports.CSV_COLUMNS],
        "fields": schema_fields(_state["loader"].schema),
        "licence": exports.LICENCE,
        "grant_columns": exports.GRANT_COLUMN_NOTES,
    })
    site_url = _state["site_url"]
    # Slowest pieces first, then one per scheme; spread over the cores (generator/parallel.py).
    jobs = (renderer.site_jobs() + exports.site_jobs(site, _state["loader"].schema, renderer, site_url)
            + renderer.scheme_jobs() + exports.scheme_jobs(site, site_url))
    taken = {f.src_uri for f in files}
    for outputs in parallel.map_indexed(lambda i: jobs[i](), len(jobs)):
        for src_uri, content in outputs.items():
            if src_uri in taken:
                raise PluginError(f"docs/{src_uri} clashes with a generated page; remove it from docs/")
            taken.add(src_uri)
            generated = File.generated(config, src_uri, content=content)
            if src_uri.endswith(".md"):
                if src_uri.startswith("schemes/") and src_uri != "schemes/index.md":
                    generated.edit_uri = "schemes/" + posixpath.basename(src_uri)[:-3] + ".yaml"
                else:
                    generated.edit_uri = None
            files.append(generated)
    # The pages now hold what they need; let the loaded schemes go before MkDocs renders.
    # (Nothing may hold them in a reference cycle: what survives here is frozen, see
    # paused_gc, and a frozen cycle is never collected.)
    _state.clear()
    return files
