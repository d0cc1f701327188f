"""Plain English for contributors: what a JSON Schema error means and how to fix it.

Also the small words every message shares: how a field path is written
(`outcomes[0].value`), what kind of value was found ("a list", "a yes/no
value") and how a file is named (as the contributor would type it).
Nothing here knows about files' lines and columns: a message is a `Finding`,
placed in the file by the loader.
"""
from __future__ import annotations

import datetime
import difflib
import functools
import json
import os
import pathlib
import re
from typing import NamedTuple

from . import dates
from .schema import resolve
from .slugs import is_close, why_not_slug

# Vocabularies a contributor is expected to extend: say how, in the "not allowed" message.
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"}  # hyphen-like dashes a word processor makes
_NEW_ENTRY = {
    "organisations": "; a new organisation is added there first, with its name and kind",
    "sources": "; to cite a new document, add it there first with its title, publisher and date",
    "target_groups": "; if none fits, add a new group there, with a slug, a name and a one-line description, "
                     "and use its slug here",
    "intervention_types": "; if none fits, add a new type there, with a slug, a name and a one-line description, "
                          "and use its slug here",
}


class Finding(NamedTuple):
    """A problem with a field, not yet placed in its file.

    `path` is the field the message names; it is shown at `at` (the path
    itself when None), at the field's name rather than its value when `key`.
    A `missing` field is shown where it belongs in the group at `at`: on the
    line after the field that comes before it in the schema.
    """

    path: tuple
    message: str
    at: tuple | None = None
    key: bool = False
    missing: bool = False


def field_name(path) -> str:
    """A field path as messages write it: ("outcomes", 0, "value") is outcomes[0].value."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(file)"


def describe(value) -> str:
    """What kind of value YAML read, in words."""
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return "text"


def display_path(path: pathlib.Path) -> str:
    """The path as a contributor would type it: relative to the working directory when inside it."""
    return _display_dir(str(path.parent), os.getcwd()) + path.name


@functools.lru_cache(maxsize=64)
def _display_dir(parent: str, cwd: str) -> str:
    # Resolving once per folder, not once per file: thousands of files share one folder.
    try:
        shown = pathlib.Path(parent).resolve().relative_to(pathlib.Path(cwd).resolve())
    except ValueError:
        return parent + os.sep
    return "" if shown == pathlib.Path(".") else f"{shown}{os.sep}"


class SchemaMessages:
    """Messages for one schema's errors, worded from the schema's own descriptions and lists.

    With the vocabularies (`vocab`), a value written as a name rather than a
    slug ("Kent Police", "Remedi") is matched to the slug it names.
    """

    def __init__(self, schema: dict, vocab=None):
        self.schema = schema
        self.vocab = vocab
        self.date_pattern = schema["definitions"]["date"]["pattern"]

    def explain(self, error, file_stem: str) -> list[Finding]:
        """The findings of one jsonschema error (several for several unknown fields)."""
        path = list(error.absolute_path)
        kind = error.validator
        instance = error.instance
        schema = error.schema
        out = []

        def add(p, msg, key=False):
            out.append(Finding(tuple(p), msg, key=key))

        if instance is None and kind not in ("required", "additionalProperties"):
            add(path, self.empty(path, schema))
            return out
        if kind == "additionalProperties":
            allowed = list(schema.get("properties", {}))
            for extra in sorted(set(instance) - set(allowed)):
                hint = [h for h in difflib.get_close_matches(extra, allowed, n=3, cutoff=0.6) if is_close(extra, h)]
                msg = f"unknown field '{extra}'"
                msg += f"; did you mean '{hint[0]}'?" if hint else f"; allowed fields here: {', '.join(allowed)}"
                add(path + [extra], msg, key=True)
        elif kind == "required":
            missing = re.findall(r"'([^']+)' is a required property", error.message)
            name = missing[0] if missing else error.message
            desc = schema.get("properties", {}).get(name, {}).get("description", "")
            msg = f"required field '{name}' is missing" + (f" ({desc.split('. ')[0].rstrip('.').lower()})" if desc else "")
            if name == "slug" and not path:
                msg += f"; add the line: slug: {file_stem}"
            else:
                target = resolve(self.schema, schema.get("properties", {}).get(name, {}))
                if target.get("enum") or target.get("type") == "array":
                    msg += f"; add {name}: followed by {self.expected(target)}"
            # Named as the missing field, shown where it belongs in the group that lacks it.
            out.append(Finding(tuple(path + [name]), msg, at=tuple(path), missing=True))
        elif kind == "enum":
            allowed = [str(v) for v in error.validator_value]
            vocab_name = _vocab_name(schema)
            text = str(instance)
            hint = None
            if vocab_name and self.vocab is not None and vocab_name in self.vocab.lists:
                hint = self.vocab.closest(vocab_name, text)
                hint = [hint] if hint else []
            if hint is None:
                hint = [h for h in difflib.get_close_matches(text, allowed, n=3, cutoff=0.6) if is_close(text, h)] or [
                    v for v in allowed if v.lower() == text.lower()]
            msg = f"'{text}' is not an allowed value"
            if hint:
                msg += f"; did you mean '{hint[0]}'?"
            if len(allowed) <= 25 or vocab_name == "sources":
                msg += (" Allowed: " if hint else "; allowed: ") + ", ".join(allowed)
            if vocab_name:
                msg += f" (the list is in vocabularies/{vocab_name}.yaml{_NEW_ENTRY.get(vocab_name, '')})"
            add(path, msg)
        elif kind == "type":
            if is_date_schema_node(self.schema, schema):
                add(path, f"expected a date in quotes (\"YYYY-MM-DD\", \"YYYY-MM\" or \"YYYY\"), but found {describe(instance)}")
            else:
                add(path, _type_message(error.validator_value, instance))
        elif kind == "pattern":
            add(path, self.pattern(schema, instance))
        elif kind == "minimum":
            add(path, f"must be {error.validator_value} or more; found {instance}")
        elif kind == "maximum":
            add(path, f"must be {error.validator_value} or less; found {instance}")
        elif kind == "minLength":
            add(path, f"is too short: {len(instance)} characters, at least {error.validator_value} needed; say a little more"
                if instance else "must not be empty; fill it in or delete the line if the field is optional")
        elif kind == "maxLength":
            add(path, f"is too long: {len(instance)} characters, the limit is {error.validator_value}")
        elif kind == "minItems":
            add(path, f"needs at least {error.validator_value} item(s)")
        elif kind == "uniqueItems":
            add(path, "lists the same value more than once; remove the repeat")
        else:
            add(path, error.message)
        return out

    def empty(self, path, schema_node) -> str:
        """A field given with no value (`evidence:` and nothing after it): what to write."""
        target, _, _, required = self._schema_at(path)
        target = target or resolve(self.schema, schema_node)
        last = path[-1] if path else None
        name = last if isinstance(last, str) else field_name(path)
        msg = f"'{name}' is empty; write {self.expected(target)}"
        if not required and isinstance(last, str):
            msg += ", or delete the line, as this field is optional"
        return msg

    def expected(self, target) -> str:
        """What a value of this schema node looks like, in words."""
        if target.get("type") == "array":
            inner = self.expected(resolve(self.schema, target.get("items", {})))
            if inner.startswith("one of: "):
                return "a list, like [a, b], of values from: " + inner[len("one of: "):]
            if inner.startswith("a value from "):
                return "a list, like [a, b], of values from " + inner[len("a value from "):]
            if inner == "a group of fields":
                return "a list of items, each starting with '- '"
            return f"a list, like [a, b], of {inner}"
        allowed = [str(v) for v in target.get("enum", [])]
        vocab_name = _vocab_name(target)
        if allowed and (len(allowed) <= 25 or vocab_name == "sources"):
            where = f" (from vocabularies/{vocab_name}.yaml)" if vocab_name else ""
            return "one of: " + ", ".join(allowed) + where
        if allowed:
            return f"a value from vocabularies/{vocab_name}.yaml"
        if target.get("pattern") == self.date_pattern:
            return 'a date in quotes: "YYYY-MM-DD", "YYYY-MM" or "YYYY"'
        if target.get("type") == "number":
            return "a number, digits only (no £ sign, % or commas)"
        if target.get("type") == "integer":
            return "a whole number"
        if target.get("type") == "object":
            return "a group of fields"
        return "text"

    def placeholder(self, path) -> str:
        """What to write instead of the TODO that `python -m generator new` left at this path."""
        target, node, desc, required = self._schema_at(path)
        what = self.expected(target)
        desc = desc.rstrip(".")
        first = desc.split(" ", 1)[0]
        if len(first) == 1 or first[1:].islower():  # "The ...", "A ...", but not "GBP ..."
            desc = desc[0].lower() + desc[1:]
        if what == "text" and desc:
            msg = f"replace the placeholder TODO: {desc}"
        else:
            msg = f"replace the placeholder TODO with {what}"
            if desc and not target.get("enum") and "YYYY" not in desc and "digits only" not in desc:
                msg += f": {desc}"
        examples = node.get("examples") or target.get("examples")
        if examples and not isinstance(path[-1], int) and "for example" not in desc:
            msg += f"; for example {json.dumps(examples[0], ensure_ascii=False)}"
        if not required:
            msg += "; or delete the line, as this field is optional"
        return msg

    def pattern(self, schema_node, instance) -> str:
        """Why a text does not fit a field's pattern, and what would."""
        pattern = schema_node.get("pattern", "")
        text = str(instance)
        definitions = self.schema["definitions"]
        if pattern == self.date_pattern:
            dashed = text.translate(_DASHES)
            if dashed != text and re.fullmatch(pattern, dashed):
                return (f"'{text}' is written with a dash that is not a hyphen (an en dash or similar, as word "
                        f"processors make); write it with ordinary hyphens: \"{dashed}\"")
            msg = f"'{text}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY, in quotes (for example \"2021-03\")"
            guess = dates.guess(text)
            return msg + (f"; did you mean \"{guess}\"?" if guess else "")
        if pattern == definitions["https_url"]["pattern"]:
            return (f"'{text}' is not allowed: a web address must start with https:// (not http:, javascript: or data:) "
                    "and contain no spaces, quotes or angle brackets")
        if pattern == definitions["slug"]["pattern"]:
            why, fixed = why_not_slug(text)
            return (f"'{text}' is not a valid slug: it {why}; use lowercase letters and digits in words joined by "
                    "single hyphens" + (f" ('{fixed}')" if fixed and fixed != text else ""))
        if "@" in pattern:
            return f"'{text}' is not an email address like name@example.org (write it without mailto:)"
        return f"'{text}' is not in the expected format"

    def _schema_at(self, path):
        """The schema node of a data path, the description that explains it, and whether it is required."""
        node, desc, required = self.schema, "", True
        for part in path:
            parent = resolve(self.schema, node)
            if isinstance(part, int):
                node = parent.get("items", {})
            else:
                node = parent.get("properties", {}).get(part, {})
                required = part in parent.get("required", [])
            desc = node.get("description") or resolve(self.schema, node).get("description") or desc
        return resolve(self.schema, node), node, desc, required


def _type_message(expected, instance) -> str:
    """A value of the wrong kind: what YAML read, and usually how to write what was meant."""
    if expected == "string" and isinstance(instance, bool):
        return ("expected text, but YAML read an unquoted yes/no/on/off/true/false as a yes/no value; "
                "put the text in quotes")
    if expected == "string" and isinstance(instance, (datetime.date, datetime.datetime)):
        return "expected text, but YAML read an unquoted date; put it in quotes"
    if expected == "string" and isinstance(instance, (int, float)):
        return f"expected text, but found the number {instance}; put it in quotes"
    if expected == "number":
        if not isinstance(instance, str):
            return f"expected a number (digits only, no £ sign or commas), but found {describe(instance)}"
        msg = (f"expected a number, digits only with no £ sign, % or commas (for example 390000 "
               f"for £390,000), but found the text '{instance}'")
        digits = re.sub(r"[£$%,\s]", "", instance).lower()
        scaled = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(k|m|bn|thousand|million|billion)", digits)
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", digits):
            msg += f"; write {digits}"
        elif scaled:
            factor = {"k": 10**3, "thousand": 10**3, "m": 10**6, "million": 10**6, "bn": 10**9, "billion": 10**9}
            value = float(scaled.group(1)) * factor[scaled.group(2)]
            msg += f"; write {value:.0f}" if value == int(value) else f"; write {value:.2f}"
        return msg
    if expected == "integer":
        return f"expected a whole number, but found {describe(instance)}"
    if expected == "array":
        msg = f"expected a list (items starting with '- ' or [a, b]), but found {describe(instance)}"
        if isinstance(instance, str) and instance.startswith("-") and instance[1:2] not in (" ", ""):
            msg += f" ('{instance[:40]}'); put a space after each '-' that starts an item"
        return msg
    if expected == "object":
        return f"expected a group of fields (name: value), but found {describe(instance)}"
    if expected == "string" and isinstance(instance, dict) and len(instance) == 1:
        key, value = next(iter(instance.items()))
        return (f"expected text, but found a group of fields ({key}: ...); YAML reads ': ' as a field name and value, "
                f"so put text that contains ': ' in double quotes: {json.dumps(f'{key}: {value}', ensure_ascii=False)}"
                if isinstance(value, str) else f"expected text, but found {describe(instance)}")
    if expected == "string":
        return f"expected text, but found {describe(instance)}"
    return f"expected {expected}, but found {describe(instance)}"


def is_date_schema_node(schema: dict, node: dict) -> bool:
    """Whether a schema node (as jsonschema hands it over, $ref followed) is the date definition."""
    return isinstance(node, dict) and node is schema.get("definitions", {}).get("date")


def _vocab_name(schema_node):
    return schema_node.get("x-vocabulary") if isinstance(schema_node, dict) else None
