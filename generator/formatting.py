"""How values are written out: figures, money, periods and text for readers, compact JSON for files."""
from __future__ import annotations

import json

import orjson

from .dates import format_date

__all__ = ["QUALIFIER_WORDS", "format_number", "format_money", "format_figure", "format_period",
           "format_date", "one_line", "compact_json", "office_title_note"]

QUALIFIER_WORDS = {
    "exact": "",
    "approximately": "about ",
    "at-least": "at least ",
    "more-than": "more than ",
    "up-to": "up to ",
    "less-than": "less than ",
}


def format_number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def format_pounds(value) -> str:
    """Pounds as a reader writes them: whole pounds without pence, otherwise always two places (£487,405.40)."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def format_money(amount, qualifier="exact") -> str:
    return f"{QUALIFIER_WORDS.get(qualifier or 'exact', '')}£{format_pounds(amount)}"


def format_figure(item: dict, units: dict) -> str:
    """A figure as a reader says it: 'up to 2 years', '62%', 'about £3,000'."""
    unit = item["unit"]
    words = QUALIFIER_WORDS.get(item.get("qualifier") or "exact", "")

    def one(value):
        if unit in ("percent", "percent-change"):
            return f"{format_number(value)}%"
        if unit == "gbp":
            return f"£{format_pounds(value)}"
        return format_number(value)

    text = one(item["value"])
    if "value_max" in item:
        text += f" to {one(item['value_max'])}"
    if unit not in ("percent", "percent-change", "gbp", "count", "ratio"):
        entry = units.get(unit, {})
        name = entry.get("singular", unit) if item["value"] == 1 and "value_max" not in item else entry.get("name", unit)
        text += f" {name}"
    return words + text


def format_period(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{format_date(start)} to {format_date(end)}"
    if start:
        return f"from {format_date(start)}"
    if end:
        return f"to {format_date(end)}"
    return ""


def one_line(text) -> str:
    """Any run of whitespace (newlines included) as one space, trimmed."""
    return " ".join(str(text or "").split())


def compact_json(value) -> bytes:
    """JSON without spaces, in UTF-8, as json.dumps(ensure_ascii=False) writes it, several times faster.

    orjson refuses what JSON cannot hold exactly (an integer beyond 64 bits,
    say); the standard library writes those, as it always has.
    """
    try:
        return orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def office_title_note(office: str, title: str) -> str:
    """The office holder's title, to show beside the office's name, or "" when the name already says it.

    "Derbyshire Police and Crime Commissioner" needs no "(Police and Crime Commissioner (PCC))";
    "Mayor of Greater Manchester" is followed by "Mayor holding the PCC's powers".
    """
    said = title.split(" (")[0].lower()
    return "" if said in office.lower() else title
