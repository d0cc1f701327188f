"""Slips a new contributor makes that the schema cannot see: curly quotes pasted into a title, and a
scheme that starts after the date of the information about it."""
from __future__ import annotations

import json

from . import dates
from .messages import Finding

CURLY = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'", "\u2033": '"'}
_STRAIGHT = {ord(k): v for k, v in CURLY.items()}


def check_slips(data: dict, bad=frozenset()) -> list[Finding]:
    """Findings about values that passed their own checks (paths in `bad` are left alone)."""
    out = []
    title = data.get("title")
    if isinstance(title, str) and ("title",) not in bad and any(c in title for c in CURLY):
        shown = "".join(c for c in dict.fromkeys(title) if c in CURLY)
        out.append(Finding(("title",), f"has curly quotes ({shown}), as a word processor makes; use straight "
                                       f"quotes: {json.dumps(title.translate(_STRAIGHT), ensure_ascii=False)}"))
    start, as_of = data.get("start"), data.get("as_of")
    if isinstance(start, str) and isinstance(as_of, str) and not {("start",), ("as_of",)} & set(bad) \
            and data.get("status") != "planned":
        s, a = dates.span(start), dates.span(as_of)
        if s and a and s[0] > a[1]:
            out.append(Finding(("start",), f"starts ({start}) after the date of the information (as_of: {as_of}); "
                                           "check both dates against the source: as_of is the source's date, and a "
                                           "scheme the source says will start later has status: planned"))
    return out
