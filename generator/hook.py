"""The MkDocs hook: validate on config, add generated pages and files on files.

Named in mkdocs.yml under `hooks:`, so `mkdocs build` and `mkdocs serve` do
everything. Nothing is written into docs/ or schemes/: generated pages live
in memory as `File.generated`.
"""
from __future__ import annotations

import logging
import posixpath

import pathlib
import sys

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

# MkDocs loads this file by path, not as part of the package: make the package importable.
_ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from generator import exports  # noqa: E402
from generator.loader import load_all  # noqa: E402
from generator.prepare import prepare  # noqa: E402
from generator.render import Renderer  # noqa: E402
from generator.vocabularies import VocabularyError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.generator")

_state: dict = {}


def on_config(config):
    try:
        loader, schemes, problems = load_all()
    except VocabularyError as exc:
        raise PluginError(f"vocabulary error: {exc}") from None
    if problems:
        listing = "\n".join(str(p) for p in problems)
        raise PluginError(
            f"{len(problems)} problem(s) in scheme files; fix them and build again:\n{listing}"
        )
    _state["loader"] = loader
    _state["site"] = prepare(schemes, loader.vocab)
    log.info("Loaded %d schemes", len(schemes))
    return config


def on_files(files: Files, config):
    site = _state["site"]
    for f in files:
        if f.src_uri.endswith(".md") and f.abs_src_path:
            f.edit_uri = posixpath.join("docs", f.src_uri)
    renderer = Renderer(site, config_extra=dict(config.extra))
    for src_uri, text in renderer.pages().items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            raise PluginError(f"docs/{src_uri} clashes with a generated page; remove it from docs/")
        generated = File.generated(config, src_uri, content=text)
        if src_uri.startswith("schemes/") and src_uri != "schemes/index.md":
            generated.edit_uri = "schemes/" + posixpath.basename(src_uri)[:-3] + ".yaml"
        else:
            generated.edit_uri = None
        files.append(generated)
    for src_uri, content in exports.files(site, _state["loader"].schema).items():
        files.append(File.generated(config, src_uri, content=content))
    return files
