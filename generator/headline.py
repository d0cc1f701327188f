"""The headline panel of a scheme: the rows a reader checks first, each marked when not reported.

Status and its date, area and office, who delivers it, money with its basis,
the evidence step and the headline result, in HEADLINE_ROWS order: the top of
a scheme page and the first rows of the compare page. Made from a view's
finished fields by views.scheme_view.
"""
from __future__ import annotations

from typing import TypedDict


NOT_REPORTED = "Not reported in the sources"  # what a headline row says when the sources give nothing


class HeadlineRow(TypedDict):
    key: str             # "status", "area", "delivers", "money", "evidence", "reported", "result" (HEADLINE_ROWS order)
    label: str           # the row's heading: "Status", "Force area and office", ...
    reported: bool       # False when the sources give nothing; the row then reads NOT_REPORTED
    lines: list[str]     # the value as plain text, one line each; [NOT_REPORTED] when not reported
    note: str            # a quieter line under the value, or ""


# The headline panel's rows, in order: the top of a scheme page and the first rows of the compare page.
HEADLINE_ROWS = [
    ("status", "Status"),
    ("area", "Force area and office"),
    ("delivers", "Who delivers it"),
    ("money", "Money"),
    ("evidence", "Evidence"),
    ("reported", "What the sources report"),
    ("result", "Headline result"),
]
HEADLINE_MONEY_LINES = 3  # funding records listed in the panel; the rest are counted ("and 2 more amounts")



def headline_rows(v: dict) -> list[HeadlineRow]:
    """The headline panel: status and its date, area and office, who delivers it, money with its
    basis, the evidence step and the headline result, in HEADLINE_ROWS order; a row the sources
    say nothing about is marked not reported."""
    top = v["evidence_scale"][-1]["rank"] if v["evidence_scale"] else 0
    money = [f["amount_basis_text"] + (f" {f['from_text']}" if f["from_text"] else "")
             + (f", {f['period_text']}" if f["period_text"] and f["basis"] != "single-year" else "")
             + (f" ({f['scope_text']})" if f["scope_text"] else "") for f in v["funding"]]
    if len(money) > HEADLINE_MONEY_LINES:
        more = len(money) - HEADLINE_MONEY_LINES
        money = money[:HEADLINE_MONEY_LINES] + [f"and {more} more amount{'s' if more != 1 else ''} (see Money)"]
    total = v["funding_total_text"]
    if total == "not published":
        money_note = "Not added to totals: the sources do not say how much was for this scheme."
    elif total == "counted in the fund's entry":
        money_note = "Counted in the fund's entry, not added again here."
    else:
        money_note = f"Counted once in totals: {total}" if total else ""
    r = v["headline_result"]
    result_note = ""
    if r is not None:
        if r["reoffending_text"]:
            rt = r["reoffending_text"]
            result_note = (f"{rt['measure']}; follow-up {rt['follow_up']}; compared with: {rt['comparison'][:1].lower()}"
                           f"{rt['comparison'][1:]}")
        else:
            result_note = r["evidence_name"] + (f", {r['period_text']}" if r["period_text"] else "")
        more = len(v["results"]) - 1
        if more:
            result_note += f" ({more} more result{'s' if more != 1 else ''} below)"
    values = {
        "status": ([v["status_text"]] + ([v["time_note"]] if v["time_note"] else []),
                   v["information_text"][:1].upper() + v["information_text"][1:] + "."
                   + (f" Dates: {v['dates_text']}" if v["dates_text"] else "")),
        "area": ([f"{f['name']}: {f['office']}" for f in v["forces"]], ""),
        "delivers": ([o["name"] for o in v["providers"]], ""),
        "money": (money, money_note),
        "evidence": ([v["evidence_step"]["name"]], f"Step {v['evidence_step']['rank']} of {top} on the evidence ladder"),
        "reported": ([v["reported"]["name"]] + ([v["reported"]["detail"]] if v["reported"]["detail"] else []), ""),
        "result": ([f"{r['measure']}: {r['figure']}" + (f" ({r['cohort_text']})" if r["cohort_text"] else "")]
                   + ([f"Caveat: {v['headline_caveat']}"] if v["headline_caveat"] else [])
                   if r is not None else [], result_note),
    }
    rows: list[HeadlineRow] = []
    for key, label in HEADLINE_ROWS:
        lines, note = values[key]
        rows.append({"key": key, "label": label, "reported": bool(lines), "lines": lines or [NOT_REPORTED],
                     "note": note if lines else ""})
    return rows
