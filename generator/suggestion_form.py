"""Read a "Suggest a scheme" issue body: the answers by field, and the values in them, or what is wrong in plain words.

GitHub writes an issue form's answers as Markdown: `### <label>`, a blank
line, the answer (`_No response_` for an empty one). The labels come from the
form itself (.github/ISSUE_TEMPLATE/suggest-a-scheme.yml), so the form is the
one place they are written. Nothing here runs or renders what it reads: every
answer is text, checked for what has no place in an entry (markup, template
text, command characters, control characters) and quoted back inertly
(`quote`) when a problem names it.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pathlib

import yaml

# The repository's own form, wherever a test points the vocabularies' ROOT.
FORM = pathlib.Path(__file__).resolve().parent.parent / ".github" / "ISSUE_TEMPLATE" / "suggest-a-scheme.yml"
NO_RESPONSE = "_No response_"
BODY_LIMIT = 65536  # GitHub's own limit on an issue body, in characters

MARKUP = re.compile(r"<\s*[/!?]?\s*[A-Za-z][^\s>]{0,20}")
TEMPLATE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
COMMAND = re.compile(r"`|\$\(|\$\{")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
DATE = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"


@dataclass(frozen=True)
class Issue:
    """One problem with a suggestion: the form field it is about (its label), the line of the answer, what to do."""

    label: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.label}, line {self.line}" if self.line else self.label
        return f"{where}: {self.message}"


def form_fields(form_path=FORM) -> dict[str, dict]:
    """The form's questions by id: {id: {"label", "type", "required", "options"}} (markdown blocks left out)."""
    form = yaml.safe_load(form_path.read_text(encoding="utf-8"))
    out = {}
    for item in form["body"]:
        if "id" not in item:
            continue
        attrs = item.get("attributes", {})
        out[item["id"]] = {"label": attrs["label"], "type": item["type"],
                           "required": bool(item.get("validations", {}).get("required")),
                           "options": attrs.get("options", [])}
    return out


def quote(text: str, limit: int = 60) -> str:
    """A value quoted back in a comment as inert code: one line, shortened, no backticks."""
    flat = " ".join(str(text).split()).replace("`", "'")
    if len(flat) > limit:
        flat = flat[:limit - 1] + "…"
    return f"`{flat}`" if flat else "(empty)"


def inert(message: str) -> str:
    """A message as Markdown that shows as written: outside its code spans, no markup, links or mentions."""
    parts = message.split("`")
    for i in range(0, len(parts), 2):  # even parts are outside code spans
        parts[i] = (html.escape(parts[i], quote=False).replace("[", "\\[").replace("]", "\\]")
                    .replace("@", "@\u200b"))
    return "`".join(parts)


def read_answers(body: str, fields: dict[str, dict]) -> tuple[dict[str, str], list[Issue]]:
    """The answer to each question by id ('' when empty), and any problem with the body's shape."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    issues: list[Issue] = []
    if len(body) > BODY_LIMIT:
        return {}, [Issue("The suggestion", f"is {len(body)} characters long, more than an issue can hold; shorten it")]
    by_label = {f["label"]: key for key, f in fields.items()}
    answers: dict[str, list[str]] = {}
    current = None
    for line in body.split("\n"):
        heading = line[4:].strip() if line.startswith("### ") else None
        if heading is not None and heading in by_label:
            current = by_label[heading]
            if current in answers:
                issues.append(Issue(heading, "is answered twice (a line '### " + heading + "' inside another answer "
                                    "starts it again); keep one answer and remove the other heading"))
            answers[current] = []
        elif current is not None:
            answers[current].append(line)
    out = {}
    for key in fields:
        text = "\n".join(answers.get(key, [])).strip("\n")
        text = "\n".join(part.rstrip() for part in text.split("\n")).strip()
        out[key] = "" if text == NO_RESPONSE else text
    if not answers:
        issues.append(Issue("The suggestion", "has none of the form's questions; open a new issue with the "
                            "'Suggest a scheme' form and fill it in"))
    return out, issues


def text_problems(label: str, value: str, line: int | None = None) -> list[Issue]:
    """What has no place in an entry's text: markup, template text, command characters, control characters."""
    found = []
    markup = MARKUP.search(value)
    if markup:
        found.append(Issue(label, f"contains markup ({quote(markup.group(0), 20)}); "
                           "write plain text, without HTML tags", line))
    if TEMPLATE.search(value):
        found.append(Issue(label, "contains template text ({{, }}, {% or %}); write plain text", line))
    if COMMAND.search(value):
        found.append(Issue(label, "contains a backtick, $( or ${; write plain text without them", line))
    if CONTROL.search(value):
        found.append(Issue(label, "contains a control character (an invisible character such as a tab or an "
                           "escape code); retype the text", line))
    return found


def split_list(value: str) -> list[str]:
    """Comma- or line-separated items, trimmed, without empty ones."""
    return [part.strip() for part in re.split(r"[,\n]", value) if part.strip()]


def lines_of(value: str) -> list[tuple[int, list[str]]]:
    """(line number, the |-separated parts) of each non-empty line; '-' and '' parts read as empty."""
    out = []
    for n, line in enumerate(value.split("\n"), start=1):
        line = line.strip()
        if line.startswith(("- ", "* ")):
            line = line[2:].strip()
        if line:
            out.append((n, [("" if p.strip() == "-" else p.strip()) for p in line.split("|")]))
    return out


def check_date(label: str, value: str, line: int | None = None, what: str = "a date") -> tuple[str | None, list[Issue]]:
    """A date as the schema writes it, or the problem (an en dash gets its fix)."""
    if any(d in value for d in DASHES):
        fixed = value.translate({ord(d): "-" for d in DASHES})
        return None, [Issue(label, f"{quote(value)} is written with a dash that is not a hyphen; "
                            f"write {quote(fixed)} with an ordinary hyphen (-)", line)]
    if not DATE.match(value):
        return None, [Issue(label, f"{quote(value)} is not {what} as YYYY-MM-DD, YYYY-MM or YYYY (for example 2021-04)", line)]
    return value, []


_SCALE = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000, "bn": 1_000_000_000,
          "billion": 1_000_000_000}


def parse_amount(text: str) -> float | int | None:
    """An amount in pounds: '£150,000', '£25k', '£1.2m', '£1.2 million', '150000'; None if it is not one."""
    m = re.fullmatch(r"£?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(k|m|bn|thousand|million|billion)?", text.strip().lower())
    if not m or re.search(r",(?![0-9]{3}(?:[,.]|$))", m.group(1)):
        return None
    value = float(m.group(1).replace(",", "")) * _SCALE.get(m.group(2) or "", 1)
    return int(value) if value == int(value) else round(value, 2)


def parse_number(text: str) -> float | int | None:
    """A figure: digits with an optional decimal point, commas between thousands, a trailing % allowed."""
    m = re.fullmatch(r"-?[0-9][0-9,]*(?:\.[0-9]+)?%?", text.strip())
    if not m:
        return None
    value = float(text.strip().rstrip("%").replace(",", ""))
    return int(value) if value == int(value) else value
