"""The floor: plain MkDocs + Material building the same pages, to compare the real build against.

The floor has no hook, no custom theme directory and only the search plugin
(no tags, no redirects); its nav, Markdown extensions, theme features, palette
and extra CSS come from mkdocs.yml, so it renders the same pages the same way.
Its pages are the generator's outputs, written beforehand as files.
"""
from __future__ import annotations

import pathlib
import shutil

import yaml

from generator import build, mkdocs_yml
from generator.mkdocs_yml import ROOT

FLOOR_SITE_NAME = "Reducing Reoffending Schemes (floor)"


def floor_config(site_url: str) -> dict:
    """mkdocs.yml without what this project adds."""
    raw = mkdocs_yml.read()
    search = next((p for p in raw.get("plugins") or [] if p == "search" or (isinstance(p, dict) and "search" in p)),
                  "search")
    theme = raw.get("theme") or {}
    return {
        "site_name": FLOOR_SITE_NAME,
        "site_url": site_url,
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False, "features": theme.get("features", []),
                  "palette": theme.get("palette", {})},
        "extra_css": raw.get("extra_css", []),
        "nav": raw["nav"],
        "plugins": [search],
        "markdown_extensions": raw.get("markdown_extensions", []),
    }


def write_floor(outputs, site_url: str, floor_dir: pathlib.Path) -> None:
    """floor_dir/mkdocs.yml, and floor_dir/docs: docs/ plus every output (no theme overrides: those are in overrides/).

    outputs are the generator's build.Output items (docs-relative path, text or bytes):
    the pages, and the data files the real build publishes beside them.
    """
    docs = floor_dir / "docs"
    shutil.copytree(ROOT / "docs", docs)
    for out in outputs:
        path = docs / out.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(build.content_bytes(out))
    (floor_dir / "mkdocs.yml").write_text(
        yaml.safe_dump(floor_config(site_url), sort_keys=False, allow_unicode=True), encoding="utf-8")
