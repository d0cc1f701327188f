"""A scheme's view: everything its page, its rows in listings and its downloads read.

The contract is `SchemeView` below, one line per key. A view is made whole by
`scheme_view` and `finish_view` in the prepare stage; templates and downloads
only read it. Labels come from the vocabularies, text from `formatting`.
"""
from __future__ import annotations

import datetime
from typing import Any, TypedDict

from . import dates
from .formatting import format_date, format_figure, format_money, format_number, format_period
from .loader import Scheme
from .vocabularies import Vocabularies


class ForceRef(TypedDict):
    slug: str            # forces.yaml key
    name: str            # "Avon and Somerset"
    office: str          # the commissioner's office, as named in forces.yaml
    office_title: str    # label of the office holder's title ("Police and Crime Commissioner")
    region: str          # regions.yaml key
    region_name: str     # region label


class Tag(TypedDict, total=False):
    slug: str            # key in the vocabulary (target_groups, intervention_types, stages)
    name: str            # label
    description: str     # the vocabulary's description, where it has one


class OrganisationRef(TypedDict):
    slug: str            # organisations.yaml key
    name: str            # organisation's name
    role: str            # roles.yaml key
    role_name: str       # role label
    note: str            # the entry's note on this organisation, or ""


class FundingItem(TypedDict, total=False):
    # every field of the entry's funding record as written (amount, funder, recipient, period_start, ...), plus:
    amount_text: str     # "about £25,000"
    funder_slug: str | None
    funder_name: str     # "" when the entry names no funder
    recipient_name: str  # "" when the entry names no recipient
    period_text: str     # "April 2019 to March 2020", or ""


class OutcomeItem(TypedDict, total=False):
    # every field of the entry's outcome as written (measure, value, unit, evidence, caveat, ...), plus:
    figure: str          # "62%", "up to 2 years"
    cohort_text: str     # "of 120 women", or ""
    period_text: str     # the period the figure covers, or ""
    evidence_name: str   # label of the evidence kind


class SourceRef(TypedDict, total=False):
    document: str        # sources.yaml id
    section: str         # section cited, when given
    title: str           # the document's title
    publisher: str       # who published it
    date: str            # its date (partial date text)


class Chain(TypedDict):
    offices: list[str]          # the commissioners' offices
    funding: list[dict]         # [{"text": "£25,000 from X, 2019 to 2020"}]
    providers: list[OrganisationRef]  # the organisations that deliver it
    service: str                # the scheme's title


class SchemeView(TypedDict):
    slug: str                   # file name without .yaml; the page is /schemes/<slug>/
    data: dict[str, Any]        # the entry exactly as loaded (for downloads that carry every field)
    title: str
    summary: str
    paragraphs: list[str]       # the description split at blank lines
    forces: list[ForceRef]      # lead area first
    regions: list[str]          # region keys of the forces, sorted
    places: list[str]
    organisations: list[OrganisationRef]
    providers: list[OrganisationRef]  # those whose role is "delivers"
    target_groups: list[Tag]
    intervention_types: list[Tag]
    stages: list[Tag]
    status: str                 # statuses.yaml key
    status_name: str            # status label
    dates_text: str             # "April 2019 to March 2021", "from 2019", or ""
    funding: list[FundingItem]
    funding_total: float        # sum of the funding records' amounts (0 when none)
    funding_total_text: str     # "£50,000", or "" when no funding is recorded
    funding_band: str           # funding_bands.yaml key (the finder's band), "not-stated" when none
    outcomes: list[OutcomeItem]
    evidence_step: dict         # the evidence_ladder.yaml entry the outcomes support (slug, name, rank, ...)
    contact: dict[str, str]     # office, name, role, email, phone, url: whichever the entry gives
    sources: list[SourceRef]
    as_of: str                  # date of the information (partial date text)
    as_of_text: str             # as words: "February 2020"
    added: str                  # date the entry was added (last_reviewed when not given)
    last_reviewed: str          # date the entry was last checked against its sources
    last_reviewed_text: str
    review_age_months: int      # whole months from last_reviewed to the build date
    review_due: bool            # review_age_months >= the review threshold
    aliases: list[str]          # former slugs (redirected)
    eligibility: str            # "" when not given
    ages_text: str              # "18 to 25", "18 and over", or ""
    chain: Chain                # office -> funding -> providers -> service
    url: str                    # the page's public address
    citation: str               # suggested citation


def page_url(site_url: str, slug: str) -> str:
    return f"{site_url.rstrip('/')}/schemes/{slug}/"


def citation(view: dict, site_url: str) -> str:
    offices = "; ".join(f["office"] for f in view["forces"])
    return (f"{view['title']}. {offices}. Reducing Reoffending Schemes. "
            f"{page_url(site_url, view['slug'])} (last reviewed {format_date(view['last_reviewed'])}).")


def evidence_step(scheme_data: dict, vocab: Vocabularies) -> dict:
    """The highest ladder step any of the scheme's outcomes supports."""
    ladder = vocab["evidence_ladder"]
    best = min(ladder.values(), key=lambda step: step["rank"])
    for outcome in scheme_data.get("outcomes", []):
        kind = vocab["evidence_kinds"][outcome["evidence"]]
        step = ladder[kind["ladder"]]
        if step["rank"] > best["rank"]:
            best = step
    return best


def funding_band(view: dict, vocab: Vocabularies) -> str:
    """The finder's funding band for a scheme, from vocabularies/funding_bands.yaml."""
    if not view["funding"]:
        return "not-stated"
    total = view["funding_total"]
    for slug, band in vocab["funding_bands"].items():
        if "min" in band and band["min"] <= total and ("max" not in band or total < band["max"]):
            return slug
    return "not-stated"


def commissioning_chain(v: dict) -> Chain:
    """Office -> fund or grant -> provider -> service, from what the entry records."""
    return {
        "offices": [f["office"] for f in v["forces"]],
        "funding": [
            {"text": f["amount_text"] + (f" from {f['funder_name']}" if f["funder_name"] else "")
             + (f", {f['period_text']}" if f["period_text"] else "")}
            for f in v["funding"]
        ],
        "providers": [o for o in v["organisations"] if o["role"] == "delivers"],
        "service": v["title"],
    }


def _extra(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k not in ("slug", "name")}


def _force(vocab: Vocabularies, slug: str) -> ForceRef:
    entry = vocab["forces"][slug]
    return {
        "slug": slug,
        "name": entry["name"],
        "office": entry["office"],
        "office_title": vocab.label("office_titles", entry["office_title"]),
        "region": entry["region"],
        "region_name": vocab.label("regions", entry["region"]),
    }


def _tags(vocab: Vocabularies, name: str, slugs) -> list[Tag]:
    return [{"slug": slug, "name": vocab.label(name, slug), **_extra(vocab[name].get(slug, {}))} for slug in slugs]


def scheme_view(scheme: Scheme, vocab: Vocabularies, *, site_url: str, build_date: datetime.date,
                review_after_months: int) -> SchemeView:
    """The finished view of one loaded scheme (see SchemeView)."""
    d = scheme.data
    units = vocab["units"]
    forces = [_force(vocab, slug) for slug in d["forces"]]
    orgs: list[OrganisationRef] = [{
        "slug": o["organisation"],
        "name": vocab.label("organisations", o["organisation"]),
        "role": o["role"],
        "role_name": vocab.label("roles", o["role"]),
        "note": o.get("note", ""),
    } for o in d.get("organisations", [])]
    funding = [{
        **f,
        "amount_text": format_money(f["amount"], f.get("qualifier")),
        "funder_slug": f.get("funder"),
        "funder_name": vocab.label("organisations", f["funder"]) if f.get("funder") else "",
        "recipient_name": vocab.label("organisations", f["recipient"]) if f.get("recipient") else "",
        "period_text": format_period(f.get("period_start"), f.get("period_end")),
    } for f in d.get("funding", [])]
    outcomes = [{
        **o,
        "figure": format_figure(o, units),
        "cohort_text": _cohort_text(o),
        "period_text": format_period(o.get("period_start"), o.get("period_end")),
        "evidence_name": vocab.label("evidence_kinds", o["evidence"]),
    } for o in d.get("outcomes", [])]
    sources = [{
        **s,
        "title": vocab["sources"][s["document"]]["title"],
        "publisher": vocab["sources"][s["document"]]["publisher"],
        "date": vocab["sources"][s["document"]]["date"],
    } for s in d["sources"]]
    total = sum(f["amount"] for f in d.get("funding", []))
    review_age = dates.months_between(dates.first_day(d["last_reviewed"]), build_date)
    view = {
        "slug": scheme.slug,
        "data": d,
        "title": d["title"],
        "summary": d["summary"],
        "paragraphs": [p.strip() for p in d["description"].split("\n\n") if p.strip()],
        "forces": forces,
        "regions": sorted({f["region"] for f in forces}),
        "places": d.get("places", []),
        "organisations": orgs,
        "providers": [o for o in orgs if o["role"] == "delivers"],
        "target_groups": _tags(vocab, "target_groups", d["target_groups"]),
        "intervention_types": _tags(vocab, "intervention_types", d["intervention_types"]),
        "stages": _tags(vocab, "stages", d["stages"]),
        "status": d["status"],
        "status_name": vocab.label("statuses", d["status"]),
        "dates_text": format_period(d.get("start"), d.get("end")),
        "funding": funding,
        "funding_total": total,
        "funding_total_text": format_money(total) if funding else "",
        "outcomes": outcomes,
        "evidence_step": evidence_step(d, vocab),
        "contact": d.get("contact", {}),
        "sources": sources,
        "as_of": d["as_of"],
        "as_of_text": format_date(d["as_of"]),
        "added": d.get("added", d["last_reviewed"]),
        "last_reviewed": d["last_reviewed"],
        "last_reviewed_text": format_date(d["last_reviewed"]),
        "review_age_months": review_age,
        "review_due": review_age >= review_after_months,
        "aliases": d.get("aliases", []),
        "eligibility": d.get("eligibility", ""),
        "ages_text": _ages(d),
    }
    view["funding_band"] = funding_band(view, vocab)
    view["chain"] = commissioning_chain(view)
    view["url"] = page_url(site_url, scheme.slug)
    view["citation"] = citation(view, site_url)
    return view  # type: ignore[return-value]


def _cohort_text(o: dict) -> str:
    parts = []
    if "cohort" in o:
        parts.append(f"of {format_number(o['cohort'])}")
    if o.get("cohort_description"):
        parts.append(o["cohort_description"])
    return " ".join(parts)


def _ages(d: dict) -> str:
    lo, hi = d.get("age_min"), d.get("age_max")
    if lo is not None and hi is not None:
        return f"{lo} to {hi}"
    if lo is not None:
        return f"{lo} and over"
    if hi is not None:
        return f"up to {hi}"
    return ""
