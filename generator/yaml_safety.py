"""Strict, safe YAML: a scheme file's bytes become plain values, each with its place in the file.

Only plain data gets through. A file must be small UTF-8 text indented with
spaces; YAML tags beyond the basic types, aliases, merge keys, duplicate field
names and invisible control characters are refused. Whatever is refused raises
`Refused`, with the line, column and field it is about and a message a
contributor can act on; nothing here lets a YAML error or a traceback through.
"""
from __future__ import annotations

import datetime
import re

import yaml

from . import dates

MAX_FILE_BYTES = 256 * 1024
# Control characters other than tab and line breaks have no place in text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# A value `python -m generator new` left for the contributor to fill in.
PLACEHOLDER_RE = re.compile(r"^\s*TODO\b")

STR = "tag:yaml.org,2002:str"
ALLOWED_TAGS = {
    STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
# PyYAML's safe loader, in libyaml's C version when installed (the same rules, about ten times faster).
# Only its composer is used: Converter builds the values.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()


class Refused(Exception):
    """What makes a file unreadable: where (counted from 1, as editors do), which field, and why."""

    def __init__(self, message: str, line: int = 1, column: int = 1, field_path: tuple = ()):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.field_path = field_path

    @classmethod
    def at(cls, node, field_path, message):
        line, column = position(node)
        return cls(message, line, column, field_path)


def position(node) -> tuple[int, int]:
    """Line and column of a YAML node, counted from 1 as editors do."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def parse(raw: bytes) -> Converter:
    """A file's bytes read into values (`.data`), with the node at each field path; or Refused.

    The checks run in the order a contributor is best told about them: size,
    encoding, emptiness, tabs, YAML syntax, then the values themselves.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise Refused(f"the file is {len(raw) // 1024} KiB; the limit is {MAX_FILE_BYTES // 1024} KiB")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise Refused("the file is not valid UTF-8 text; save it as UTF-8", line, column) from None
    if not text.strip():
        raise Refused("the file is empty; a scheme needs at least its required fields")
    if "\t" in text:
        tab = text.index("\t")
        line = text[:tab].count("\n") + 1
        column = tab - (text.rfind("\n", 0, tab) + 1) + 1
        raise Refused("tab character found; indent with spaces, not tabs", line, column)
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = f"YAML syntax error: {exc.problem or exc.context}"
        if exc.context and exc.problem:
            msg = f"YAML syntax error: {exc.problem} ({exc.context})"
        raise Refused(msg + "; check indentation and quotes around text containing ': '", line, column) from None
    except yaml.YAMLError as exc:
        raise Refused(f"YAML error: {exc}") from None
    if node is None:
        raise Refused("the file is empty; a scheme needs at least its required fields")
    return Converter(node)


class Converter:
    """Turns a composed YAML node tree into plain values, refusing what is unsafe.

    Working from nodes (not PyYAML's constructor) keeps each value's line and
    column, catches duplicate keys, and refuses aliases before anything expands.
    """

    def __init__(self, root: yaml.Node):
        self.seen: set[yaml.Node] = set()  # an alias is a node met twice
        # The node at each field path, and the node of each field name; lines and columns
        # are read from them only where a message needs one.
        self.nodes: dict[tuple, yaml.Node] = {}
        self.key_nodes: dict[tuple, yaml.Node] = {}
        self.dates: list[tuple] = []  # where YAML read an unquoted date
        self.placeholders: list[tuple] = []  # where a TODO from `python -m generator new` is left
        self.data = self.convert(root)

    def convert(self, node, path=()):
        if node in self.seen:
            raise Refused.at(node, path, "YAML aliases (*name) are not allowed; write the value out in full")
        self.seen.add(node)
        self.nodes[path] = node
        if node.tag == STR and type(node) is yaml.ScalarNode:  # most values: plain text, nothing to construct
            return self._text(node, path)
        if node.tag not in ALLOWED_TAGS:
            raise Refused.at(node, path, f"the YAML tag '{node.tag}' is not allowed; remove it")
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR:
                    raise Refused.at(key_node, path, "field names must be plain text")
                key = key_node.value
                if key == "<<":
                    raise Refused.at(key_node, path, "YAML merge keys (<<) are not allowed")
                key_path = path + (key,)
                if key in result:
                    raise Refused.at(
                        key_node, key_path,
                        f"duplicate field '{key}' (first given on line {position(self.key_nodes[key_path])[0]}); "
                        "keep one and delete the other",
                    )
                self.key_nodes[key_path] = key_node
                result[key] = self.convert(value_node, key_path)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _text(self, node, path):
        value = node.value
        bad = CONTROL.search(value)
        if bad:
            raise Refused.at(node, path, f"contains an invisible control character (U+{ord(bad.group()):04X}); delete it")
        if PLACEHOLDER_RE.match(value):
            self.placeholders.append(path)
        return value

    def _scalar(self, node, path):
        if node.tag == "tag:yaml.org,2002:int" and not node.style:
            digits = node.value.lstrip("+-")
            if len(digits) > 1 and digits.startswith("0") and digits.isdigit():
                raise Refused.at(
                    node, path,
                    f"'{node.value}' has a leading zero, which YAML reads as an octal number; "
                    f"write it in quotes (\"{node.value}\") if it is text",
                )
        try:
            value = _constructor.yaml_constructors[node.tag](_constructor, node)
        except (ValueError, yaml.constructor.ConstructorError, OverflowError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise Refused.at(node, path, f"'{node.value}' is not a real date" + dates.why_not_real(node.value)) from None
            raise Refused.at(node, path, f"cannot read '{node.value}'") from None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            self.dates.append(path)
        return value
