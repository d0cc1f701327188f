"""One file read by yaml_safety, checked against one JSON Schema: every problem, each at its place.

Scheme files (generator/loader.py) and vocabulary files
(generator/vocabularies.py) go through the same steps:

1. what yaml_safety refused (a duplicate field, an alias, a control
   character...) is a problem of that value only;
2. unquoted dates, and unquoted years, become text where the schema
   expects a date (so `start: 2021-03-05`, `start: 2021-03` and `as_of: 2022`
   all read as the dates they look like);
3. the JSON Schema, explained by messages.SchemaMessages; a value already
   refused, or a TODO left by `python -m generator new`, gets no further
   message (a TODO gets one saying what to write instead);
4. plain text followed by ` #` on its line is refused where the field holds
   free text (YAML would drop everything from the `#`);

and the paths of every value with a problem are collected in `bad`, so
that the rules comparing fields (generator/rules.py) look only at values
that passed their own checks.
"""
from __future__ import annotations

import json

import fastjsonschema
import jsonschema
import yaml

from .messages import Finding, SchemaMessages, field_name
from .problems import Problem
from .schema import is_date_schema, resolve
from .yaml_safety import Converter, position


class Place:
    """Where a finding is shown in one converted file."""

    def __init__(self, conv: Converter, shown: str, schema: dict, name=field_name):
        self.conv = conv
        self.shown = shown
        self.schema = schema
        self.name = name  # how a field path is written in messages

    def node_position(self, path, key=False) -> tuple[int, int]:
        table = self.conv.key_nodes if key else self.conv.nodes
        p = tuple(path)
        while p not in table and p:
            p = p[:-1]
        node = table.get(p, self.conv.nodes.get(p))
        return position(node) if node is not None else (1, 1)

    def problem(self, finding: Finding) -> Problem:
        if finding.missing:
            line, col = self.missing_position(finding.at, finding.path[-1])
        else:
            line, col = self.node_position(finding.path if finding.at is None else finding.at, finding.key)
        return Problem(self.shown, line, col, self.name(finding.path), finding.message)

    def at(self, line, col, path, message) -> Problem:
        return Problem(self.shown, line, col, self.name(path), message)

    def missing_position(self, mapping_path, name) -> tuple[int, int]:
        """Where a missing field belongs: on the line after the field that comes before it in the schema's order.

        Shown at the column of the group's fields. When no field that comes
        before it is present, at the group's first field. (A pull request that
        deletes a line then gets the message next to the deleted line.)
        """
        node = self.conv.nodes.get(tuple(mapping_path))
        if not isinstance(node, yaml.MappingNode) or not node.value:
            return self.node_position(mapping_path)
        order = list(_properties_at(self.schema, mapping_path))
        rank = order.index(name) if name in order else len(order)
        before = None
        for key_node, value_node in node.value:
            if key_node.value in order and order.index(key_node.value) < rank:
                before = (key_node, value_node)
        first_key = node.value[0][0]
        if before is None:
            return position(first_key)
        key_node, value_node = before
        end = value_node.end_mark
        line = end.line + (1 if end.column == 0 else 2)  # the line after the value, counted from 1
        lines = self.conv.text.count("\n") + (0 if self.conv.text.endswith("\n") else 1)
        return min(line, max(lines, 1)), key_node.start_mark.column + 1


def _properties_at(schema, path) -> dict:
    node = schema
    for part in path:
        node = resolve(schema, node)
        node = node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {})
    return resolve(schema, node).get("properties", {})


class DocumentCheck:
    """The schema-level checks of one kind of file (a scheme, or one vocabulary)."""

    def __init__(self, schema: dict, messages: SchemaMessages | None = None, fast: bool = False, validator=None):
        self.schema = schema
        self.validator = validator or jsonschema.Draft7Validator(schema)
        self.messages = messages or SchemaMessages(schema)
        # A compiled check for the common case (a valid file); jsonschema explains failures.
        self.fast_check = None
        if fast:
            from .schema import compile_fast_check
            self.fast_check = compile_fast_check(schema)
        self._nodes: dict[tuple, dict | None] = {}

    def node_at(self, path) -> dict | None:
        """The schema node of a data path (list positions are all alike), or None outside the schema."""
        key = tuple(-1 if isinstance(p, int) else p for p in path)
        if key not in self._nodes:
            node: dict | None = self.schema
            for part in path:
                node = resolve(self.schema, node or {})
                node = node.get("items") if isinstance(part, int) else node.get("properties", {}).get(part)
                if node is None:
                    break
            self._nodes[key] = node
        return self._nodes[key]

    def is_valid(self, data) -> bool:
        if self.fast_check is not None:
            try:
                self.fast_check(data)
                return True
            except fastjsonschema.JsonSchemaException:
                return False
        return self.validator.is_valid(data)

    def run(self, conv: Converter, place: Place, file_stem: str = "") -> tuple[object, list[Problem], set]:
        """(data, problems, bad paths) of one converted file."""
        data = conv.data
        self._dates_to_text(data, conv)
        problems = [place.at(r.line, r.column, r.field_path, r.message) for r in conv.problems]
        bad = set(conv.bad)
        bad.update(conv.placeholders)

        def under_bad(p) -> bool:
            return any(p[:i] in bad for i in range(len(p) + 1))

        if not self.is_valid(data):
            errors = sorted(self.validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
            empty_seen = set()
            for error in errors:
                p = tuple(error.absolute_path)
                if bad and under_bad(p):
                    continue
                if error.instance is None:  # a blank value: one message, whatever the schema says of it
                    if p in empty_seen:
                        continue
                    empty_seen.add(p)
                for finding in self.messages.explain(error, file_stem):
                    problems.append(place.problem(finding))
                    bad.add(finding.path)
        for p in conv.placeholders:
            line, col = place.node_position(p)
            problems.append(place.at(line, col, p, self.messages.placeholder(p)))
        for p, col, comment in conv.comments:
            if p in bad or not self.is_free_text(p):
                continue
            node = conv.nodes[p]
            line = node.start_mark.line + 1
            whole = ""
            if node.start_mark.line == node.end_mark.line:
                end = conv.text.find("\n", node.start_mark.index)
                whole = conv.text[node.start_mark.index: end if end >= 0 else len(conv.text)].rstrip()
            fix = f"; if it belongs to the text, put the whole value in double quotes: {json.dumps(whole, ensure_ascii=False)}" \
                if whole else "; if it belongs to the text, put the whole value in double quotes"
            problems.append(place.at(
                line if whole else node.end_mark.line + 1, col, p,
                f"the text after ' #' is read as a comment and dropped ({comment[:60]}){fix}; "
                "if it is a note, put it on a line of its own"))
        return data, problems, bad

    def is_free_text(self, path) -> bool:
        node = self.node_at(path)
        if node is None or is_date_schema(node):
            return False
        target = resolve(self.schema, node)
        return (target.get("type") == "string" and "enum" not in target and "pattern" not in target
                and "x-vocabulary" not in target)

    def _dates_to_text(self, data, conv: Converter) -> None:
        """Unquoted dates, and unquoted years, are fine where a date is expected: store them as text."""
        for path in conv.dates + conv.numbers:
            node = self.node_at(path)
            if node is not None and is_date_schema(node):
                parent = data
                for part in path[:-1]:
                    parent = parent[part]
                value = parent[path[-1]]
                parent[path[-1]] = value.isoformat() if hasattr(value, "isoformat") else str(value)
