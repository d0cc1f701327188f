"""Files that would be silently skipped: anything in schemes/ that is not a direct `<slug>.yaml`, and entries outside it.

The build reads only `schemes/*.yaml`. A `.YAML`, `.yml` or `.yaml.txt` file, an
entry in a subfolder of schemes/, or an entry saved in the wrong folder would
give no page and no error; `python -m generator validate` reports each, saying
where it should go, and fails.
"""
from __future__ import annotations

import os
import pathlib
import re

from .problems import Problem

# Folders never searched for misplaced entries: tools, build output, and files that are not entries.
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "site", "schemes", "vocabularies", "generator", "tests",
             "bench", "schema", ".github", ".vscode", "__pycache__", ".pytest_cache"}
YAML_LIKE = re.compile(r"\.(ya?ml)(\.[A-Za-z0-9]+)?$", re.I)
# An entry has these fields at the start of a line, whatever else it holds.
ENTRY_FIELDS = (re.compile(r"^slug\s*:", re.M), re.compile(r"^title\s*:", re.M), re.compile(r"^forces\s*:", re.M))


def _shown(path: pathlib.Path, root: pathlib.Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _target(name: str) -> str:
    """The entry name a stray file should have: `x.YAML`, `x.yml`, `x.yaml.txt` -> `x.yaml`."""
    m = YAML_LIKE.search(name)
    return (name[:m.start()] if m else name) + ".yaml"


def _looks_like_entry(path: pathlib.Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(200_000).decode("utf-8", "replace")
    except OSError:
        return False
    return all(p.search(head) for p in ENTRY_FIELDS)


def stray_files(root: pathlib.Path, schemes: pathlib.Path) -> list[Problem]:
    """Every file the build would skip without a word, each with where it should go."""
    out = []
    if schemes.is_dir():
        for dirpath, dirnames, filenames in os.walk(schemes):
            dirnames.sort()
            here = pathlib.Path(dirpath)
            for name in sorted(filenames):
                path = here / name
                shown = _shown(path, root)
                if here == schemes:
                    if name.endswith(".yaml"):
                        continue
                    if YAML_LIKE.search(name):
                        message = (f"is never read: scheme files end in .yaml, in lowercase and nothing after it; "
                                   f"rename it to {_shown(schemes / _target(name), root)}")
                    else:
                        message = ("is not a scheme file: schemes/ holds only <slug>.yaml entries; "
                                   "move it out of schemes/ or delete it")
                elif YAML_LIKE.search(name):
                    message = (f"is never read: scheme files sit directly in schemes/, not in a subfolder; "
                               f"move it to {_shown(schemes / _target(name), root)}")
                else:
                    message = ("is not a scheme file: schemes/ holds only <slug>.yaml entries, with no subfolders; "
                               "move it out of schemes/ or delete it")
                out.append(Problem(shown, 1, 1, "(file)", message))
    for dirpath, dirnames, filenames in os.walk(root):
        here = pathlib.Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames
                             if not (here == root and d in SKIP_DIRS) and not d.startswith(".")
                             and here / d != schemes)
        for name in sorted(filenames):
            path = here / name
            if YAML_LIKE.search(name) and _looks_like_entry(path):
                out.append(Problem(_shown(path, root), 1, 1, "(file)",
                                   f"looks like a scheme entry but is outside schemes/, so it is never read; "
                                   f"move it to {_shown(schemes / _target(name), root)}"))
    return out


def is_stray(path: pathlib.Path, schemes: pathlib.Path) -> bool:
    """A path inside schemes/ that is not a direct `*.yaml` entry (reported by stray_files, not validated)."""
    try:
        rel = path.resolve().relative_to(schemes.resolve())
    except (ValueError, OSError):
        return False
    return len(rel.parts) > 1 or not rel.name.endswith(".yaml")
