"""Load and validate scheme files: the steps in order, and every problem in one place.

Each file is read safely (yaml_safety), checked against the JSON Schema
(generator/checks.py, explained in plain English by messages) and then by the
rules the schema cannot express (rules), first file by file, then across
files. Every problem becomes a `Problem` with file, line, column, field path
and a message a newcomer can act on; all problems of all files are collected
in one run. A value with a problem is left out of the rules that compare
fields (dates in order, percentages, slug and file name, part_of, aliases
across files), which still check every other value; only a file YAML cannot
read at all stops at its first problem. Nothing here raises on bad input: a
contributor should never see a Python traceback.
"""
from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass, field
from typing import cast

from . import parallel, rules
from .checks import DocumentCheck, Place
from .messages import SchemaMessages, describe, display_path, field_name
from .problems import Problem
from .schema import build_schema, make_validator
from .slips import check_slips
from .vocabularies import ROOT, Vocabularies, load_vocabularies
from .yaml_safety import PLACEHOLDER_RE, Refused, parse, position

__all__ = ["PLACEHOLDER_RE", "Problem", "Scheme", "SchemeLoader", "load_all", "scheme_paths", "schemes_dir"]


def schemes_dir() -> pathlib.Path:
    """The entries to build: schemes/, or RRS_SCHEMES_DIR (tests and the benchmark), read at each call."""
    return pathlib.Path(os.environ.get("RRS_SCHEMES_DIR") or ROOT / "schemes")


@dataclass
class Scheme:
    """One loaded scheme: its data (as JSON-compatible values) and where it came from."""

    slug: str
    path: pathlib.Path
    data: dict
    positions: dict = field(default_factory=dict, repr=False)


class SchemeLoader:
    """Loads scheme files against one set of vocabularies and one compiled schema."""

    def __init__(self, vocab: Vocabularies | None = None):
        self.vocab = vocab or load_vocabularies()
        self.schema = build_schema(self.vocab)
        self.validator = make_validator(self.schema)
        self.fields = list(self.schema["properties"])
        self.messages = SchemaMessages(self.schema, self.vocab)
        self.check = DocumentCheck(self.schema, self.messages, fast=True, validator=self.validator)
        # A compiled check for the common case (a valid file); jsonschema explains failures.
        self.fast_check = self.check.fast_check
        self.directions = rules.direction_words(self.vocab["units"])
        self.who = rules.who_facts(self.vocab)

    # ---- one file -------------------------------------------------------

    def load_file(self, path: pathlib.Path) -> tuple[Scheme | None, list[Problem]]:
        """The scheme in a file, or None and every problem found in it."""
        scheme, problems, _ = self.check_file(path)
        return scheme, problems

    def check_file(self, path: pathlib.Path) -> tuple[Scheme | None, list[Problem], Scheme | None]:
        """(scheme or None, problems, what the cross-file rules may still look at in a file with problems)."""
        shown = display_path(path)

        def at(line, col, fld, msg):
            return Problem(shown, line, col, fld, msg)

        if path.suffix != ".yaml":
            return None, [at(1, 1, "(file)", "scheme files must end in .yaml")], None
        slug = path.stem
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return None, [at(1, 1, "(file)", f"cannot read the file: {exc.strerror}")], None
        try:
            conv = parse(raw)
        except Refused as refused:
            return None, [at(refused.line, refused.column, field_name(refused.field_path), refused.message)], None
        if not isinstance(conv.data, dict):
            return None, [at(1, 1, "(file)", f"expected a set of fields (name: value), but the file holds {describe(conv.data)}")], None

        place = Place(conv, shown, self.schema)
        checked, problems, bad = self.check.run(conv, place, slug)
        data = cast(dict, checked)  # conv.data, a dict (checked above)
        findings = rules.check_scheme(data, slug, is_scheme=lambda other: (path.parent / f"{other}.yaml").is_file(),
                                      bad=bad, directions=self.directions, who=self.who)
        problems.extend(place.problem(f) for f in findings)
        problems.extend(place.problem(f) for f in check_slips(data, bad))
        if problems:
            problems.sort(key=lambda p: (p.line, p.column))
            return None, problems, self._cross_file_part(slug, path, data, bad, conv)
        # Only the places cross-file rules point at are kept: less to hold and to pass between processes.
        kept = {p: position(n) for p, n in conv.nodes.items() if not p or p[0] in rules.CROSS_FILE_FIELDS}
        return Scheme(slug=slug, path=path, data=data, positions=kept), [], None

    @staticmethod
    def _cross_file_part(slug, path, data, bad, conv) -> Scheme:
        """A file with problems still takes part in the cross-file rules, with the aliases that passed their checks."""
        aliases = data.get("aliases")
        kept_data = {}
        if isinstance(aliases, list) and not rules.is_bad(("aliases",), bad):
            kept_data["aliases"] = [a if isinstance(a, str) and not rules.is_bad(("aliases", i), bad) else None
                                    for i, a in enumerate(aliases)]
        kept = {p: position(n) for p, n in conv.nodes.items() if not p or p[0] in rules.CROSS_FILE_FIELDS}
        return Scheme(slug=slug, path=path, data=kept_data, positions=kept)

    # ---- many files ------------------------------------------------------

    def load_many(self, paths, workers: int | None = None) -> tuple[list[Scheme], list[Problem]]:
        """Every file checked (on several cores when it is worth it), then the cross-file rules."""
        schemes, problems, partial = [], [], []
        paths = sorted(paths, key=str)
        for scheme, errs, part in parallel.map_indexed(lambda i: self.check_file(paths[i]), len(paths), workers=workers):
            problems.extend(errs)
            if scheme:
                schemes.append(scheme)
            elif part:
                partial.append(part)
        everything = sorted(schemes + partial, key=lambda s: str(s.path)) if partial else schemes
        problems.extend(_place_in(scheme, finding) for scheme, finding in rules.check_across(everything))
        problems.sort(key=lambda p: (p.path, p.line, p.column))
        return schemes, problems


def _place_in(scheme: Scheme, finding) -> Problem:
    """A cross-file finding at the closest place the loaded scheme kept."""
    p = finding.path
    while p not in scheme.positions and p:
        p = p[:-1]
    line, col = scheme.positions.get(p, (1, 1))
    return Problem(display_path(scheme.path), line, col, field_name(finding.path), finding.message)


def scheme_paths(directory: pathlib.Path | None = None) -> list[pathlib.Path]:
    """Every file in schemes/ that looks like an entry (a stray .yml is reported, not skipped)."""
    directory = directory or schemes_dir()
    # os.scandir knows which entries are files without a stat each, and names sort quicker than Paths.
    with os.scandir(directory) as entries:
        names = sorted(e.name for e in entries
                       if os.path.splitext(e.name)[1] in (".yaml", ".yml") and e.is_file())
    return [directory / name for name in names]


def load_all(directory: pathlib.Path | None = None, vocab: Vocabularies | None = None):
    loader = SchemeLoader(vocab)
    schemes, problems = loader.load_many(scheme_paths(directory))
    return loader, schemes, problems
