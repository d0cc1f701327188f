"""The scheme JSON Schema: generator/scheme.schema.yaml with vocabularies filled in.

The hand-written schema marks vocabulary-backed fields with `x-vocabulary`;
this module turns each mark into an `enum`, so the published schema and the
validator always agree with the data files.
"""
from __future__ import annotations

import copy
import functools
import pathlib

import fastjsonschema
import jsonschema
import yaml

from .vocabularies import Vocabularies

SCHEMA_SOURCE = pathlib.Path(__file__).resolve().parent / "scheme.schema.yaml"
SCHEMA_VERSION = "1.0.0"


@functools.lru_cache(maxsize=1)
def _base_schema() -> dict:
    return yaml.safe_load(SCHEMA_SOURCE.read_text(encoding="utf-8"))


def fill_enums(node, values_of) -> None:
    """Give each `x-vocabulary: NAME` field its `enum`: values_of(NAME), unless that is None."""
    if isinstance(node, dict):
        name = node.get("x-vocabulary")
        if name:
            values = values_of(name)
            if values is not None:
                node["enum"] = values
        for value in node.values():
            fill_enums(value, values_of)
    elif isinstance(node, list):
        for value in node:
            fill_enums(value, values_of)


def build_schema(vocab: Vocabularies) -> dict:
    schema = copy.deepcopy(_base_schema())
    fill_enums(schema, vocab.values)
    schema["x-schema-version"] = SCHEMA_VERSION
    return schema


def make_validator(schema: dict) -> jsonschema.Draft7Validator:
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def compile_fast_check(schema: dict):
    """A compiled yes/no check of one entry, for the usual case: a valid file.

    fastjsonschema compiles an enum into a chain of comparisons and each $ref
    into a call that formats its path, which at a few thousand entries was most
    of the check. Here the $refs are written out in place and each vocabulary
    is a set lookup (a custom format). It accepts exactly what the schema
    accepts; jsonschema still explains a failure in full.
    """
    formats: dict = {}

    def inline(node):
        if isinstance(node, list):
            return [inline(v) for v in node]
        if not isinstance(node, dict):
            return node
        target = resolve(schema, node)
        if target is not node:  # the schema has no recursive definitions
            return {**inline(target), **{k: inline(v) for k, v in node.items() if k != "$ref"}}
        out = {k: inline(v) for k, v in node.items() if k != "definitions"}
        enum = out.get("enum")
        if enum and out.get("type") == "string" and all(isinstance(v, str) for v in enum):
            name = f"one-of-{len(formats)}"
            formats[name] = frozenset(enum).__contains__
            del out["enum"]
            out["format"] = name
        return out

    return fastjsonschema.compile(inline(schema), formats=formats)


def is_date_schema(node: dict) -> bool:
    return isinstance(node, dict) and node.get("$ref") == "#/definitions/date"


def resolve(schema: dict, node: dict) -> dict:
    """Follow a local $ref one step."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if ref and ref.startswith("#/definitions/"):
        return schema["definitions"][ref.split("/")[-1]]
    return node


def schema_fields(schema: dict) -> list[dict]:
    """A flat list of the schema's fields (with nested ones as parent.child), for reference pages."""
    out = []
    required_top = set(schema.get("required", []))

    def walk(props: dict, required: set, prefix: str):
        for name, node in props.items():
            full = f"{prefix}{name}"
            target = resolve(schema, node)
            kind = target.get("type", "")
            items = resolve(schema, target.get("items", {})) if kind == "array" else {}
            enum = target.get("enum") or items.get("enum") or []
            vocab = target.get("x-vocabulary") or items.get("x-vocabulary") or ""
            examples = node.get("examples") or target.get("examples") or []
            out.append({
                "name": full,
                "type": f"list of {items.get('type', 'object')}" if kind == "array" else (kind or "object"),
                "required": name in required,
                "description": node.get("description") or target.get("description", ""),
                "enum": list(enum),
                "vocabulary": vocab,
                "pattern": target.get("pattern", ""),
                "example": examples[0] if examples else None,
            })
            if kind == "object" and "properties" in target:
                walk(target["properties"], set(target.get("required", [])), full + ".")
            if kind == "array" and "properties" in items:
                walk(items["properties"], set(items.get("required", [])), full + "[].")

    walk(schema["properties"], required_top, "")
    return out
