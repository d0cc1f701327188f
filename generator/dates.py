"""Partial dates: the one place that reads "2021", "2021-03" and "2021-03-05".

Scheme entries give dates as precisely as their sources do: a year, a month
or a day, always written YYYY, YYYY-MM or YYYY-MM-DD. Everything that turns
such a text into a calendar date, a timestamp or words for a reader is here.
"""
from __future__ import annotations

import calendar
import datetime
import re

# English month names whatever the machine's locale (strftime's %B follows it); the site is en-GB.
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")

_MONTH_WORDS = {name.lower(): i for i, name in enumerate(MONTHS, start=1)}
_MONTH_WORDS.update({name[:3].lower(): i for i, name in enumerate(MONTHS, start=1)})
_MONTH_WORDS["sept"] = 9


def span(text) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day a partial date can mean, or None if it is not a real date."""
    try:
        parts = [int(x) for x in str(text).split("-")]
        if len(parts) == 1:
            return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return datetime.date(parts[0], parts[1], 1), datetime.date(parts[0], parts[1], last)
        if len(parts) == 3:
            day = datetime.date(parts[0], parts[1], parts[2])
            return day, day
    except (ValueError, TypeError, calendar.IllegalMonthError):
        pass
    return None


def _span_or_raise(text: str) -> tuple[datetime.date, datetime.date]:
    found = span(text)
    if found is None:
        raise ValueError(f"not a date: {text!r} (write YYYY, YYYY-MM or YYYY-MM-DD)")
    return found


def first_day(text: str) -> datetime.date:
    """The first day a partial date can mean: '2021-03' is 1 March 2021."""
    return _span_or_raise(text)[0]


def last_day(text: str) -> datetime.date:
    """The last day a partial date can mean: '2021-03' is 31 March 2021."""
    return _span_or_raise(text)[1]


def timestamp(text: str) -> str:
    """Midnight UTC on the first day, as RFC 3339 (for feeds)."""
    return first_day(text).isoformat() + "T00:00:00Z"


def format_date(text: str | None) -> str:
    """A date as a reader says it: '2021', 'March 2021', '5 March 2021'; '' for none."""
    if not text:
        return ""
    parts = str(text).split("-")
    if len(parts) == 1:
        return parts[0]
    number = int(parts[1])
    if not 1 <= number <= 12:
        raise ValueError(f"no month {number} in the date {text!r}")
    month = MONTHS[number - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole months from one day to another (negative if 'later' is earlier)."""
    return (later.year - earlier.year) * 12 + (later.month - earlier.month) - (later.day < earlier.day)


def guess(text) -> str | None:
    """The YYYY-MM-DD form of a date written another common way ("April 2019", "1 April 2019", "01/04/2019")."""
    words = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", str(text).strip().lower().replace(",", " "))
    m = re.fullmatch(r"(?:(\d{1,2})\s+)?([a-z]+)\.?\s+(\d{4})", words)
    if m and m.group(2) in _MONTH_WORDS:
        month = _MONTH_WORDS[m.group(2)]
        found = f"{m.group(3)}-{month:02d}" + (f"-{int(m.group(1)):02d}" if m.group(1) else "")
    else:
        m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", words)  # UK order: day/month/year
        m2 = re.fullmatch(r"(\d{1,2})[/.](\d{4})", words)
        if m:
            found = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
        elif m2:
            found = f"{m2.group(2)}-{int(m2.group(1)):02d}"
        else:
            return None
    return found if span(found) else None


def why_not_real(text) -> str:
    """Why a well-formed date is not real ('; February 2021 has 28 days'), or ''."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(text))
    if m and 1 <= int(m.group(2)) <= 12:
        year, month = int(m.group(1)), int(m.group(2))
        days = calendar.monthrange(year, month)[1]
        return f"; {MONTHS[month - 1]} {year} has {days} days"
    return ""
