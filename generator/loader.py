"""Load and validate scheme files, strictly.

Every problem becomes a `Problem` with file, line, column, field path and a
message a newcomer can act on; all problems of all files are collected in one
run. Nothing here raises on bad input: a contributor should never see a
Python traceback.
"""
from __future__ import annotations

import calendar
import contextlib
import datetime
import difflib
import functools
import gc
import json
import os
import pathlib
import re
from dataclasses import dataclass, field

import fastjsonschema
import yaml

from . import parallel
from .schema import build_schema, compile_fast_check, is_date_schema, make_validator, resolve
from .vocabularies import ROOT, Vocabularies, load_vocabularies

# RRS_SCHEMES_DIR lets tests and the benchmark build another set of entries.
SCHEMES_DIR = pathlib.Path(os.environ.get("RRS_SCHEMES_DIR") or ROOT / "schemes")
MAX_FILE_BYTES = 256 * 1024
# Fields whose problems only show across files (a slug or alias used twice).
_CROSS_FILE_FIELDS = ("slug", "aliases")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Control characters other than tab and line breaks have no place in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")

STR = "tag:yaml.org,2002:str"
_constructor = yaml.constructor.SafeConstructor()


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's composer when available (same safety, about ten times faster), with a quicker resolver.

    The composer asks the resolver for the tag of every node, in Python. The
    safe loader has no path resolvers, so a quoted scalar is always text and a
    plain scalar's tag depends only on its text; short plain texts (field
    names, slugs, dates) repeat across files and are remembered, in
    `plain_tags`, which SchemeLoader gives each of its instances (one build).
    A fifth of the loading time at thousands of files.
    """

    plain_tags: dict[str, str]  # set on each SchemeLoader's own subclass, never shared between builds

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode:
            return self.DEFAULT_MAPPING_TAG if kind is yaml.MappingNode else self.DEFAULT_SEQUENCE_TAG
        if not implicit[0]:
            return STR
        tag = self.plain_tags.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(value) <= 40 and len(self.plain_tags) < 100_000:
                self.plain_tags[value] = tag
        return tag

    def descend_resolver(self, current_node, current_index):
        pass  # only path resolvers need to follow the document's structure

    def ascend_resolver(self):
        pass


assert not _Loader.yaml_path_resolvers, "_Loader.resolve assumes the safe loader's resolvers"
_ALLOWED_TAGS = {
    STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


# Vocabularies a contributor is expected to extend: say how, in the "not allowed" message.
_NEW_ENTRY = {
    "organisations": "; a new organisation is added there first, with its name and kind",
    "sources": "; to cite a new document, add it there first with its title, publisher and date",
}


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


def _at(node) -> tuple[int, int]:
    """Line and column of a YAML node, counted from 1 as editors do."""
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Reject(Exception):
    def __init__(self, node, field_path, message):
        super().__init__(message)
        self.node = node
        self.field_path = field_path
        self.message = message


def _field(path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(file)"


def _describe(value) -> str:
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


class _Converter:
    """Turns a composed YAML node tree into plain values, refusing what is unsafe.

    Working from nodes (not PyYAML's constructor) keeps each value's line and
    column, catches duplicate keys, and refuses aliases before anything expands.
    """

    def __init__(self, text: str):
        # What the whole text rules out need not be looked for node by node: an alias needs an
        # anchor (&name), and a control character or a TODO in a value is in the text itself
        # unless a backslash escape made it.
        self.seen: set[yaml.Node] | None = set() if "&" in text else None
        self.check_text = "\\" in text or "TODO" in text or _CONTROL.search(text) is not None
        # The node at each field path, and the node of each field name; lines and columns
        # are read from them only where a message needs one.
        self.nodes: dict[tuple, yaml.Node] = {}
        self.key_nodes: dict[tuple, yaml.Node] = {}
        self.dates: list[tuple] = []  # where YAML read an unquoted date
        self.placeholders: list[tuple] = []  # where a TODO from `python -m generator new` is left

    def convert(self, node, path=()):
        if self.seen is not None:
            if node in self.seen:
                raise _Reject(node, path, "YAML aliases (*name) are not allowed; write the value out in full")
            self.seen.add(node)
        self.nodes[path] = node
        if node.tag == STR and type(node) is yaml.ScalarNode:  # most values: plain text, nothing to construct
            return self._text(node, path) if self.check_text else node.value
        if node.tag not in _ALLOWED_TAGS:
            raise _Reject(node, path, f"the YAML tag '{node.tag}' is not allowed; remove it")
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR:
                    raise _Reject(key_node, path, "field names must be plain text")
                key = key_node.value
                if key == "<<":
                    raise _Reject(key_node, path, "YAML merge keys (<<) are not allowed")
                key_path = path + (key,)
                if key in result:
                    raise _Reject(
                        key_node, key_path,
                        f"duplicate field '{key}' (first given on line {_at(self.key_nodes[key_path])[0]}); "
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
        bad = _CONTROL.search(value)
        if bad:
            raise _Reject(node, path, f"contains an invisible control character (U+{ord(bad.group()):04X}); delete it")
        if PLACEHOLDER_RE.match(value):
            self.placeholders.append(path)
        return value

    def _scalar(self, node, path):
        if node.tag == "tag:yaml.org,2002:int" and not node.style:
            digits = node.value.lstrip("+-")
            if len(digits) > 1 and digits.startswith("0") and digits.isdigit():
                raise _Reject(
                    node, path,
                    f"'{node.value}' has a leading zero, which YAML reads as an octal number; "
                    f"write it in quotes (\"{node.value}\") if it is text",
                )
        try:
            value = _constructor.yaml_constructors[node.tag](_constructor, node)
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                self.dates.append(path)
            return value
        except (ValueError, yaml.constructor.ConstructorError, OverflowError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise _Reject(node, path, f"'{node.value}' is not a real date" + _date_hint(node.value)) from None
            raise _Reject(node, path, f"cannot read '{node.value}'") from None


class SchemeLoader:
    """Loads scheme files against one set of vocabularies and one compiled schema."""

    def __init__(self, vocab: Vocabularies | None = None):
        self.vocab = vocab or load_vocabularies()
        self.schema = build_schema(self.vocab)
        self.validator = make_validator(self.schema)
        # A compiled check for the common case (a valid file); jsonschema explains failures.
        self.fast_check = compile_fast_check(self.schema)
        self.fields = list(self.schema["properties"])
        self.yaml_loader = type("_SchemeYAMLLoader", (_Loader,), {"plain_tags": {}})

    # ---- one file -------------------------------------------------------

    def load_file(self, path: pathlib.Path) -> tuple[Scheme | None, list[Problem]]:
        shown = _display(path)

        def at(line, col, fld, msg):
            return Problem(shown, line, col, fld, msg)

        if path.suffix != ".yaml":
            return None, [at(1, 1, "(file)", "scheme files must end in .yaml")]
        slug = path.stem
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return None, [at(1, 1, "(file)", f"cannot read the file: {exc.strerror}")]
        if len(raw) > MAX_FILE_BYTES:
            return None, [at(1, 1, "(file)", f"the file is {len(raw) // 1024} KiB; the limit is {MAX_FILE_BYTES // 1024} KiB")]
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start]
            line = before.count(b"\n") + 1
            col = exc.start - (before.rfind(b"\n") + 1) + 1
            return None, [at(line, col, "(file)", "the file is not valid UTF-8 text; save it as UTF-8")]
        if not text.strip():
            return None, [at(1, 1, "(file)", "the file is empty; a scheme needs at least its required fields")]
        if "\t" in text:
            lineno = text[: text.index("\t")].count("\n") + 1
            col = text.index("\t") - (text.rfind("\n", 0, text.index("\t")) + 1) + 1
            return None, [at(lineno, col, "(file)", "tab character found; indent with spaces, not tabs")]
        try:
            node = yaml.compose(text, Loader=self.yaml_loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            msg = f"YAML syntax error: {exc.problem or exc.context}"
            if exc.context and exc.problem:
                msg = f"YAML syntax error: {exc.problem} ({exc.context})"
            return None, [at(line, col, "(file)", msg + "; check indentation and quotes around text containing ': '")]
        except yaml.YAMLError as exc:
            return None, [at(1, 1, "(file)", f"YAML error: {exc}")]
        if node is None:
            return None, [at(1, 1, "(file)", "the file is empty; a scheme needs at least its required fields")]
        conv = _Converter(text)
        try:
            data = conv.convert(node)
        except _Reject as rej:
            mark = rej.node.start_mark
            return None, [at(mark.line + 1, mark.column + 1, _field(rej.field_path), rej.message)]
        if not isinstance(data, dict):
            return None, [at(1, 1, "(file)", f"expected a set of fields (name: value), but the file holds {_describe(data)}")]

        data = self._dates_to_text(data, conv.dates)
        problems = []

        def pos(path_, key=False):
            table = conv.key_nodes if key else conv.nodes
            p = tuple(path_)
            while p not in table and p:
                p = p[:-1]
            node_ = table.get(p, conv.nodes.get(p))
            return _at(node_) if node_ is not None else (1, 1)

        # A TODO left by `python -m generator new` gets one message saying what to write instead.
        todo = conv.placeholders
        try:
            self.fast_check(data)  # compiled: quick for the usual case, a valid file
            errors = []
        except fastjsonschema.JsonSchemaException:
            errors = sorted(self.validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
        for error in errors:
            if any(tuple(error.absolute_path)[: len(p)] == p for p in todo):
                continue
            problems.extend(self._explain(error, shown, pos))
        for p in todo:
            line, col = pos(p)
            problems.append(Problem(shown, line, col, _field(p), self._placeholder_message(p)))
        if not problems:
            problems.extend(self._semantic(data, slug, shown, pos))
        if problems:
            return None, problems
        # Only the places cross-file rules point at are kept: less to hold and to pass between processes.
        kept = {p: _at(n) for p, n in conv.nodes.items() if not p or p[0] in _CROSS_FILE_FIELDS}
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

    # ---- turning schema errors into plain English -------------------------

    def _explain(self, error, shown, pos):
        path = list(error.absolute_path)
        kind = error.validator
        instance = error.instance
        schema = error.schema
        out = []

        def add(p, msg, key=False):
            line, col = pos(p, key)
            out.append(Problem(shown, line, col, _field(p), msg))

        if kind == "additionalProperties":
            allowed = list(schema.get("properties", {}))
            for extra in sorted(set(instance) - set(allowed)):
                hint = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
                msg = f"unknown field '{extra}'"
                msg += f"; did you mean '{hint[0]}'?" if hint else f"; allowed fields here: {', '.join(allowed)}"
                add(path + [extra], msg, key=True)
        elif kind == "required":
            missing = re.findall(r"'([^']+)' is a required property", error.message)
            name = missing[0] if missing else error.message
            desc = schema.get("properties", {}).get(name, {}).get("description", "")
            msg = f"required field '{name}' is missing" + (f" ({desc.split('. ')[0].rstrip('.').lower()})" if desc else "")
            if name == "slug" and not path:
                msg += f"; add the line: slug: {pathlib.Path(shown).stem}"
            else:
                target = resolve(self.schema, schema.get("properties", {}).get(name, {}))
                if target.get("enum") or target.get("type") == "array":
                    msg += f"; add {name}: followed by {self._expected(target)}"
            add(path, msg)
            out[-1] = Problem(out[-1].path, out[-1].line, out[-1].column, _field(path + [name]), out[-1].message)
        elif kind == "enum":
            allowed = [str(v) for v in error.validator_value]
            vocab_name = self._vocab_name(schema)
            text = str(instance)
            hint = difflib.get_close_matches(text, allowed, n=3, cutoff=0.6)
            msg = f"'{text}' is not an allowed value"
            if hint:
                msg += f"; did you mean '{hint[0]}'?"
            if len(allowed) <= 25 or vocab_name == "sources":
                msg += (" Allowed: " if hint else "; allowed: ") + ", ".join(allowed)
            if vocab_name:
                msg += f" (the list is in vocabularies/{vocab_name}.yaml{_NEW_ENTRY.get(vocab_name, '')})"
            add(path, msg)
        elif kind == "type":
            expected = error.validator_value
            if expected == "string" and isinstance(instance, bool):
                msg = ("expected text, but YAML read an unquoted yes/no/on/off/true/false as a yes/no value; "
                       "put the text in quotes")
            elif expected == "string" and isinstance(instance, (datetime.date, datetime.datetime)):
                msg = "expected text, but YAML read an unquoted date; put it in quotes"
            elif expected == "string" and isinstance(instance, (int, float)):
                msg = f"expected text, but found the number {instance}; put it in quotes"
            elif expected == "number":
                msg = f"expected a number (digits only, no £ sign or commas), but found {_describe(instance)}"
                if isinstance(instance, str):
                    msg = (f"expected a number, digits only with no £ sign, % or commas (for example 390000 "
                           f"for £390,000), but found the text '{instance}'")
                    digits = re.sub(r"[£$%,\s]", "", instance)
                    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", digits):
                        msg += f"; write {digits}"
            elif expected == "integer":
                msg = f"expected a whole number, but found {_describe(instance)}"
            elif expected == "array":
                msg = f"expected a list (items starting with '- ' or [a, b]), but found {_describe(instance)}"
            elif expected == "object":
                msg = f"expected a group of fields (name: value), but found {_describe(instance)}"
            elif expected == "string":
                msg = f"expected text, but found {_describe(instance)}"
            else:
                msg = f"expected {expected}, but found {_describe(instance)}"
            add(path, msg)
        elif kind == "pattern":
            add(path, self._pattern_message(schema, instance))
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

    def _vocab_name(self, schema_node):
        return schema_node.get("x-vocabulary") if isinstance(schema_node, dict) else None

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

    def _expected(self, target):
        """What a value of this schema node looks like, in words."""
        if target.get("type") == "array":
            inner = self._expected(resolve(self.schema, target.get("items", {})))
            if inner.startswith("one of: "):
                return "a list, like [a, b], of values from: " + inner[len("one of: "):]
            if inner.startswith("a value from "):
                return "a list, like [a, b], of values from " + inner[len("a value from "):]
            if inner == "a group of fields":
                return "a list of items, each starting with '- '"
            return f"a list, like [a, b], of {inner}"
        allowed = [str(v) for v in target.get("enum", [])]
        vocab_name = self._vocab_name(target)
        if allowed and (len(allowed) <= 25 or vocab_name == "sources"):
            where = f" (from vocabularies/{vocab_name}.yaml)" if vocab_name else ""
            return "one of: " + ", ".join(allowed) + where
        if allowed:
            return f"a value from vocabularies/{vocab_name}.yaml"
        if target.get("pattern") == self.schema["definitions"]["date"]["pattern"]:
            return 'a date in quotes: "YYYY-MM-DD", "YYYY-MM" or "YYYY"'
        if target.get("type") == "number":
            return "a number, digits only (no £ sign, % or commas)"
        if target.get("type") == "integer":
            return "a whole number"
        if target.get("type") == "object":
            return "a group of fields"
        return "text"

    def _placeholder_message(self, path):
        target, node, desc, required = self._schema_at(path)
        what = self._expected(target)
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

    def _pattern_message(self, schema_node, instance):
        pattern = schema_node.get("pattern", "")
        text = str(instance)
        if pattern == self.schema["definitions"]["date"]["pattern"]:
            msg = f"'{text}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY, in quotes (for example \"2021-03\")"
            guess = _guess_date(text)
            return msg + (f"; did you mean \"{guess}\"?" if guess else "")
        if pattern == self.schema["definitions"]["https_url"]["pattern"]:
            return (f"'{text}' is not allowed: a web address must start with https:// (not http:, javascript: or data:) "
                    "and contain no spaces, quotes or angle brackets")
        if pattern == self.schema["definitions"]["slug"]["pattern"]:
            return f"'{text}' is not a valid slug: use lowercase letters, digits and single hyphens"
        if "@" in pattern:
            return f"'{text}' is not an email address like name@example.org (write it without mailto:)"
        return f"'{text}' is not in the expected format"

    # ---- rules the schema cannot express ----------------------------------

    def _semantic(self, data, slug, shown, pos):
        out = []

        def add(p, msg):
            line, col = pos(p)
            out.append(Problem(shown, line, col, _field(p), msg))

        if not SLUG_RE.match(slug):
            add([], f"file name '{slug}.yaml' is not a valid slug: use lowercase letters, digits and hyphens")
        if data.get("slug") != slug:
            add(["slug"], f"slug '{data.get('slug')}' must equal the file name '{slug}' (rename one of them)")

        def check_date(p, value):
            if value is not None and _date_range(value) is None:
                add(p, f"'{value}' is not a real date" + _date_hint(value))

        def check_order(p_start, p_end, start, end):
            if start is None or end is None:
                return
            s, e = _date_range(start), _date_range(end)
            if s and e and e[1] < s[0]:
                add(p_end, f"ends ({end}) before it starts ({start}); check both dates against the source")

        for key in ("start", "end", "as_of", "added", "last_reviewed"):
            check_date([key], data.get(key))
        check_order(["start"], ["end"], data.get("start"), data.get("end"))
        if "age_min" in data and "age_max" in data and data["age_max"] < data["age_min"]:
            add(["age_max"], f"age_max ({data['age_max']}) is below age_min ({data['age_min']})")
        cited = {s["document"] for s in data.get("sources", [])}
        for group in ("funding", "outcomes"):
            for i, item in enumerate(data.get(group, [])):
                for key in ("period_start", "period_end"):
                    check_date([group, i, key], item.get(key))
                check_order([group, i, "period_start"], [group, i, "period_end"],
                            item.get("period_start"), item.get("period_end"))
                src = item.get("source")
                if src and src["document"] not in cited:
                    add([group, i, "source", "document"],
                        f"'{src['document']}' is not among this scheme's sources; add it to sources")
        for i, item in enumerate(data.get("outcomes", [])):
            if item["unit"] == "percent":
                for key in ("value", "value_max"):
                    if key in item and not 0 <= item[key] <= 100:
                        add(["outcomes", i, key],
                            f"{item[key]} is not a percentage between 0 and 100; for a relative rise or fall use unit percent-change")
            if "value_max" in item and item["value_max"] < item["value"]:
                add(["outcomes", i, "value_max"], "value_max is smaller than value")
        for i, alias in enumerate(data.get("aliases", [])):
            if alias == slug:
                add(["aliases", i], "an alias cannot be the scheme's own slug; aliases list former slugs only, so remove it")
        return out

    # ---- many files ------------------------------------------------------

    def load_many(self, paths) -> tuple[list[Scheme], list[Problem]]:
        schemes, problems = [], []
        paths = sorted(paths, key=str)
        with paused_gc():
            for scheme, errs in parallel.map_indexed(lambda i: self.load_file(paths[i]), len(paths)):
                problems.extend(errs)
                if scheme:
                    schemes.append(scheme)
        problems.extend(self._cross_file(schemes))
        problems.sort(key=lambda p: (p.path, p.line, p.column))
        return schemes, problems

    def _cross_file(self, schemes):
        out = []
        owner: dict[str, Scheme] = {}
        for s in schemes:
            if s.slug in owner:
                out.append(_at_field(s, ["slug"], f"slug '{s.slug}' is also used by {_display(owner[s.slug].path)}"))
            else:
                owner[s.slug] = s
        alias_owner: dict[str, Scheme] = {}
        for s in schemes:
            for i, alias in enumerate(s.data.get("aliases", [])):
                if alias in owner and owner[alias] is not s:
                    out.append(_at_field(s, ["aliases", i], f"alias '{alias}' is the slug of another scheme ({_display(owner[alias].path)}); choose another or remove it"))
                elif alias in alias_owner and alias_owner[alias] is not s:
                    out.append(_at_field(s, ["aliases", i], f"alias '{alias}' is already an alias of {_display(alias_owner[alias].path)}"))
                else:
                    alias_owner[alias] = s
        return out


@contextlib.contextmanager
def paused_gc(freeze: bool = False):
    """Hold off Python's cycle collector while thousands of entries pile up.

    Every object these steps create stays alive until they end, so each
    collection pass would rescan a growing heap for nothing: at 5,000 schemes
    that was about a fifth of loading and generating.

    freeze=True is for a build (the hook), where what survives lives on to the
    end: it is frozen, left out of later passes, which would otherwise start
    with a full rescan of it. The hook unfreezes at the start of each build, so
    `mkdocs serve` rebuilds do not pile it up. Freezing is process-wide (it
    also hides objects from gc.get_referrers), so plain loading does not do it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def _at_field(scheme: Scheme, path, message) -> Problem:
    p = tuple(path)
    while p not in scheme.positions and p:
        p = p[:-1]
    line, col = scheme.positions.get(p, (1, 1))
    return Problem(_display(scheme.path), line, col, _field(path), message)


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})


def _guess_date(text: str) -> str | None:
    """The YYYY-MM-DD form of a date written another common way ("April 2019", "1 April 2019", "01/04/2019")."""
    words = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", str(text).strip().lower().replace(",", " "))
    m = re.fullmatch(r"(?:(\d{1,2})\s+)?([a-z]+)\.?\s+(\d{4})", words)
    if m and m.group(2) in _MONTHS:
        month = _MONTHS[m.group(2)]
        guess = f"{m.group(3)}-{month:02d}" + (f"-{int(m.group(1)):02d}" if m.group(1) else "")
    else:
        m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", words)  # UK order: day/month/year
        m2 = re.fullmatch(r"(\d{1,2})[/.](\d{4})", words)
        if m:
            guess = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
        elif m2:
            guess = f"{m2.group(2)}-{int(m2.group(1)):02d}"
        else:
            return None
    return guess if _date_range(guess) else None


def _date_hint(text: str) -> str:
    """Why a well-formed date is not real: the number of days in its month."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(text))
    if m and 1 <= int(m.group(2)) <= 12:
        year, month = int(m.group(1)), int(m.group(2))
        days = calendar.monthrange(year, month)[1]
        return f"; {calendar.month_name[month]} {year} has {days} days"
    return ""


PLACEHOLDER_RE = re.compile(r"^\s*TODO\b")


def _date_range(text: str):
    """First and last day a partial date can mean, or None if not a real date."""
    try:
        parts = [int(x) for x in str(text).split("-")]
        if len(parts) == 1:
            return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return datetime.date(parts[0], parts[1], 1), datetime.date(parts[0], parts[1], last)
        day = datetime.date(parts[0], parts[1], parts[2])
        return day, day
    except (ValueError, TypeError):
        return None


def _display(path: pathlib.Path) -> str:
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
