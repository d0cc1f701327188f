"""The editor's copy of the scheme schema: schema/scheme.schema.json, committed in the repository.

Every entry in schemes/ starts with `# yaml-language-server: $schema=../schema/scheme.schema.json`
(and .vscode/settings.json maps schemes/*.yaml to the same file), so editors
that use the YAML language server complete field names and allowed values and
underline mistakes as you type, in a fresh clone, with no site built.

The file is schema.build_schema's schema, the one the loader checks entries
against and the site publishes at /schema/scheme.schema.json, with two
keywords editors show and validators ignore (and a date may be an unquoted
year, as the loader reads it): each vocabulary value's name and
what it is (`enumDescriptions`, `markdownEnumDescriptions`), so a force shows
its name and office, an organisation slug its name, a source id its title,
publisher and date. The loader builds its own schema in memory and never
reads this file, so its messages are unaffected.

    python -m generator schema            # (or `make schema`) write the file
    python -m generator schema --check    # fail when it is out of date

After a change to generator/scheme.schema.yaml, run `make schema`; tests/test_editor_schema.py
fails while the committed file is out of date. A vocabulary-only change needs nothing by hand:
the pull-request check accepts it (`--check --allow-vocabulary-only`), the suggestion workflow
regenerates the file in its pull request, and .github/workflows/schema.yml regenerates and
commits it on main after the merge.
"""
from __future__ import annotations

import copy
import json
import pathlib
import sys

from .contribute import value_detail
from .schema import build_schema
from .skeleton import SCHEMA_LINE, SCHEMA_REF  # noqa: F401 (the line every entry starts with)
from .vocabularies import ROOT, Vocabularies, VocabularyError, load_vocabularies

EDITOR_SCHEMA = ROOT / "schema" / "scheme.schema.json"
VOCABULARY_SCHEMAS = ROOT / "schema" / "vocabularies"
COMMENT = ("Written by `python -m generator schema` (make schema) from generator/scheme.schema.yaml and "
           "vocabularies/; do not edit by hand. Entries in schemes/ point at it on their first line.")


def _label_and_detail(vocab: Vocabularies, name: str, key: str) -> tuple[str, str]:
    label = vocab.label(name, key)
    detail = value_detail(vocab, name, key)
    if label != key and detail.startswith(label + "."):  # a source's detail starts with its title
        detail = detail[len(label):].lstrip(" .:;,")
    return (label if label != key else ""), detail


def editor_schema(vocab: Vocabularies, schema: dict | None = None) -> dict:
    """build_schema(vocab) with each vocabulary value's name and description, for editors."""
    return {"$comment": COMMENT, **_for_editors(vocab, copy.deepcopy(schema or build_schema(vocab)))}


def _for_editors(vocab: Vocabularies, schema: dict) -> dict:
    """Each `x-vocabulary` value named (enumDescriptions), and an unquoted year accepted where a date goes."""

    def annotate(node):
        if isinstance(node, dict):
            name = node.get("x-vocabulary")
            if name and "enum" in node:
                plain, markdown = [], []
                for key in node["enum"]:
                    label, detail = _label_and_detail(vocab, name, key)
                    plain.append(": ".join(filter(None, [label, detail])))
                    markdown.append(": ".join(filter(None, [f"**{label}**" if label else "", detail])) or f"`{key}`")
                node["enumDescriptions"] = plain
                node["markdownEnumDescriptions"] = markdown
            for value in node.values():
                annotate(value)
        elif isinstance(node, list):
            for value in node:
                annotate(value)

    annotate(schema)
    # The loader reads an unquoted year (`as_of: 2022`, a number in YAML) as the date text "2022";
    # editors see the number, so the editor's copy accepts a four-digit year there too.
    date = schema["definitions"]["date"]
    schema["definitions"]["date"] = {"description": date.get("description", ""),
                                     "anyOf": [{k: v for k, v in date.items() if k != "description"},
                                               {"type": "integer", "minimum": 1000, "maximum": 9999}]}
    return schema


def vocabulary_schemas(vocab: Vocabularies | None = None) -> dict[pathlib.Path, str]:
    """schema/vocabularies/<name>.schema.json for each vocabulary file: what editors complete and check there
    (.vscode/settings.json maps vocabularies/<name>.yaml to it)."""
    from .vocabularies import NAMES, vocabulary_schema

    vocab = vocab or load_vocabularies()
    out = {}
    for name in NAMES:
        schema = _for_editors(vocab, vocabulary_schema(name, vocab))
        comment = COMMENT.replace("generator/scheme.schema.yaml", f"generator/vocabulary_schemas/{name}.schema.yaml")
        out[VOCABULARY_SCHEMAS / f"{name}.schema.json"] = json.dumps(
            {"$comment": comment.replace("Entries in schemes/ point at it on their first line.",
                                         f"Editors check vocabularies/{name}.yaml with it."), **schema},
            indent=2, ensure_ascii=False) + "\n"
    return out


def render(vocab: Vocabularies | None = None) -> str:
    """The file's text: the same bytes for the same vocabularies and schema source."""
    return json.dumps(editor_schema(vocab or load_vocabularies()), indent=2, ensure_ascii=False) + "\n"


def is_current(path: pathlib.Path = EDITOR_SCHEMA, vocab: Vocabularies | None = None) -> bool:
    try:
        return path.read_text(encoding="utf-8") == render(vocab)
    except OSError:
        return False


def _shown(path: pathlib.Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def cmd_schema(args) -> int:
    path = pathlib.Path(args.output) if args.output else EDITOR_SCHEMA
    try:
        vocab = load_vocabularies()
        files = {path: render(vocab)}
        if not args.output:
            files.update(vocabulary_schemas(vocab))
    except VocabularyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.check:
        return max(_check_one(target, text, args) for target, text in files.items())
    for target, text in files.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            if target.read_text(encoding="utf-8") == text:
                continue
        except OSError:
            pass
        target.write_text(text, encoding="utf-8")
        print(f"Wrote {_shown(target)}", file=sys.stderr)
    return 0


def _check_one(path: pathlib.Path, text: str, args) -> int:
    shown = _shown(path)
    try:
        current = path.read_text(encoding="utf-8") == text
    except OSError:
        current = False
    if current:
        print(f"{shown} is up to date.", file=sys.stderr)
        return 0
    if args.allow_vocabulary_only and vocabulary_only_difference(path, text):
        note = (f"{shown} lacks only values added or changed in vocabularies/; it is regenerated on main after "
                "the merge (.github/workflows/schema.yml), so there is nothing to run")
        if args.format == "github":
            print(f"::notice file={shown},line=1,col=1,title=editor schema::{note}")
        else:
            print(f"{shown}:1:1: (file): {note}", file=sys.stderr)
        return 0
    message = (f"{shown} is out of date with vocabularies/ or the schema it is made from; "
               "run `make schema` (or `python -m generator schema`) and commit the file")
    if args.format == "github":
        print(f"::error file={shown},line=1,col=1,title=editor schema::{message}")
    else:
        print(f"{shown}:1:1: (file): {message}")
    return 1


VOCABULARY_KEYS = ("enum", "enumDescriptions", "markdownEnumDescriptions")


def _without_vocabulary_values(node):
    """The schema with every vocabulary's values (and their names) taken out: what a vocabulary edit cannot change."""
    if isinstance(node, dict):
        vocabulary = "x-vocabulary" in node
        return {k: _without_vocabulary_values(v) for k, v in node.items() if not (vocabulary and k in VOCABULARY_KEYS)}
    if isinstance(node, list):
        return [_without_vocabulary_values(v) for v in node]
    return node


def vocabulary_only_difference(path: pathlib.Path, text: str) -> bool:
    """True when the committed file differs from `text` only in vocabulary values and their names."""
    try:
        committed = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return _without_vocabulary_values(committed) == _without_vocabulary_values(json.loads(text))


def add_arguments(p) -> None:
    p.add_argument("--check", action="store_true",
                   help="write nothing; fail if the committed file is out of date")
    p.add_argument("--allow-vocabulary-only", action="store_true",
                   help="with --check: pass (with a notice) when only vocabulary values differ; "
                        "the file is regenerated on main after the merge")
    p.add_argument("--format", choices=["text", "github"], default="text",
                   help="with --check: how to report an out-of-date file")
    p.add_argument("--output", help=f"where to write (default {_shown(EDITOR_SCHEMA)})")
