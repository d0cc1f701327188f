"""Load and validate scheme files: the steps in order, and every problem in one place.

Each file is read safely (yaml_safety), checked against the JSON Schema
(explained in plain English by messages) and then by the rules the schema
cannot express (rules), first file by file, then across files. Every problem
becomes a `Problem` with file, line, column, field path and a message a
newcomer can act on; all problems of all files are collected in one run.
Nothing here raises on bad input: a contributor should never see a Python
traceback.
"""
from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass, field

import fastjsonschema

from . import parallel, rules
from .messages import SchemaMessages, describe, display_path, field_name
from .schema import build_schema, compile_fast_check, is_date_schema, make_validator, resolve
from .vocabularies import ROOT, Vocabularies, load_vocabularies
from .yaml_safety import PLACEHOLDER_RE, Refused, parse, position

__all__ = ["PLACEHOLDER_RE", "SCHEMES_DIR", "Problem", "Scheme", "SchemeLoader", "load_all", "scheme_paths"]

# RRS_SCHEMES_DIR lets tests and the benchmark build another set of entries.
SCHEMES_DIR = pathlib.Path(os.environ.get("RRS_SCHEMES_DIR") or ROOT / "schemes")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"


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
        # A compiled check for the common case (a valid file); jsonschema explains failures.
        self.fast_check = compile_fast_check(self.schema)
        self.fields = list(self.schema["properties"])
        self.messages = SchemaMessages(self.schema)

    # ---- one file -------------------------------------------------------

    def load_file(self, path: pathlib.Path) -> tuple[Scheme | None, list[Problem]]:
        shown = display_path(path)

        def at(line, col, fld, msg):
            return Problem(shown, line, col, fld, msg)

        if path.suffix != ".yaml":
            return None, [at(1, 1, "(file)", "scheme files must end in .yaml")]
        slug = path.stem
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return None, [at(1, 1, "(file)", f"cannot read the file: {exc.strerror}")]
        try:
            conv = parse(raw)
        except Refused as refused:
            return None, [at(refused.line, refused.column, field_name(refused.field_path), refused.message)]
        data = conv.data
        if not isinstance(data, dict):
            return None, [at(1, 1, "(file)", f"expected a set of fields (name: value), but the file holds {describe(data)}")]

        data = self._dates_to_text(data, conv.dates)

        def pos(path_, key=False):
            table = conv.key_nodes if key else conv.nodes
            p = tuple(path_)
            while p not in table and p:
                p = p[:-1]
            node_ = table.get(p, conv.nodes.get(p))
            return position(node_) if node_ is not None else (1, 1)

        def place(finding):
            line, col = pos(finding.path if finding.at is None else finding.at, finding.key)
            return at(line, col, field_name(finding.path), finding.message)

        # A TODO left by `python -m generator new` gets one message saying what to write instead.
        todo = conv.placeholders
        try:
            self.fast_check(data)  # compiled: quick for the usual case, a valid file
            errors = []
        except fastjsonschema.JsonSchemaException:
            errors = sorted(self.validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
        problems = []
        for error in errors:
            if any(tuple(error.absolute_path)[: len(p)] == p for p in todo):
                continue
            problems.extend(place(f) for f in self.messages.explain(error, slug))
        for p in todo:
            line, col = pos(p)
            problems.append(at(line, col, field_name(p), self.messages.placeholder(p)))
        if not problems:
            problems.extend(place(f) for f in rules.check_scheme(
                data, slug, is_scheme=lambda other: (path.parent / f"{other}.yaml").is_file()))
        if problems:
            return None, problems
        # Only the places cross-file rules point at are kept: less to hold and to pass between processes.
        kept = {p: position(n) for p, n in conv.nodes.items() if not p or p[0] in rules.CROSS_FILE_FIELDS}
        return Scheme(slug=slug, path=path, data=data, positions=kept), []

    def _dates_to_text(self, data, date_paths):
        """Unquoted dates are fine where a date is expected: store them as text."""
        for path in date_paths:
            node = self.schema
            for part in path:
                node = resolve(self.schema, node or {})
                node = node.get("items") if isinstance(part, int) else node.get("properties", {}).get(part)
                if node is None:
                    break
            if node is not None and is_date_schema(node):
                parent = data
                for part in path[:-1]:
                    parent = parent[part]
                parent[path[-1]] = parent[path[-1]].isoformat()
        return data

    # ---- many files ------------------------------------------------------

    def load_many(self, paths) -> tuple[list[Scheme], list[Problem]]:
        schemes, problems = [], []
        paths = sorted(paths, key=str)
        for scheme, errs in parallel.map_indexed(lambda i: self.load_file(paths[i]), len(paths)):
            problems.extend(errs)
            if scheme:
                schemes.append(scheme)
        problems.extend(_place_in(scheme, finding) for scheme, finding in rules.check_across(schemes))
        problems.sort(key=lambda p: (p.path, p.line, p.column))
        return schemes, problems


def _place_in(scheme: Scheme, finding) -> Problem:
    """A cross-file finding at the closest place the loaded scheme kept."""
    p = finding.path
    while p not in scheme.positions and p:
        p = p[:-1]
    line, col = scheme.positions.get(p, (1, 1))
    return Problem(display_path(scheme.path), line, col, field_name(finding.path), finding.message)


def scheme_paths(directory: pathlib.Path = SCHEMES_DIR) -> list[pathlib.Path]:
    """Every file in schemes/ that looks like an entry (a stray .yml is reported, not skipped)."""
    # os.scandir knows which entries are files without a stat each, and names sort quicker than Paths.
    with os.scandir(directory) as entries:
        names = sorted(e.name for e in entries
                       if os.path.splitext(e.name)[1] in (".yaml", ".yml") and e.is_file())
    return [directory / name for name in names]


def load_all(directory: pathlib.Path = SCHEMES_DIR, vocab: Vocabularies | None = None):
    loader = SchemeLoader(vocab)
    schemes, problems = loader.load_many(scheme_paths(directory))
    return loader, schemes, problems
