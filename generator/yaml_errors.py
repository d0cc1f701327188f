"""YAML syntax errors in plain words, at the line a contributor has to change.

libyaml reports where it gave up reading, in its own words ("did not find
expected key", "mapping values are not allowed in this context"), and that
is often a line or more after the mistake: text not indented under
`description: |` is reported at the next paragraph, `slug:x` at the line
after it. `explain` looks at the lines up to that point for the mistakes
people usually make and names the one it finds, with the fix:

- a tab in the indentation;
- text under `|` or `>` that is not indented;
- a line indented by one or more spaces too many or too few;
- an apostrophe inside single quotes (or text after a closing quote);
- an unquoted `: ` in a value, or ` #` inside a `[...]` list;
- no space after the `-` of a list item or after the `:` of a field name;
- a quote or a list that is never closed; a value starting with `@`, a backquote, `*`, `&` or `!`.

Anything else keeps libyaml's words, still at its line. Every message ends
by saying that other problems may follow: nothing else in a file is checked
until YAML can read it.
"""
from __future__ import annotations

import json
import re

import yaml

# Appended to every message here: a file YAML cannot read is not checked any further.
MORE_MAY_FOLLOW = "; YAML cannot read the file until this is fixed, so other problems may follow"

_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
# "  key:" or "  - key:" (the start of a field line), with what follows the colon.
_FIELD_LINE = re.compile(rf"^(?P<indent> *)(?P<dash>(?:- +)*)(?P<key>{_KEY}):(?P<rest>.*)$")
# A block scalar indicator ending a field line: `description: |`, `note: >-`, `x: |2  # comment`.
_BLOCK_START = re.compile(rf"^(?P<indent> *)(?:- +)*(?:{_KEY}:[ ]+)?[|>][-+0-9]*[ ]*(?:#.*)?$")
_DASH_NO_SPACE = re.compile(r"^(?P<indent> *)-(?P<next>[^\s-])")
_PLAIN_START = re.compile(r"""[^\s'"\[\]{}|>&*!%@`#,]""")


def explain(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """(line, column, message) for a file libyaml cannot read; line and column count from 1."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    err_line = mark.line if mark else 0
    err_col = mark.column if mark else 0
    problem = exc.problem or ""
    context = exc.context or ""

    if err_line >= len(lines):  # at the very end of the file
        err_line, err_col = len(lines) - 1, len(lines[-1])
    try:
        found = _tab(lines, err_line) or _unindented_block(lines, err_line) or _unclosed_quote(lines, err_line)
        if found is None:
            # the mistake is on the line or just before it, or where libyaml began the part it could not read
            candidates = list(range(err_line, max(-1, err_line - 4), -1))
            if exc.context_mark is not None and exc.context_mark.line not in candidates:
                candidates.append(exc.context_mark.line)
            for line_no in candidates:
                found = _mistake_on(lines, line_no, err_line)
                if found:
                    break
        if found is None:
            found = _from_mark(lines, problem, context, err_line, err_col, exc.context_mark)
    except Exception:  # noqa: BLE001 - an unforeseen shape of file still gets a message, never a traceback
        found = (err_line, err_col, f"YAML cannot read this ({problem or context}); check the indentation, and put "
                                    "text that contains ': ', ' #' or a quote in double quotes")
    line, column, message = found
    return line + 1, column + 1, message + MORE_MAY_FOLLOW


def _line(lines, i) -> str:
    return lines[i] if 0 <= i < len(lines) else ""


def _tab(lines, upto):
    """A tab in the indentation of a line up to the error (a tab anywhere libyaml stopped at)."""
    for i in range(0, min(upto, len(lines) - 1) + 1):
        line = lines[i]
        lead = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:lead] or (i == upto and "\t" in line):
            return i, line.index("\t"), "tab character found; indent with spaces, not tabs"
    return None


def _unindented_block(lines, upto):
    """Text that should be indented under `|` or `>` but starts at the field's own column or before."""
    for i in range(max(0, upto - 60), min(upto, len(lines) - 1) + 1):
        m = _BLOCK_START.match(lines[i])
        if not m:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j > upto or j >= len(lines):
            continue
        nxt = lines[j]
        indent = len(nxt) - len(nxt.lstrip(" "))
        key_col = len(m.group("indent"))
        stripped = nxt.strip()
        if indent <= key_col and not stripped.startswith("#") and not _looks_like_field(nxt):
            key = lines[i].split(":", 1)[0].strip().lstrip("- ") if ":" in lines[i] else "the field"
            indicator = lines[i].split(":", 1)[1].strip()[:1] if ":" in lines[i] else lines[i].strip()[:1]
            return j, 0, (f"the text under '{key}: {indicator}' (line {i + 1}) must be indented: start each of its "
                          f"lines with {key_col + 2} spaces, two more than '{key}'")
    return None


def _unclosed_quote(lines, upto):
    """A quote opened at the start of a value and not closed on its line, that runs on to the error."""
    opened = None  # (line, column, quote) of a quoted value still open
    block_indent = None  # inside the text of a `|` or `>` field: its own indentation
    for i in range(0, min(upto, len(lines) - 1) + 1):
        line = lines[i]
        if block_indent is not None:
            if not line.strip() or len(line) - len(line.lstrip(" ")) > block_indent:
                continue
            block_indent = None
        if opened is None:
            m = _BLOCK_START.match(line)
            if m:
                block_indent = len(m.group("indent"))
                continue
            m = re.match(rf"^( *(?:- +)*(?:{_KEY}: +)?)(['\"])", line)
            if m and _closing(line, m.end(1) + 1, m.group(2)) is None:
                opened = (i, m.end(1), m.group(2))
        elif _closing(line, 0, opened[2]) is not None and i < upto:
            opened = None
    if opened is None:
        return None
    i, col, quote = opened
    return i, col, (f"the quote {quote} that starts this value is not closed on its line; add the closing {quote} "
                    "at the end of the value")


def _closing(line: str, start: int, quote: str) -> int | None:
    """The column of the quote that closes a quoted value started before `start`, or None."""
    j = start
    while j < len(line):
        ch = line[j]
        if quote == "'" and ch == "'":
            if line[j + 1: j + 2] == "'":
                j += 2
                continue
            return j
        if quote == '"' and ch == "\\":
            j += 2
            continue
        if quote == '"' and ch == '"':
            return j
        j += 1
    return None


def _looks_like_field(line: str) -> bool:
    m = _FIELD_LINE.match(line)
    return bool(m and (m.group("rest") == "" or m.group("rest")[:1] in " \t")) or line.lstrip(" ").startswith("- ")


def _mistake_on(lines, i, err_line):
    """A common mistake on line i (0-based), read from the line itself."""
    line = _line(lines, i)
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    m = _DASH_NO_SPACE.match(line)
    if m and line.strip() != "---":
        col = len(m.group("indent"))
        return i, col, (f"put a space after the '-' that starts a list item: write '- {line[col + 1:].strip()}'")
    m = _FIELD_LINE.match(line)
    if m and m.group("rest")[:1] not in ("", " ", "\t", ":", "/"):
        col = len(m.group("indent")) + len(m.group("dash")) + len(m.group("key"))
        return i, col, (f"put a space after the ':' of '{m.group('key')}': write "
                        f"'{m.group('key')}: {m.group('rest').strip()}'")
    quoted = _quoted_then_text(line)
    if quoted:
        return (i,) + quoted
    if m:
        value = m.group("rest").strip()
        value_col = len(line) - len(m.group("rest").lstrip())
        if value and _PLAIN_START.match(value[0]):
            colon = re.search(r":( |$)", value)
            hash_at = value.find(" #")
            if colon and (hash_at < 0 or colon.start() < hash_at) and (i == err_line or i == err_line - 1):
                return i, value_col + colon.start(), (
                    f"a ': ' inside a value must be in quotes: write {m.group('key')}: {_quote(value)}")
        if value.startswith("[") or value.startswith("{"):
            hash_at = value.find(" #")
            closer = "]" if value.startswith("[") else "}"
            if hash_at > 0 and closer not in value[:hash_at]:
                return i, value_col + hash_at + 1, (
                    f"' #' starts a comment, so the rest of the line (with the closing '{closer}') is not read; "
                    f"put the item that contains '#' in double quotes, for example {_first_item_with_hash(value)}")
    return None


def _first_item_with_hash(flow_value: str) -> str:
    body = flow_value[1:]
    for item in body.split(","):
        if "#" in item:
            return _quote(item.strip().rstrip("]}").strip())
    return _quote(body.strip())


def _quoted_then_text(line: str):
    """(column, message) when a quoted value is closed and text follows it on the same line."""
    m = re.match(rf"^( *(?:- +)*(?:{_KEY}: +)?)(['\"])", line)
    if not m:
        return None
    quote, start = m.group(2), m.end(1)
    j = _closing(line, start + 1, quote)
    if j is None:
        return None  # not closed on this line: a multi-line value, or a missing quote (reported from the mark)
    after = line[j + 1:]
    rest = after.strip()
    if not rest or rest[0] in ",]}:" or (rest[0] == "#" and after[:1] == " "):
        return None  # the end of the line, the next item, a quoted field name, or a comment
    value = line[start:].rstrip()
    if len(value) > 1 and value.endswith(quote):
        whole = value[1:-1]  # the quotes around the whole value were meant as quotes
    else:
        whole = value
    if quote == "'":
        return j, ("an apostrophe inside text in single quotes ends the quotes early; put the text in double quotes "
                   f"instead: {_quote(whole.replace(chr(39) * 2, chr(39)))} (or write the apostrophe twice: '')")
    return j, ("text after the closing quote; put the whole value in double quotes, writing each quote inside it as "
               f'\\": {_quote(whole.replace(chr(92) + chr(34), chr(34)))}')


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _from_mark(lines, problem, context, err_line, err_col, context_mark):
    """What libyaml's own report means, at its line, when no common mistake was recognised."""
    line = _line(lines, err_line)
    indent = len(line) - len(line.lstrip(" "))
    ch = line[err_col: err_col + 1]
    if "quoted scalar" in context and context_mark is not None:
        q = _line(lines, context_mark.line)[context_mark.column: context_mark.column + 1] or '"'
        return context_mark.line, context_mark.column, f"the quote {q} opened here is never closed; add the closing {q}"
    if "flow sequence" in context or "flow mapping" in context:
        opener = "[" if "sequence" in context else "{"
        closer = "]" if opener == "[" else "}"
        at = context_mark or None
        where = (at.line, at.column) if at else (err_line, err_col)
        return where[0], where[1], (f"the list opened with '{opener}' here is not closed with '{closer}' on its line, "
                                    f"or two of its items have no comma between them; text with a comma, "
                                    f"'{closer}' or '#' needs double quotes")
    if "simple key" in context and context_mark is not None:
        bad = _line(lines, context_mark.line)
        return context_mark.line, context_mark.column, (
            f"'{bad.strip()[:60]}' is neither a field (name: value) nor part of the text above it; "
            "add ': ' after the field name, or indent the line if it continues a text")
    if "alias" in context or problem == "found undefined alias":
        return err_line, err_col, "a value starting with '*' must be in quotes (YAML reads it as an alias)"
    if "anchor" in context:
        return err_line, err_col, "a value starting with '&' must be in quotes (YAML reads it as an anchor)"
    if "tag" in context:
        return err_line, err_col, "a value starting with '!' must be in quotes (YAML reads it as a tag)"
    if problem.startswith("found character that cannot start any token") and ch:
        return err_line, err_col, f"a value cannot start with '{ch}'; put the whole value in double quotes"
    if "tab" in problem:
        return err_line, err_col, "tab character found; indent with spaces, not tabs"
    at_line_start = err_col <= indent + (len(line[indent:]) - len(line[indent:].lstrip("- ")))
    if problem == "mapping values are not allowed in this context":
        first_colon = re.match(rf"^ *(?:- +)*{_KEY}(?=:)", line)
        if first_colon and first_colon.end() == err_col:
            return _block_text(lines, err_line) or _indentation(lines, err_line)
        return err_line, err_col, ("a ': ' inside a value must be in quotes; put the whole value in double quotes")
    if problem.startswith("did not find expected") and at_line_start:
        return _block_text(lines, err_line) or _indentation(lines, err_line)
    return err_line, err_col, (f"YAML cannot read this ({problem}); check the indentation, and put text "
                               "that contains ': ', ' #' or a quote in double quotes")


def _block_text(lines, i):
    """A line meant as part of the text under `|` or `>` but indented less than the text's first line."""
    line = _line(lines, i)
    n = len(line) - len(line.lstrip(" "))
    if _looks_like_field(line):
        return None  # a field out of place, not text
    deepest_first = None
    for j in range(i - 1, max(-1, i - 300), -1):
        text = lines[j]
        if not text.strip():
            continue
        indent = len(text) - len(text.lstrip(" "))
        m = _BLOCK_START.match(text)
        if m:
            k = len(m.group("indent"))
            if deepest_first is not None and n > k:
                key = text.split(":", 1)[0].strip().lstrip("- ") if ":" in text else "the field"
                return i, n, (f"the text under '{key}' (line {j + 1}) starts with {_spaces(deepest_first)} on its first "
                              f"line, so every line of it needs at least as many; this line has {_spaces(n)}")
            return None
        if indent <= n:
            return None
        deepest_first = indent
    return None


def _misplaced_item(lines, j, n):
    """The list item on line j is the line out of place: its '- ' is not where the list's items go,
    and the line after it (indented by n) is where a field of a well-placed item would be."""
    m = re.match(r"^( *)- +", _line(lines, j))
    if not m:
        return None
    dash = len(m.group(1))
    for k in range(j - 1, -1, -1):
        text = lines[k]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indent = len(text) - len(text.lstrip(" "))
        if indent < dash or (indent == dash and not text.lstrip().startswith("- ")):
            parent = _FIELD_LINE.match(text)
            expected = indent + 2
            if parent and dash != expected and dash != indent and n == expected + 2:
                return j, dash, (f"this list item is indented by {_spaces(dash)}, but the items of "
                                 f"'{parent.group('key')}' (line {k + 1}) start with '- ' indented by "
                                 f"{_spaces(expected)}, and the lines that follow it by {_spaces(expected + 2)}")
            return None
        if indent == dash and text.lstrip().startswith("- "):
            return None  # lined up with the item before it
    return None


def _spaces(n: int) -> str:
    return f"{n} space" + ("" if n == 1 else "s")


def _indentation(lines, i):
    """A line indented by a number of spaces that lines up with no field above it."""
    line = _line(lines, i)
    n = len(line) - len(line.lstrip(" "))
    columns = []  # (column, name, line) of the fields this line could belong with, nearest first
    limit = None
    for j in range(i - 1, -1, -1):
        m = _FIELD_LINE.match(lines[j])
        if not m or (m.group("rest")[:1] not in ("", " ")):
            if not lines[j].lstrip(" ").startswith("- "):
                continue
            dash_col = len(lines[j]) - len(lines[j].lstrip(" "))
            if limit is None or dash_col < limit:
                limit = dash_col
            continue
        key_col = len(m.group("indent")) + len(m.group("dash"))
        if limit is None or key_col < limit:
            columns.append((key_col, m.group("key"), j))
            limit = len(m.group("indent"))
        if limit == 0:
            break
    if not columns or all(c[0] > n for c in columns):
        # Everything above is indented further than this line: the lines above are the ones out of place.
        first = next((j for j, text in enumerate(lines[:i]) if text.strip() and not text.lstrip().startswith("#")), None)
        if first is not None and n == 0:
            m = len(lines[first]) - len(lines[first].lstrip(" "))
            return first, m, (f"this line is indented by {_spaces(m)}, but the fields of the file start at the "
                              "beginning of the line; remove the spaces before it")
        return i, n, f"this line is indented by {_spaces(n)}, which lines up with no field above it"
    col, name, j = min(columns, key=lambda c: (abs(c[0] - n), -c[0]))
    item = _misplaced_item(lines, j, n)
    if item:
        return item
    if col == n and line.lstrip(" ").startswith("- "):
        return i, n, (f"a list item ('- ') where a field (name: value) was expected; indent it under the field "
                      f"whose list it belongs to, or check '{name}' on line {j + 1}")
    if col == n:
        return i, n, (f"this line does not fit the lines above it; check its indentation against '{name}' on line "
                      f"{j + 1}, and the line before it")
    fix = (f"start it at the beginning of the line, like '{name}' on line {j + 1}" if col == 0
           else f"indent it by {_spaces(col)}, like '{name}' on line {j + 1}")
    return i, n, (f"this line is indented by {_spaces(n)}, which lines up with no field above it; {fix} "
                  "(fields of the same group start in the same column)")
