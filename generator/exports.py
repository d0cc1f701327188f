"""Data files published with the site: JSON and CSV downloads, the schema, the feed.

All are built from the same prepared schemes as the pages, so a scheme that
reaches its page reaches every download. Column definitions live here once and
feed both the CSV and the data notes page, so the notes cannot drift.
"""
from __future__ import annotations

import csv
import functools
import datetime
import io
import json
import os

import orjson

from .prepare import format_date, format_figure, format_money
from .schema import SCHEMA_VERSION

LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}

# Cells starting with these could be run as formulas by a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def compact_json(value) -> bytes:
    """JSON without spaces, in UTF-8, as json.dumps(ensure_ascii=False) writes it, several times faster.

    orjson refuses what JSON cannot hold exactly (an integer beyond 64 bits,
    say); the standard library writes those, as it always has.
    """
    try:
        return orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def build_date() -> str:
    """The build date for downloads: SOURCE_DATE_EPOCH when set, so builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()


def page_url(site_url: str, slug: str) -> str:
    return f"{site_url.rstrip('/')}/schemes/{slug}/"


def citation(view: dict, site_url: str) -> str:
    offices = "; ".join(f["office"] for f in view["forces"])
    return (f"{view['title']}. {offices}. Reducing Reoffending Schemes. "
            f"{page_url(site_url, view['slug'])} (last reviewed {format_date(view['last_reviewed'])}).")


def _joined(values) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def _funding_text(f: dict) -> str:
    parts = [format_money(f["amount"], f.get("qualifier"))]
    if f.get("funder_name"):
        parts.append(f"from {f['funder_name']}")
    if f.get("recipient_name"):
        parts.append(f"to {f['recipient_name']}")
    if f.get("period_text"):
        parts.append(f["period_text"])
    return " ".join(parts) + f": {f['purpose']}"


def _outcome_text(o: dict, units: dict) -> str:
    text = f"{o['measure']}: {format_figure(o, units)}"
    if o.get("cohort_text"):
        text += f" ({o['cohort_text']})"
    if o.get("period_text"):
        text += f", {o['period_text']}"
    text += f" [{o['evidence_name']}]"
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
    ("status", "Status as of the source date.", lambda v, c: v["status_name"]),
    ("start", "Start date (YYYY, YYYY-MM or YYYY-MM-DD).", lambda v, c: v["data"].get("start", "")),
    ("end", "End date, if any.", lambda v, c: v["data"].get("end", "")),
    ("eligibility", "Who can take part.", lambda v, c: v["eligibility"]),
    ("age_min", "Youngest age served.", lambda v, c: v["data"].get("age_min", "")),
    ("age_max", "Oldest age served.", lambda v, c: v["data"].get("age_max", "")),
    ("funding", "Each funding record as stated: amount, funder, recipient, period and purpose.", lambda v, c: _joined(_funding_text(f) for f in v["funding"])),
    ("funding_total_gbp", "Sum of the funding records, in pounds (only what the register holds).", lambda v, c: v["funding_total"] if v["funding"] else ""),
    ("outcomes", "Each figure as stated, with cohort, period, evidence kind and caveat.", lambda v, c: _joined(_outcome_text(o, c["units"]) for o in v["outcomes"])),
    ("evidence_step", "Highest step on the evidence ladder that the outcomes support.", lambda v, c: v["evidence_step"]["name"]),
    ("contact_office", "Contact office as published.", lambda v, c: v["contact"].get("office", "")),
    ("contact_name", "Named contact as published.", lambda v, c: v["contact"].get("name", "")),
    ("contact_role", "Contact role as published.", lambda v, c: v["contact"].get("role", "")),
    ("contact_email", "Contact email as published.", lambda v, c: v["contact"].get("email", "")),
    ("contact_phone", "Contact phone as published.", lambda v, c: v["contact"].get("phone", "")),
    ("contact_url", "Contact web page as published.", lambda v, c: v["contact"].get("url", "")),
    ("sources", "Source documents and sections, each as 'document-id, section'.", lambda v, c: _joined(f"{s['document']}, {s['section']}" if s.get("section") else s["document"] for s in v["sources"])),
    ("as_of", "Date of the information.", lambda v, c: v["as_of"]),
    ("added", "Date the entry was added.", lambda v, c: v["added"]),
    ("last_reviewed", "Date the entry was last checked against its sources.", lambda v, c: v["last_reviewed"]),
    ("aliases", "Former slugs; their URLs redirect to this page.", lambda v, c: _joined(v["aliases"])),
    ("url", "Address of the scheme's page.", lambda v, c: page_url(c["site_url"], v["slug"])),
    ("citation", "Suggested citation.", lambda v, c: citation(v, c["site_url"])),
]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text  # shown as text, never run as a formula
    return text


def schemes_csv(site, site_url: str) -> bytes:
    ctx = {"units": site.vocab["units"], "site_url": site_url}
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([name for name, _, _ in CSV_COLUMNS])
    for view in site.schemes:
        writer.writerow([_cell(get(view, ctx)) for _, _, get in CSV_COLUMNS])
    # A byte-order mark tells Excel the file is UTF-8.
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def scheme_record(view: dict, site_url: str) -> dict:
    """Every field of the entry as written, plus labels and derived values."""
    record = dict(view["data"])
    record["url"] = page_url(site_url, view["slug"])
    record["citation"] = citation(view, site_url)
    record["derived"] = {
        "force_names": [f["name"] for f in view["forces"]],
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
    }
    return record


def schemes_json(site, site_url: str) -> bytes:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "build_date": build_date(),
        "licence": LICENCE,
        "count": len(site.schemes),
        "schemes": [scheme_record(v, site_url) for v in site.schemes],
    }
    return compact_json(doc) + b"\n"


# (key, label, vocabulary or None, values of a prepared scheme). The finder's facets, in order.
FINDER_FACETS = [
    ("forces", "Force area", "forces", lambda v: [f["slug"] for f in v["forces"]]),
    ("regions", "Region", "regions", lambda v: v["regions"]),
    ("target_groups", "Target group", "target_groups", lambda v: [t["slug"] for t in v["target_groups"]]),
    ("intervention_types", "Intervention type", "intervention_types", lambda v: [t["slug"] for t in v["intervention_types"]]),
    ("stages", "Stage", "stages", lambda v: [t["slug"] for t in v["stages"]]),
    ("status", "Status", "statuses", lambda v: [v["status"]]),
    ("evidence", "Evidence", "evidence_ladder", lambda v: [v["evidence_step"]["slug"]]),
    ("funding", "Funding recorded", "funding_bands", lambda v: [v["funding_band"]]),
    ("providers", "Provider", None, lambda v: sorted({o["slug"] for o in v["providers"]})),
]


def finder_data(site) -> bytes:
    """Only what the finder filters and shows; each scheme page holds the rest.

    Facet values are sent once and referred to by position, keeping the file
    small at thousands of schemes.
    """
    facets = []
    for key, label, vocab_name, values_of in FINDER_FACETS:
        if vocab_name:
            values = [{"slug": s, "name": site.vocab.label(vocab_name, s)} for s in site.vocab[vocab_name]]
        else:
            used = sorted({s for v in site.schemes for s in values_of(v)},
                          key=lambda s: site.vocab.label("organisations", s).casefold())
            values = [{"slug": s, "name": site.vocab.label("organisations", s)} for s in used]
        facets.append({"key": key, "label": label, "values": values,
                       "index": {val["slug"]: i for i, val in enumerate(values)}})
    schemes = []
    for v in site.schemes:
        schemes.append({
            "s": v["slug"], "t": v["title"], "u": v["summary"],
            "a": v["added"], "m": v["funding_total"],
            "f": [[f["index"][x] for x in values_of(v)] for f, (_, _, _, values_of) in zip(facets, FINDER_FACETS)],
        })
    doc = {
        "facets": [{k: f[k] for k in ("key", "label", "values")} for f in facets],
        "schemes": schemes,
    }
    return compact_json(doc)


def scheme_json(view: dict, site_url: str) -> bytes:
    """One scheme for the compare page: labels resolved, as the page shows them."""
    record = {
        "slug": view["slug"], "title": view["title"], "summary": view["summary"],
        "url": page_url(site_url, view["slug"]),
        "offices": [f["office"] for f in view["forces"]],
        "forces": [f["name"] for f in view["forces"]],
        "organisations": [{"name": o["name"], "role": o["role_name"]} for o in view["organisations"]],
        "target_groups": [t["name"] for t in view["target_groups"]],
        "intervention_types": [t["name"] for t in view["intervention_types"]],
        "stages": [t["name"] for t in view["stages"]],
        "status": view["status_name"], "as_of": view["as_of_text"], "dates": view["dates_text"],
        "funding": [_funding_text(f) for f in view["funding"]],
        "funding_total": view["funding_total_text"],
        "outcomes": [{"measure": o["measure"], "figure": o["figure"], "cohort": o["cohort_text"],
                      "period": o["period_text"], "evidence": o["evidence_name"], "caveat": o.get("caveat", "")}
                     for o in view["outcomes"]],
        "evidence_step": view["evidence_step"]["name"],
        "last_reviewed": view["last_reviewed_text"],
    }
    return compact_json(record)


GRANT_ID_PREFIX = "rrs"


def _end_day(text: str) -> datetime.date:
    """The last day a partial date can mean: '2021-03' is 31 March 2021."""
    import calendar
    parts = [int(x) for x in text.split("-")]
    if len(parts) == 1:
        return datetime.date(parts[0], 12, 31)
    if len(parts) == 2:
        return datetime.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return datetime.date(*parts)


def end_events(views: list[dict], site_url: str) -> list[dict]:
    """One event per funding period end and per scheme end date, with stable identifiers."""
    host = "reducing-reoffending-schemes"
    events = []
    for v in views:
        for i, f in enumerate(v["funding"]):
            if f.get("period_end"):
                events.append({
                    "uid": f"{v['slug']}-funding-{i + 1}-end@{host}",
                    "date": _end_day(f["period_end"]),
                    "summary": f"Funding ends: {v['title']} ({f['amount_text']}{' from ' + f['funder_name'] if f['funder_name'] else ''})",
                    "description": f"{f['purpose']} Period: {f['period_text']}. As stated in the source ({v['as_of_text']}).",
                    "url": page_url(site_url, v["slug"]), "stamp": v["last_reviewed"], "forces": [x["slug"] for x in v["forces"]],
                })
        if v["data"].get("end"):
            events.append({
                "uid": f"{v['slug']}-end@{host}",
                "date": _end_day(v["data"]["end"]),
                "summary": f"Scheme ends: {v['title']}",
                "description": f"{v['summary']} End date as stated in the source ({v['as_of_text']}).",
                "url": page_url(site_url, v["slug"]), "stamp": v["last_reviewed"], "forces": [x["slug"] for x in v["forces"]],
            })
    events.sort(key=lambda e: (e["date"], e["uid"]))
    return events


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _ics_fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545, 3.1)."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, start, width = [], 0, 75
    while len(raw) - start > width:
        end = start + width
        while raw[end] & 0xC0 == 0x80:  # a continuation byte: step back to the character's start
            end -= 1
        parts.append(raw[start:end])
        start, width = end, 74  # continuation lines begin with a space
    parts.append(raw[start:])
    return "\r\n ".join(part.decode("utf-8") for part in parts)


def _ics_event(e: dict) -> str:
    stamp = _end_day(e["stamp"]).strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{e['uid']}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{e['date'].strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(e['date'] + datetime.timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{_ics_text(e['summary'])}",
        f"DESCRIPTION:{_ics_text(e['description'])}",
        f"URL:{e['url']}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return "\r\n".join(_ics_fold(line) for line in lines) + "\r\n"


def calendar_ics(events: list[dict], name: str) -> bytes:
    """An iCalendar file; written directly (a few fixed properties) to keep big registers fast."""
    head = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Reducing Reoffending Schemes//funding ends//EN",
        "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_ics_text(name)}",
    ]
    for e in events:  # the same event appears in the national and a force calendar: write it once
        if "ics" not in e:
            e["ics"] = _ics_event(e)
    body = "".join(e["ics"] for e in events)
    text = "\r\n".join(_ics_fold(line) for line in head) + "\r\n" + body + "END:VCALENDAR\r\n"
    return text.encode("utf-8")


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
]
GRANT_COLUMNS = [name for name, _ in GRANT_COLUMN_NOTES]


def grants(site, site_url: str) -> list[dict]:
    """Funding records in a 360Giving-style shape: one grant per funding record."""
    out = []
    for v in site.schemes:
        for i, f in enumerate(v["funding"]):
            record = {
                "identifier": f"{GRANT_ID_PREFIX}-{v['slug']}-{i + 1}",
                "title": f"{v['title']}: {f['purpose']}"[:300],
                "description": f["purpose"],
                "currency": "GBP",
                "amountAwarded": f["amount"],
                "awardDate": f.get("period_start") or v["as_of"],
                "url": page_url(site_url, v["slug"]),
                "scheme": v["slug"],
                "beneficiaryLocation": [{"name": x["name"]} for x in v["forces"]],
            }
            if f.get("period_start") or f.get("period_end"):
                record["plannedDates"] = [{k: f[src] for k, src in (("startDate", "period_start"), ("endDate", "period_end")) if f.get(src)}]
            if f.get("recipient"):
                record["recipientOrganization"] = [{"id": f"{GRANT_ID_PREFIX}-org-{f['recipient']}", "name": f["recipient_name"]}]
            if f.get("funder"):
                record["fundingOrganization"] = [{"id": f"{GRANT_ID_PREFIX}-org-{f['funder']}", "name": f["funder_name"]}]
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
            g["scheme"], g["url"])])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def schema_json(schema: dict) -> bytes:
    return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# ---- pieces of work (see generator/parallel.py): each returns {site path: bytes} ----

def site_jobs(site, schema: dict, renderer, site_url: str) -> list:
    """The downloads about the whole register, slowest first."""
    def small_files():
        grant_records = grants(site, site_url)
        return {
            "schema/scheme.schema.json": schema_json(schema),
            "feed.xml": renderer.feed(site_url).encode("utf-8"),
            "data/finder.json": finder_data(site),
            **calendars(site, site_url),
            "data/grants.json": grants_json(grant_records),
            "data/grants.csv": grants_csv(grant_records),
        }
    return [
        lambda: {"data/schemes.csv": schemes_csv(site, site_url)},
        lambda: {"data/schemes.json": schemes_json(site, site_url)},
        small_files,
    ]


def scheme_jobs(site, site_url: str) -> list:
    """One piece per scheme: the JSON the compare page reads."""
    return [functools.partial(_scheme_json_file, view, site_url) for view in site.schemes]


def _scheme_json_file(view: dict, site_url: str) -> dict[str, bytes]:
    return {f"data/schemes/{view['slug']}.json": scheme_json(view, site_url)}


def calendars(site, site_url: str) -> dict[str, bytes]:
    events = end_events(site.schemes, site_url)
    out = {"data/funding-ends.ics": calendar_ics(events, "Reducing Reoffending Schemes: funding and scheme end dates")}
    for slug, force in site.vocab["forces"].items():
        mine = [e for e in events if slug in e["forces"]]
        out[f"forces/{slug}/funding-ends.ics"] = calendar_ics(mine, f"{force['name']}: funding and scheme end dates")
    return out
