"""Downloads: the register as CSV and JSON, its funding records as grants, and the schema.

All are built from the same finished views as the pages, so a scheme that
reaches its page reaches every download. Column definitions live here once and
feed both the files and the data notes page (/about/data/), so they cannot drift.
"""
from __future__ import annotations

import csv
import io
import json

from .formatting import compact_json
from .schema import SCHEMA_VERSION

LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}

# Cells starting with these could be run as formulas by a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _pounds(amount: float) -> int | float:
    """A sum of pounds as a spreadsheet writes it back: 1791384, not 1791384.0 (pence added up to whole pounds)."""
    amount = round(amount, 2)
    return int(amount) if float(amount).is_integer() else amount


def _joined(values) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def funding_text(f: dict) -> str:
    """A funding record on one line: the amount with its basis, who paid whom, when, what for, and whether totals count it."""
    parts = [f["amount_text"]]
    if f.get("from_text"):
        parts.append(f["from_text"] + (f" {f['co_funders_text']}" if f["co_funders_text"] else ""))
    if f.get("to_text"):
        parts.append(f["to_text"])
    if f.get("period_text"):
        parts.append(f["period_text"])
    text = " ".join(parts) + f": {f['purpose']}"
    if f.get("part_of"):
        text += f" (paid from {f['part_of_title']})"
    if not f["counted"]:
        text += f" [not added to totals: {f['not_counted_text']}]"
    return text


def outcome_text(o: dict) -> str:
    """A figure on one line, with its kind, cohort, period, evidence, reoffending measure and caveat."""
    text = f"{o['kind_name']}: {o['measure']}: {o['figure']}"
    if o.get("cohort_text"):
        text += f" ({o['cohort_text']})"
    if o.get("period_text"):
        text += f", {o['period_text']}"
    text += f" [{o['evidence_name']}]"
    r = o.get("reoffending_text")
    if r:
        text += (f" Reoffending: {r['measure']}; follow-up {r['follow_up']}; compared with: {r['comparison']};"
                 f" measured by {r['measured_by']}.")
    if o.get("caveat"):
        text += f" Caveat: {o['caveat']}"
    return text


# (column, description, how to get the value from a prepared scheme)
CSV_COLUMNS = [
    ("slug", "Permanent identifier; the page is /schemes/<slug>/.", lambda v, c: v["slug"]),
    ("title", "Name of the scheme.", lambda v, c: v["title"]),
    ("summary", "One or two sentences on what it does and for whom.", lambda v, c: v["summary"]),
    ("description", "Longer account; paragraphs separated by a blank line.", lambda v, c: v["data"]["description"].strip()),
    ("forces", "Force area slugs, lead area first.", lambda v, c: _joined(f["slug"] for f in v["forces"])),
    ("force_names", "Force area names.", lambda v, c: _joined(f["name"] for f in v["forces"])),
    ("offices", "The commissioner's office for each force area.", lambda v, c: _joined(f["office"] for f in v["forces"])),
    ("regions", "Regions of the force areas.", lambda v, c: _joined(f["region_name"] for f in v["forces"])),
    ("places", "Towns, districts or prisons named by the source.", lambda v, c: _joined(v["places"])),
    ("organisations", "Organisations involved, each as 'Name (role)'.", lambda v, c: _joined(f"{o['name']} ({o['role_name']})" for o in v["organisations"])),
    ("organisation_slugs", "Organisation identifiers with roles, each as 'slug:role'.", lambda v, c: _joined(f"{o['slug']}:{o['role']}" for o in v["organisations"])),
    ("target_groups", "Who the scheme is for.", lambda v, c: _joined(t["name"] for t in v["target_groups"])),
    ("intervention_types", "What the scheme does.", lambda v, c: _joined(t["name"] for t in v["intervention_types"])),
    ("stages", "Stages of the justice pathway.", lambda v, c: _joined(t["name"] for t in v["stages"])),
    ("status", "Status as of the date of the information (as_of).", lambda v, c: v["status_name"]),
    ("end_passed", "yes when a recorded end date has passed and no later source confirms the status.", lambda v, c: "yes" if v["end_passed"] else ""),
    ("start", "Start date (YYYY, YYYY-MM or YYYY-MM-DD).", lambda v, c: v["data"].get("start", "")),
    ("end", "End date, if any.", lambda v, c: v["data"].get("end", "")),
    ("eligibility", "Who can take part.", lambda v, c: v["eligibility"]),
    ("age_min", "Youngest age served.", lambda v, c: v["data"].get("age_min", "")),
    ("age_max", "Oldest age served.", lambda v, c: v["data"].get("age_max", "")),
    ("funding", "Each funding record as stated: amount with its basis (a year, in total, contract value), funder, recipient, period, purpose, and why it is not added to totals where it is not.", lambda v, c: _joined(funding_text(f) for f in v["funding"])),
    ("funding_total_gbp", "Counted one-off, period and contract sums, in pounds: each pound once (a grant from a fund whose entry records its total, or a share not published, is not added).", lambda v, c: _pounds(v["funding_total"]) if v["funding"] else ""),
    ("funding_per_year_gbp", "Counted yearly amounts, in pounds a year (never added to funding_total_gbp).", lambda v, c: _pounds(v["funding_per_year"]) if v["funding"] else ""),
    ("funding_total_text", "The counted money in words, with the qualifier its parts carry: a total that includes a 'more than' amount reads 'at least'.", lambda v, c: v["funding_total_text"]),
    ("funding_band", "The finder's funding band and what placed the scheme there: counted money, a yearly amount, or an amount the page shows but does not add.", lambda v, c: c["bands"].get(v["funding_band"], {}).get("name", v["funding_band"]) + (f" ({v['funding_band_text']})" if v["funding_band_text"] else "")),
    ("results", "Results (changes for the people served), each with cohort, period, evidence kind, reoffending measure and caveat.", lambda v, c: _joined(outcome_text(o) for o in v["results"])),
    ("activity", "Activity figures (people referred or supported, sessions).", lambda v, c: _joined(outcome_text(o) for o in v["activity"])),
    ("plans", "What the scheme was set up to provide (planned places, length of a pilot).", lambda v, c: _joined(outcome_text(o) for o in v["plans"])),
    ("context", "Background figures (national or local), not about the scheme's own effect.", lambda v, c: _joined(outcome_text(o) for o in v["context"])),
    ("estimates", "Savings or costs avoided as the scheme or commissioner estimated them; not measured, not money paid.", lambda v, c: _joined(outcome_text(o) for o in v["estimates"])),
    ("evidence_step", "Highest step on the evidence ladder that the results support.", lambda v, c: v["evidence_step"]["name"]),
    ("results_reported", "What the sources report about what the scheme achieved: a reoffending figure, another outcome for participants, activity counts only, or nothing reported.", lambda v, c: v["reported"]["name"]),
    ("results_reported_detail", "For a reoffending figure: its measure, cohort, follow-up and comparison; otherwise how many figures of the kind.", lambda v, c: v["reported"]["detail"]),
    ("headline_result", "The figure the scheme's page leads with (the first reoffending result, else the first result), with the first sentence of its caveat.", lambda v, c: (f"{v['headline_result']['measure']}: {v['headline_result']['figure']}" + (f" (caveat: {v['headline_caveat']})" if v["headline_caveat"] else "")) if v["headline_result"] else ""),
    ("contact_office", "Contact office as published.", lambda v, c: v["contact"].get("office", "")),
    ("contact_name", "Named contact as published.", lambda v, c: v["contact"].get("name", "")),
    ("contact_role", "Contact role as published.", lambda v, c: v["contact"].get("role", "")),
    ("contact_email", "Contact email as published.", lambda v, c: v["contact"].get("email", "")),
    ("contact_phone", "Contact phone as published.", lambda v, c: v["contact"].get("phone", "")),
    ("contact_url", "Contact web page as published.", lambda v, c: v["contact"].get("url", "")),
    ("sources", "Source documents and sections, each as 'document-id, section'.", lambda v, c: _joined(f"{s['document']}, {s['section']}" if s.get("section") else s["document"] for s in v["sources"])),
    ("source_urls", "The web address of each source document, in the order of sources; 'no web address' where it has none (the reason is on /about/sources/).", lambda v, c: _joined(s["url"] or "no web address" for s in v["sources"])),
    ("as_of", "Date of the information.", lambda v, c: v["as_of"]),
    ("added", "Date the entry was added.", lambda v, c: v["added"]),
    ("last_reviewed", "Date the entry was last checked against its sources (not confirmed with the office unless confirmed_with_office is given).", lambda v, c: v["last_reviewed"]),
    ("confirmed_with_office", "Date the commissioner's office confirmed the entry, if it did.", lambda v, c: v["data"].get("confirmed_with_office", "")),
    ("aliases", "Former slugs; their URLs redirect to this page.", lambda v, c: _joined(v["aliases"])),
    ("url", "Address of the scheme's page.", lambda v, c: v["url"]),
    ("citation", "Suggested citation.", lambda v, c: v["citation"]),
]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text  # shown as text, never run as a formula
    return text


def schemes_csv(views: list[dict], units: dict, bands: dict | None = None) -> bytes:
    from .money import BAND_KINDS

    ctx = {"units": units, "bands": bands or {}, "band_kinds": BAND_KINDS}
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([name for name, _, _ in CSV_COLUMNS])
    for view in views:
        writer.writerow([_cell(get(view, ctx)) for _, _, get in CSV_COLUMNS])
    # A byte-order mark tells Excel the file is UTF-8.
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def scheme_record(view: dict) -> dict:
    """Every field of the entry as written, plus labels and derived values."""
    record = dict(view["data"])
    record["url"] = view["url"]
    record["citation"] = view["citation"]
    record["derived"] = {
        "force_names": [f["name"] for f in view["forces"]],
        "results_reported": view["reported"]["slug"],
        "results_reported_detail": view["reported"]["detail"],
        "headline_caveat": view["headline_caveat"],
        "source_documents": [{k: s[k] for k in ("document", "title", "publisher", "date", "kind", "url",
                                                "no_url_reason", "accessed") if s.get(k)} for s in view["sources"]],
        "offices": [f["office"] for f in view["forces"]],
        "regions": sorted({f["region"] for f in view["forces"]}),
        "organisation_names": {o["slug"]: o["name"] for o in view["organisations"]},
        "target_group_names": [t["name"] for t in view["target_groups"]],
        "intervention_type_names": [t["name"] for t in view["intervention_types"]],
        "stage_names": [t["name"] for t in view["stages"]],
        "status_name": view["status_name"],
        "evidence_step": view["evidence_step"]["slug"],
        "evidence_step_name": view["evidence_step"]["name"],
        "funding_total_gbp": view["funding_total"],
        "funding_per_year_gbp": view["funding_per_year"],
        "funding_counted": [f["counted"] for f in view["funding"]],
        "end_passed": view["end_passed"],
    }
    return record


def schemes_json(views: list[dict], build_date: str) -> bytes:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "build_date": build_date,
        "licence": LICENCE,
        "count": len(views),
        "schemes": [scheme_record(v) for v in views],
    }
    return compact_json(doc) + b"\n"


GRANT_ID_PREFIX = "rrs"

GRANT_COLUMN_NOTES = [
    ("Identifier", "rrs-<scheme slug>-<n>: the n-th funding record of the scheme; stable while the record stays in place."),
    ("Title", "Scheme title and what the money was for."),
    ("Description", "What the money was for, as stated."),
    ("Currency", "Always GBP."),
    ("Amount Awarded", "The amount as stated in the source (see the scheme page for any qualifier such as 'up to')."),
    ("Award Date", "Start of the funding period; where none is stated, the date of the information."),
    ("Planned Dates:Start Date", "Start of the funding period, if stated."),
    ("Planned Dates:End Date", "End of the funding period, if stated."),
    ("Recipient Org:Identifier", "rrs-org-<slug>: the register's identifier for the recipient, if stated (not a charity or company number)."),
    ("Recipient Org:Name", "Recipient as named in the source, if stated."),
    ("Funding Org:Identifier", "rrs-org-<slug>: the register's identifier for the funder, if stated."),
    ("Funding Org:Name", "Funder as named in the source, if stated."),
    ("Beneficiary Location:Name", "Force areas the scheme covers."),
    ("Scheme", "Slug of the scheme the funding belongs to."),
    ("URL", "Address of the scheme's page."),
    ("Basis", "What kind of sum the amount is: one-off, per-year (paid every year; one year's money), period-total, contract-value or single-year (one named year's allocation)."),
    ("Counted in totals", "yes when the register's totals add this amount; no for a grant counted in its fund's entry (Part of), a grant a fund's entry lists, a sum whose share is not published or money for a purpose wider than reducing reoffending."),
    ("Part of", "Slug of the fund's entry this grant was paid from, if any."),
    ("Co-funders", "Other organisations that paid into the same amount."),
    ("Amount Text", "The amount as the source states it, with its qualifier ('more than £600,000') and basis."),
    ("Amount Qualifier", "exact, approximately, at-least, more-than, up-to or less-than, as the source states it."),
]
GRANT_COLUMNS = [name for name, _ in GRANT_COLUMN_NOTES]


def grants(views: list[dict]) -> list[dict]:
    """Funding records in a 360Giving-style shape: one grant per funding record."""
    out = []
    for v in views:
        for i, f in enumerate(v["funding"]):
            record = {
                "identifier": f"{GRANT_ID_PREFIX}-{v['slug']}-{i + 1}",
                "title": f"{v['title']}: {f['purpose']}"[:300],
                "description": f["purpose"],
                "currency": "GBP",
                "amountAwarded": f["amount"],
                "awardDate": f.get("period_start") or v["as_of"],
                "url": v["url"],
                "scheme": v["slug"],
                "beneficiaryLocation": [{"name": x["name"]} for x in v["forces"]],
                "basis": f["basis"],
                "amountText": f["amount_text"],
                "amountQualifier": f.get("qualifier", "exact"),
                "countedInTotals": f["counted"],
            }
            if not f["counted"]:
                record["notCountedReason"] = f["not_counted_text"]
            if f.get("part_of"):
                record["partOf"] = f["part_of"]
            if f.get("co_funders"):
                record["coFunders"] = [{"id": f"{GRANT_ID_PREFIX}-org-{o}", "name": n} for o, n in zip(f["co_funders"], f["co_funder_names"], strict=True)]
            if f.get("period_start") or f.get("period_end"):
                record["plannedDates"] = [{k: f[src] for k, src in (("startDate", "period_start"), ("endDate", "period_end")) if f.get(src)}]
            if f.get("recipient"):
                record["recipientOrganization"] = [{"id": f"{GRANT_ID_PREFIX}-org-{f['recipient']}", "name": f["recipient_name"]}]
            if f.get("funder"):
                record["fundingOrganization"] = [{"id": f"{GRANT_ID_PREFIX}-org-{f['funder']}", "name": f["funder_name"]}]
            out.append(record)
        for i, g in enumerate(v.get("grants", [])):
            record = {
                "identifier": f"{GRANT_ID_PREFIX}-{v['slug']}-grant-{i + 1}",
                "title": f"{v['title']}: {g['purpose']}"[:300],
                "description": g["purpose"],
                "currency": "GBP",
                "amountAwarded": g.get("amount", ""),
                "awardDate": g.get("decided") or g.get("period_start") or v["as_of"],
                "url": v["url"],
                "scheme": v["slug"],
                "beneficiaryLocation": [{"name": x["name"]} for x in v["forces"]],
                "basis": g.get("basis", ""),
                "amountText": g["amount_text"],
                "amountQualifier": g.get("qualifier", "exact"),
                "countedInTotals": False,
                "notCountedReason": "A grant listed by the fund's entry; the fund's own money counts it.",
                "partOf": v["slug"],
                "recipientOrganization": [{"id": f"{GRANT_ID_PREFIX}-org-{g['recipient']}", "name": g["recipient_name"]}],
            }
            if g.get("period_start") or g.get("period_end"):
                record["plannedDates"] = [{k: g[src] for k, src in (("startDate", "period_start"), ("endDate", "period_end")) if g.get(src)}]
            out.append(record)
    return out


def grants_json(records: list[dict]) -> bytes:
    doc = {"grants": records, "licence": LICENCE["url"]}
    return compact_json(doc) + b"\n"


def grants_csv(records: list[dict]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(GRANT_COLUMNS)
    for g in records:
        dates = (g.get("plannedDates") or [{}])[0]
        rec = (g.get("recipientOrganization") or [{}])[0]
        fund = (g.get("fundingOrganization") or [{}])[0]
        writer.writerow([_cell(x) for x in (
            g["identifier"], g["title"], g["description"], g["currency"], g["amountAwarded"], g["awardDate"],
            dates.get("startDate", ""), dates.get("endDate", ""), rec.get("id", ""), rec.get("name", ""),
            fund.get("id", ""), fund.get("name", ""), "; ".join(b["name"] for b in g["beneficiaryLocation"]),
            g["scheme"], g["url"], g["basis"], "yes" if g["countedInTotals"] else "no", g.get("partOf", ""),
            "; ".join(c["name"] for c in g.get("coFunders", [])), g["amountText"], g.get("amountQualifier", "exact"))])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def schema_json(schema: dict) -> bytes:
    return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
