"""Money as the source states it: each funding record in words, and totals that keep what their parts say.

A qualifier stays with its amount in every total ("more than £600,000" adds up
to "at least £620,000", never "£620,000"). Each pound is counted once: a grant
paid from a fund whose entry records its total is counted in the fund; a share
not published, or money for a wider purpose than reducing reoffending, is shown
but never added. Money paid every year (`per-year`) is kept apart from fixed
sums; a single year's allocation (`single-year`) is a fixed sum for its year.
Force tables (`by_span`, `by_types`) put each counted record in exactly one row,
so each column adds up to the total beside it.
"""
from __future__ import annotations

from collections import defaultdict

from .formatting import format_money, format_period, format_pounds
from .vocabularies import Vocabularies

LOWER = {"at-least", "more-than"}   # the amount is a floor: a total built on it is "at least"
UPPER = {"up-to", "less-than"}      # the amount is a ceiling: "up to"
YEARLY = "per-year"                 # the one basis kept apart from fixed sums
# What placed a scheme in its funding band, as the finder and the CSV say it.
BAND_KINDS = {"counted": "counted", "per-year": "a year", "shown-not-added": "shown but not added"}


def total_words(qualifiers) -> str:
    """The words before a total of amounts with these qualifiers: "", "at least ", "up to ", "about ",
    or "about " for a mix of floors and ceilings (a total that is neither)."""
    quals = {q or "exact" for q in qualifiers}
    lower, upper, approx = bool(quals & LOWER), bool(quals & UPPER), "approximately" in quals
    if lower and upper:
        return "about "
    if lower:
        return "at least "
    if upper:
        return "up to "
    if approx:
        return "about "
    return ""


def total_text(amount: float, qualifiers, suffix: str = "") -> str:
    """A total in words with the qualifier its parts carry: "at least £620,000", "£25,000 a year"."""
    return f"{total_words(qualifiers)}£{format_pounds(round(amount, 2))}{suffix}"


def funding_item(f: dict, vocab: Vocabularies, funds_with_totals: set, titles: dict, when: str | None = None) -> dict:
    """A funding record with its basis and scope in words and whether totals count it (each pound once)."""
    basis = f["basis"]
    money = format_money(f["amount"], f.get("qualifier"))
    words = vocab["funding_bases"][basis].get("words", "")
    share = f.get("share", "whole")
    fund = f.get("part_of")
    if fund and fund in funds_with_totals:
        not_counted = "Paid from a fund whose entry records its total, which includes this grant; not added again here."
    elif share == "wider-purpose":
        not_counted = ("For a purpose wider than reducing reoffending; shown with that scope, not added to totals "
                       "of reoffending money.")
    elif share != "whole":
        not_counted = ("The sources do not say how much of this was for this scheme or paid by the commissioner; "
                       "shown but not added to totals.")
    else:
        not_counted = ""
    period = format_period(f.get("period_start"), f.get("period_end"))
    if basis == "single-year" and period:
        words = f"for one year ({period})"
    amount_text = f"{money} {words}".strip()
    return {
        **f,
        "amount_text": amount_text,
        "amount_basis_text": amount_text if words else f"{amount_text} ({vocab.label('funding_bases', basis).lower()})",
        "basis_name": vocab.label("funding_bases", basis),
        "scope_text": "wider purpose: not only reducing reoffending" if share == "wider-purpose" else "",
        "funder_slug": f.get("funder"),
        "funder_name": vocab.label_at("organisations", f["funder"], when) if f.get("funder") else "",
        "co_funder_names": [vocab.label_at("organisations", o, when) for o in f.get("co_funders", [])],
        "recipient_name": vocab.label_at("organisations", f["recipient"], when) if f.get("recipient") else "",
        "from_text": f"from {vocab.in_text_at('organisations', f['funder'], when)}" if f.get("funder") else "",
        "co_funders_text": ("with " + ", ".join(vocab.in_text_at("organisations", o, when) for o in f["co_funders"])
                            if f.get("co_funders") else ""),
        "to_text": f"to {vocab.in_text_at('organisations', f['recipient'], when)}" if f.get("recipient") else "",
        "period_text": period,
        "counted": not not_counted,
        "part_of_title": titles.get(fund, "") if fund else "",
        "not_counted_text": not_counted,
    }


def grant_item(g: dict, vocab: Vocabularies, titles: dict) -> dict:
    """A grant a fund's entry lists: shown on the fund's page, never added to any total."""
    basis = g.get("basis")
    words = vocab["funding_bases"][basis].get("words", "") if basis else ""
    amount = f"{format_money(g['amount'], g.get('qualifier'))} {words}".strip() if "amount" in g else "Amount not stated"
    return {**g, "amount_text": amount,
            "recipient_name": vocab.label("organisations", g["recipient"]),
            "period_text": format_period(g.get("period_start"), g.get("period_end")),
            "scheme_title": titles.get(g.get("scheme", ""), "")}


def sums(items: list[dict]) -> dict:
    """Counted fixed sums and counted yearly amounts of funding items, each with its qualifier words."""
    fixed = [f for f in items if f["counted"] and f["basis"] != YEARLY]
    yearly = [f for f in items if f["counted"] and f["basis"] == YEARLY]
    total, per_year = sum(f["amount"] for f in fixed), sum(f["amount"] for f in yearly)
    return {
        "total": total, "per_year": per_year,
        "total_text": total_text(total, [f.get("qualifier") for f in fixed]) if fixed else "",
        "per_year_text": total_text(per_year, [f.get("qualifier") for f in yearly], " a year") if yearly else "",
    }


def funding_total_text(s: dict, funding: list) -> str:
    """The money a scheme's entry adds to totals, in words; 'not published' when its sums are all uncounted."""
    parts = [t for t in (s["total_text"], s["per_year_text"]) if t]
    if parts:
        return " and ".join(parts)
    if any(not f["counted"] and not f.get("part_of") for f in funding):
        return "not published"
    if funding:
        return "counted in the fund's entry"
    return ""


def funding_band_text(view: dict) -> str:
    """The amount behind the finder's band, with its kind: "at least £600,000 counted", "about £25,000 a year",
    "£390,000 shown but not added"; "" when the page shows no amount."""
    kind = view["funding_band_kind"]
    if kind == "counted":
        return f"{view['funding_total_text']} counted"
    if kind == "per-year":
        return view["funding_per_year_words"]
    if kind == "shown-not-added":
        shown = [f for f in view["funding"]] + [g for g in view.get("grants", []) if "amount" in g]
        top = max(shown, key=lambda f: f["amount"])
        return f"{format_money(top['amount'], top.get('qualifier'))} shown but not added"
    return ""


def funding_band(view: dict, vocab: Vocabularies) -> tuple[str, str, float]:
    """The finder's funding band (vocabularies/funding_bands.yaml), what kind of amount placed it there
    ("counted", "per-year", "shown-not-added") and that amount: counted sums first (a yearly amount for
    one year), else the largest amount the page shows but does not add; ("not-stated", "", 0) when none."""
    counted = view["funding_total"] + view["funding_per_year"]
    if counted:
        kind, amount = ("per-year" if not view["funding_total"] else "counted"), counted
    else:
        shown = [f["amount"] for f in view["funding"]] + [g["amount"] for g in view.get("grants", []) if "amount" in g]
        if not shown:
            return "not-stated", "", 0
        kind, amount = "shown-not-added", max(shown)
    for slug, band in vocab["funding_bands"].items():
        if "min" in band and band["min"] <= amount and ("max" not in band or amount < band["max"]):
            return slug, kind, amount
    return "not-stated", "", 0


def _rows(groups: dict) -> list[dict]:
    out = []
    for key, items in groups.items():
        s = sums(items)
        out.append({**dict(key), "total": s["total"], "per_year": s["per_year"],
                    "text": s["total_text"] or "none", "per_year_text": s["per_year_text"] or "none"})
    return out


def _counted(views: list[dict]):
    for v in views:
        for f in v["funding"]:
            if f["counted"]:
                yield v, f


def by_span(views: list[dict]) -> list[dict]:
    """Counted money by the period it covers: a sum for several years is one row for its whole span,
    never booked to its first year; each record is in one row, so the columns add up to the totals."""
    groups: dict = defaultdict(list)
    for _, f in _counted(views):
        start, end = f.get("period_start"), f.get("period_end")
        if start and end and start[:4] == end[:4]:
            label, order = start[:4], start[:4]
        elif start or end:
            label, order = format_period(start, end), (start or end)[:7]
        else:
            label, order = "Period not stated", "~"
        groups[(("year", label), ("order", order))].append(f)
    rows = _rows(groups)
    return sorted(rows, key=lambda r: (r["order"], r["year"]))


def by_types(views: list[dict], vocab: Vocabularies) -> list[dict]:
    """Counted money by intervention type: a scheme with one type is counted under it, a scheme with
    several is counted once, in a row naming all of its types; the columns add up to the totals."""
    groups: dict = defaultdict(list)
    for v, f in _counted(views):
        types = v["intervention_types"]
        name = " + ".join(t["name"] for t in types)
        slug = types[0]["slug"] if len(types) == 1 else ""
        groups[(("name", name), ("slug", slug), ("several", len(types) > 1))].append(f)
    rows = _rows(groups)
    return sorted(rows, key=lambda r: (r["several"], r["name"].casefold()))


def not_counted(views: list[dict]) -> list[dict]:
    """Sums shown on the schemes' pages but added to no total (shares not published, wider purposes,
    grants counted by their fund)."""
    return [{"view": v, "funding": f} for v in views for f in v["funding"] if not f["counted"]]
