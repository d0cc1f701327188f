"""Read mkdocs.yml without MkDocs: for the CLI, the scaffold and the benchmark.

`!ENV [NAME, default]` is read as MkDocs reads it (the first variable that is
set, else the default); any other tag (such as `!!python/name:`) becomes None.
The build itself gets its settings from MkDocs through the hook.
"""
from __future__ import annotations

import os
import pathlib

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
MKDOCS_YML = ROOT / "mkdocs.yml"
DEFAULT_SITE_URL = "https://reducing-reoffending.example/"


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml's own tags, read the way MkDocs reads them (or ignored)."""


def _env_tag(loader, node):
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    else:
        names, default = [loader.construct_scalar(node)], None
    for name in names:
        if os.environ.get(str(name)):
            return os.environ[str(name)]
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read(path: pathlib.Path = MKDOCS_YML) -> dict:
    """mkdocs.yml as a plain dict, with `!ENV` values taken from the environment."""
    return yaml.load(pathlib.Path(path).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}


def site_url(path: pathlib.Path = MKDOCS_YML) -> str:
    """The published address (SITE_URL, else mkdocs.yml's default), ending in a slash."""
    url = os.environ.get("SITE_URL")
    if not url:
        try:
            url = read(path).get("site_url")
        except (OSError, yaml.YAMLError):
            url = None
    url = str(url or DEFAULT_SITE_URL)
    return url if url.endswith("/") else url + "/"
