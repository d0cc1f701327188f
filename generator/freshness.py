"""How old a scheme's information is: "information from YEAR" everywhere, and a status not confirmed since then.

The information date is the newest date among the documents an entry cites
(vocabularies/sources.yaml), or its `as_of` when that is later. A status whose
information is older than the configured age (mkdocs.yml, extra:
information_max_age_years; three years by default) reads "not confirmed since
YEAR", and the entry is listed on /about/needs-review/ among the entries to
confirm, oldest information first. `last_reviewed` (checked against the
sources) does not make old information new.
"""
from __future__ import annotations

import datetime

from . import dates


def information_date(data: dict, vocab) -> str:
    """The newest date of the entry's information: its newest cited document, or as_of if later.
    In a preview, as_of may still be the placeholder TODO and the sources undated: with no date
    at all, the as_of text itself (shown as it is, and never counted as old)."""
    docs = [vocab["sources"][s["document"]]["date"] for s in data["sources"] if s["document"] in vocab["sources"]]
    dated = [d for d in docs + [data["as_of"]] if dates.span(d) is not None]
    if not dated:
        return str(data["as_of"])
    return max(dated, key=lambda d: (dates.first_day(d), len(d)))


def freshness(data: dict, vocab, build_date: datetime.date, max_age_years: int) -> dict:
    """information_date, its year, "information from YEAR", the age in whole years, and whether the
    status is not confirmed (the information is older than max_age_years)."""
    when = information_date(data, vocab)
    year = when[:4]
    found = dates.span(when)
    age = dates.months_between(found[1], build_date) // 12 if found else 0
    stale = age >= max_age_years
    return {
        "information_date": when,
        "information_year": year,
        "information_text": f"information from {year}",
        "information_age_years": age,
        "unconfirmed": stale,
        "unconfirmed_text": f"not confirmed since {year}" if stale else "",
    }
