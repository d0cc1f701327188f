"""Strict, safe YAML: a file's bytes become plain values, each with its place in the file.

Only plain data gets through. A file must be small UTF-8 text indented with
spaces; YAML tags beyond the basic types, aliases, merge keys, duplicate field
names, tabs and invisible control characters are refused. Scheme files and
vocabulary files are read the same way.

What stops reading altogether (too large, not UTF-8, empty, or YAML that
cannot be parsed) raises `Refused`, with the line, column and a message a
contributor can act on (syntax errors in plain words, from yaml_errors).
Everything else is a problem of one value: it is recorded in
`Converter.problems`, its path is added to `Converter.bad`, and reading goes
on, so that one run reports every problem. Nothing here lets a YAML error or a
traceback through.
"""
from __future__ import annotations

import datetime
import re

import yaml

from . import dates, yaml_errors

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
    encoding, emptiness, YAML syntax (a tab in the indentation first), then
    the values themselves, each value on its own.
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
        raise Refused("the file is not valid UTF-8 text; save it as UTF-8; the file cannot be read until this is "
                      "fixed, so other problems may follow", line, column) from None
    if not text.strip():
        raise Refused("the file is empty; a scheme needs at least its required fields")
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line, column, message = yaml_errors.explain(text, exc)
        raise Refused(message, line, column) from None
    except yaml.YAMLError as exc:
        raise Refused(f"YAML error: {exc}{yaml_errors.MORE_MAY_FOLLOW}") from None
    if node is None:
        raise Refused("the file is empty; a scheme needs at least its required fields")
    conv = Converter(node, text)
    if "\t" in text:
        conv.tabs()
    return conv


class Converter:
    """Turns a composed YAML node tree into plain values, recording what is unsafe or unclear.

    Working from nodes (not PyYAML's constructor) keeps each value's line and
    column, catches duplicate keys, and refuses aliases before anything expands.
    A refused value is recorded in `problems` (and its path in `bad`) and left
    out or kept as read, so the rest of the file is still read and checked.
    """

    def __init__(self, root: yaml.Node, text: str = ""):
        self.text = text
        self.seen: set[yaml.Node] = set()  # an alias is a node met twice
        # The node at each field path, and the node of each field name; lines and columns
        # are read from them only where a message needs one.
        self.nodes: dict[tuple, yaml.Node] = {}
        self.key_nodes: dict[tuple, yaml.Node] = {}
        self.dates: list[tuple] = []  # where YAML read an unquoted date
        self.numbers: list[tuple] = []  # where YAML read an unquoted four-digit number (a year, where a date is expected)
        self.placeholders: list[tuple] = []  # where a TODO from `python -m generator new` is left
        self.problems: list[Refused] = []  # values refused; reading went on
        self.bad: set[tuple] = set()  # their paths: no other check looks at them
        # Plain (unquoted) text followed by ` #` on its line: YAML reads the rest as a comment.
        # (path, column of the '#', the comment); the loader refuses it where the field holds free text.
        self.comments: list[tuple[tuple, int, str]] = []
        self._comment_lines = _comment_lines(text) if " #" in text else None
        self.data = self.convert(root)

    def _alias_position(self, node) -> tuple[int, int]:
        """Where the n-th alias is written (a composed alias is the anchored node itself, which is elsewhere)."""
        if not hasattr(self, "_aliases"):
            try:
                self._aliases = [(e.start_mark.line + 1, e.start_mark.column + 1)
                                 for e in yaml.parse(self.text, Loader=SafeLoader)
                                 if isinstance(e, yaml.AliasEvent) and e.start_mark is not None]
            except yaml.YAMLError:
                self._aliases = []
            self._alias_count = 0
        i, self._alias_count = self._alias_count, self._alias_count + 1
        return self._aliases[i] if i < len(self._aliases) else position(node)

    def refuse(self, node, path, message) -> None:
        self.problems.append(Refused.at(node, path, message))
        self.bad.add(path)

    def tabs(self) -> None:
        """A tab YAML could read (in a value, or after a colon) is still refused, once per line."""
        for i, line in enumerate(self.text.split("\n")):
            col = line.find("\t")
            if col >= 0:
                path = self._path_at(i, col)
                self.problems.append(Refused("tab character found; use spaces, not tabs", i + 1, col + 1, path))
                if path:
                    self.bad.add(path)

    def _path_at(self, line: int, col: int) -> tuple:
        """The innermost value written at a place in the file, or () when it is between values."""
        best, size = (), None
        for path, node in self.nodes.items():
            start, end = node.start_mark, node.end_mark
            if (start.line, start.column) <= (line, col) <= (end.line, end.column) and path:
                if size is None or len(path) > size:
                    best, size = path, len(path)
        return best

    def convert(self, node, path=()):
        if node in self.seen:
            line, column = self._alias_position(node)
            self.problems.append(Refused("YAML aliases (*name) are not allowed; write the value out in full",
                                         line, column, path))
            self.bad.add(path)
            return None
        self.seen.add(node)
        self.nodes[path] = node
        if node.tag == STR and type(node) is yaml.ScalarNode:  # most values: plain text, nothing to construct
            return self._text(node, path)
        if node.tag not in ALLOWED_TAGS:
            self.refuse(node, path, f"the YAML tag '{node.tag}' is not allowed; remove it")
            return None
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR:
                    shown = f"'{key_node.value}' " if isinstance(key_node, yaml.ScalarNode) else ""
                    self.problems.append(Refused.at(key_node, path, f"field name {shown}must be plain text; "
                                                    "put it in quotes if it is meant as text"))
                    continue
                key = key_node.value
                if key == "<<":
                    self.refuse(key_node, path + ("<<",), "YAML merge keys (<<) are not allowed")
                    continue
                key_path = path + (key,)
                if key in result:
                    self.refuse(
                        key_node, key_path,
                        f"duplicate field '{key}' (first given on line {position(self.key_nodes[key_path])[0]}); "
                        "keep one and delete the other",
                    )
                    continue
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
            self.refuse(node, path, f"contains an invisible control character (U+{ord(bad.group()):04X}); delete it")
        if not value and node.style in ("|", ">"):
            name = path[-1] if path and isinstance(path[-1], str) else "the field"
            self.refuse(node, path, f"the text under '{name}: {node.style}' is empty: indent its lines by two spaces "
                        f"more than '{name}' (a line that is not indented ends the text)")
        elif PLACEHOLDER_RE.match(value):
            self.placeholders.append(path)
        elif self._comment_lines is not None and not node.style and node.end_mark.line in self._comment_lines:
            self._comment_after(node, path)
        return value

    def _comment_after(self, node, path):
        end = node.end_mark.index
        line_end = self.text.find("\n", end)
        rest = self.text[end: line_end if line_end >= 0 else len(self.text)]
        if rest.lstrip(" ").startswith("#"):
            column = node.end_mark.column + (len(rest) - len(rest.lstrip(" "))) + 1
            self.comments.append((path, column, rest.strip()))

    def _scalar(self, node, path):
        if node.tag == "tag:yaml.org,2002:int" and not node.style:
            digits = node.value.lstrip("+-")
            if len(digits) > 1 and digits.startswith("0") and digits.isdigit():
                self.refuse(
                    node, path,
                    f"'{node.value}' has a leading zero, which YAML reads as an octal number; "
                    f"write it in quotes (\"{node.value}\") if it is text",
                )
                return node.value
        try:
            value = _constructor.yaml_constructors[node.tag](_constructor, node)
        except (ValueError, yaml.constructor.ConstructorError, OverflowError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                self.refuse(node, path, f"'{node.value}' is not a real date" + dates.why_not_real(node.value))
            else:
                self.refuse(node, path, f"cannot read '{node.value}'")
            return node.value
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            self.dates.append(path)
        elif type(value) is int and 1000 <= value <= 9999 and not node.style:
            self.numbers.append(path)
        return value


def _comment_lines(text: str) -> set[int]:
    """Lines (from 0) where ` #` follows something other than spaces: a comment after a value, perhaps."""
    out = set()
    for i, line in enumerate(text.split("\n")):
        at = line.find(" #")
        if at > 0 and line[:at].strip():
            out.add(i)
    return out
