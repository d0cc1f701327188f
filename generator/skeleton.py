"""The skeleton of a scheme entry: every schema field, in schema order, as commented YAML.

Required fields hold the given value or the placeholder TODO (which fails
validation with a message saying what to write); optional fields without a
value are commented out; each field carries a one-line explanation from the
schema. The first line points editors (VS Code's YAML extension and others
using the YAML language server) at the committed schema/scheme.schema.json,
relative to schemes/, for completion and checking as you type. `python -m generator new` writes it as a new file, and
/contribute/ shows it blank and filled from a real entry.
"""
from __future__ import annotations

import json
import pathlib
import re

import jinja2
import yaml

from .formatting import one_line
from .mkdocs_yml import site_url
from .schema import build_schema, resolve
from .slugs import SLUG_RE
from .vocabularies import Vocabularies
from .yaml_safety import SafeLoader

TEMPLATES = pathlib.Path(__file__).resolve().parent / "templates"
PLACEHOLDER = "TODO"
MAX_LISTED = 25  # list a vocabulary's values in comments up to this many


def _env() -> jinja2.Environment:
    # YAML, not HTML: no autoescape; values are quoted for YAML by yaml_scalar().
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def yaml_scalar(value) -> str:
    """One value written so YAML reads it back unchanged (JSON strings are valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    if text == PLACEHOLDER:
        return text
    # plain only for slug-like words (never for numbers, dates or yes/no words YAML would convert)
    if SLUG_RE.match(text) and re.search("[a-z]", text) and yaml.load(text, Loader=SafeLoader) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(value) -> str:
    """A value on one line, in YAML flow style (lists as [a, b], groups as {k: v})."""
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    return yaml_scalar(value)


# The committed editor schema (generator/editor_schema.py) as an entry in schemes/ names it:
# relative, so it resolves in any clone or fork, with no site built or published.
SCHEMA_REF = "../schema/scheme.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_REF}"


class Skeleton:
    """Writes a scheme file with every schema field, in schema order, with comments."""

    def __init__(self, vocab: Vocabularies, schema: dict | None = None):
        self.vocab = vocab
        self.schema = schema or build_schema(vocab)
        self.date_pattern = self.schema["definitions"]["date"]["pattern"]

    # what a value looks like, in words, for comments
    def _values_hint(self, node: dict) -> str:
        target = resolve(self.schema, node)
        if target.get("type") == "array":
            target = resolve(self.schema, target.get("items", {}))
        name = target.get("x-vocabulary")
        allowed = [str(v) for v in target.get("enum", [])]
        if name and len(allowed) > MAX_LISTED:
            return f"Values: see vocabularies/{name}.yaml."
        if name:
            return f"Values: {', '.join(allowed)} (vocabularies/{name}.yaml)."
        if allowed:
            return f"Values: {', '.join(allowed)}."
        if target.get("pattern") == self.date_pattern:
            return 'A date in quotes: "YYYY-MM-DD", "YYYY-MM" or "YYYY".'
        if target.get("type") == "number":
            return "Digits only: no £ sign, % or commas."
        if target.get("type") == "integer":
            return "A whole number."
        return ""

    def _description(self, node: dict) -> str:
        return one_line(node.get("description") or resolve(self.schema, node).get("description", ""))

    def _example(self, node: dict):
        examples = node.get("examples") or resolve(self.schema, node).get("examples")
        return examples[0] if examples else None

    def _is_free_text(self, node: dict) -> bool:
        target = resolve(self.schema, node)
        return (target.get("type") == "string" and "enum" not in target and "pattern" not in target
                and "x-vocabulary" not in target)

    def _is_block_text(self, node: dict) -> bool:
        target = resolve(self.schema, node)
        return target.get("type") == "string" and target.get("maxLength", 0) > 2000

    # lines for one key, with a value or with placeholders
    def _lines(self, key: str, node: dict, value, annotate: bool) -> list[str]:
        target = resolve(self.schema, node)
        kind = target.get("type")
        if kind == "array":
            items = resolve(self.schema, target.get("items", {}))
            if items.get("type") == "object":
                entries = value if value is not None else [None]
                out = [f"{key}:"]
                for entry in entries:
                    sub = self._object_lines(items, entry, annotate)
                    out.append("  - " + sub[0])
                    out.extend("    " + line for line in sub[1:])
                return out
            return [f"{key}: {flow(value if value is not None else [PLACEHOLDER])}"]
        if kind == "object":
            return [f"{key}:"] + ["  " + line for line in self._object_lines(target, value, annotate)]
        if value is None:
            if self._is_block_text(node):
                return [f"{key}: |", f"  {PLACEHOLDER}"]
            return [f"{key}: {PLACEHOLDER}"]
        if isinstance(value, str) and "\n" in value.strip() and not value[:1].isspace():
            chomp = "|" if value.endswith("\n") and not value.endswith("\n\n") else "|-"
            body = value[:-1] if chomp == "|" else value
            return [f"{key}: {chomp}"] + [("  " + line) if line else "" for line in body.split("\n")]
        return [f"{key}: {yaml_scalar(value)}"]

    def _object_lines(self, obj: dict, value, annotate: bool) -> list[str]:
        """The fields of one group (a list item or `contact`): those given, or all as placeholders."""
        required = set(obj.get("required", []))
        out = []
        for key, node in obj.get("properties", {}).items():
            if value is not None and key not in value:
                continue
            lines = self._lines(key, node, None if value is None else value[key], annotate)
            if annotate and value is None and lines == [f"{key}: {PLACEHOLDER}"] and self._is_free_text(node):
                # Text followed by a comment on its line must be in quotes (or the validator refuses it,
                # as YAML would drop anything after a ' #'): the placeholder shows where to type.
                lines = [f'{key}: "{PLACEHOLDER}"']
            if annotate and value is None:
                desc = self._description(node)
                hint = self._values_hint(node)
                if "digits only" in desc.lower() or "YYYY" in desc:
                    hint = ""  # the description already says it
                note = " ".join(filter(None, [
                    "required." if key in required else "optional: fill in or delete the line.",
                    desc,
                    hint,
                    f"For example: {flow(self._example(node))}" if self._example(node) is not None
                    and resolve(self.schema, node).get("type") != "object" else "",
                ]))
                lines[0] += f"  # {note}"
            out.extend(lines)
        return out

    def fields(self, values: dict, annotate: bool = True) -> list[dict]:
        """One entry per top-level field: its comment lines and its YAML lines."""
        required = set(self.schema.get("required", []))
        out = []
        for name, node in self.schema["properties"].items():
            given = values.get(name)
            notes = []
            hint = self._values_hint(node)
            if hint:
                notes.append(hint)
            example = self._example(node)
            if given is None and example is not None:
                notes.append(f"Example: {flow(example)}")
            out.append({
                "name": name,
                "required": name in required,
                "given": given is not None,
                # optional fields with no value are written commented out
                "commented": given is None and name not in required,
                "comment": self._description(node),
                "notes": notes,
                "lines": self._lines(name, node, given, annotate and given is None),
            })
        return out

    def render(self, values: dict, *, kind: str = "new", base_url: str | None = None, today: str = "") -> str:
        """The whole file: kind "new" (from `new`), "blank" or "example" (on /contribute/)."""
        base = base_url or site_url()
        return _env().get_template("scheme.yaml.j2").render(
            fields=self.fields(values), kind=kind, slug=values.get("slug") or "<slug>",
            schema_line=SCHEMA_LINE, site_url=base, today=today, placeholder=PLACEHOLDER,
        )
