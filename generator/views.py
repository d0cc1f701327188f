"""A scheme's view: everything its page, its rows in listings and its downloads read.

The contract is `SchemeView` below, one line per key. A view is made whole by
`scheme_view` and `finish_view` in the prepare stage; templates and downloads
only read it. Labels come from the vocabularies, text from `formatting`.
"""
from __future__ import annotations

import datetime
from typing import Any, TypedDict

from . import dates, money
from .freshness import freshness
from .formatting import format_date, format_figure, format_number, format_period, office_title_note
from .headline import HeadlineRow, headline_rows
from .loader import Scheme
from .results import Reported, results_reported, short_caveat
from .sources import SourceRef, cited_text, source_ref
from .vocabularies import Vocabularies


class ForceRef(TypedDict):
    slug: str            # forces.yaml key
    name: str            # "Avon and Somerset"
    office: str          # the commissioner's office as it was at the date of the information (forces.yaml, former_offices)
    office_now: str      # the office's name today when it has changed since, else ""
    office_title: str    # the office holder's title where the office's name does not say it ("Mayor holding the PCC's powers"), else ""
    region: str          # regions.yaml key
    region_name: str     # region label


class Tag(TypedDict, total=False):
    slug: str            # key in the vocabulary (target_groups, intervention_types, stages)
    name: str            # label
    description: str     # the vocabulary's description, where it has one


class OrganisationRef(TypedDict):
    slug: str            # organisations.yaml key
    name: str            # organisation's name as it was at the date of the information (former_names)
    name_now: str        # its name today when that differs, else ""
    role: str            # roles.yaml key
    role_name: str       # role label
    note: str            # the entry's note on this organisation, or ""


class FundingItem(TypedDict, total=False):
    # every field of the entry's funding record as written (amount, basis, funder, part_of, ...), plus:
    amount_text: str     # the amount with its basis: "about £25,000 a year", "£390,000 contract value"
    amount_basis_text: str  # the same, the basis always said: "£34,800 (one-off sum)", "about £25,000 a year"
    basis_name: str      # label of the basis ("A year", "Total over a period", ...)
    scope_text: str      # "wider purpose: not only reducing reoffending" for share wider-purpose, else ""
    funder_slug: str | None
    funder_name: str     # "" when the entry names no funder
    co_funder_names: list[str]
    recipient_name: str  # "" when the entry names no recipient
    from_text: str       # the funder in running text: "from the Ministry of Justice", or ""
    co_funders_text: str  # "with Derby City Council, Derbyshire County Council", or ""
    to_text: str         # the recipient in running text: "to Action", or ""
    period_text: str     # "April 2019 to March 2020", or ""
    counted: bool        # added to totals: money for this scheme (share "whole") not paid from a fund with its own entry
    part_of_title: str   # title of the fund's entry when part_of is given, else ""
    not_counted_text: str  # why it is not added to totals, or ""
    source_text: str     # the cited document's title and the place in it, or ""


class OutcomeItem(TypedDict, total=False):
    # every field of the entry's outcome as written (measure, kind, value, unit, evidence, reoffending, caveat, ...), plus:
    kind_name: str       # "Result", "Activity", "Plan or capacity", "Context"
    figure: str          # "62%", "up to 2 years"
    cohort_text: str     # "of 120", "cohort: Women referred in 2019", both joined by "; ", or ""
    period_text: str     # the period the figure covers, or ""
    evidence_name: str   # label of the evidence kind
    reoffending_text: dict  # for a reoffending result: {"measure", "comparison", "follow_up", "measured_by"} as words; else {}
    source_text: str     # the cited document's title and the place in it, or ""



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
    status_text: str            # "Running, as of February 2020; not confirmed since 2020"
    information_date: str       # the newest date of the information: newest cited document, or as_of if later
    information_year: str       # "2020"
    information_text: str       # "information from 2020", shown in every listing, card, feed and comparison
    information_age_years: int  # whole years from the information date to the build date
    unconfirmed: bool           # the information is older than the configured age: the status is not confirmed
    unconfirmed_text: str       # "not confirmed since 2020", or ""
    end_passed: bool            # a recorded end date is before the build date and the status is not "ended"
    time_note: str              # what a reader must know about dates ("Its planned end ... has passed ..."), or ""
    dates_text: str             # "April 2019 to March 2021", "from 2019", or ""
    funding: list[FundingItem]
    grants: list[dict]          # a fund's grants (money.grant_item): listed on its page, never added to totals
    funding_total: float        # counted one-off, period, contract and single-year sums (see FundingItem.counted); 0 when none
    funding_per_year: float     # counted yearly amounts, one year's worth; 0 when none
    funding_total_words: str    # funding_total with the qualifier its parts carry: "at least £600,000", or ""
    funding_per_year_words: str  # "about £25,000 a year", or ""
    funding_total_text: str     # "at least £600,000 and £25,000 a year"; "not published" when only uncounted sums; "" when none
    funding_band: str           # funding_bands.yaml key (the finder's band), "not-stated" when the page shows no amount
    funding_band_kind: str      # what placed it there: "counted", "per-year", "shown-not-added", or ""
    funding_band_amount: float  # the amount the band is for
    funding_band_text: str      # that amount in words with its kind: "at least £600,000 counted", "£390,000 shown but not added"
    outcomes: list[OutcomeItem]  # every figure, in the entry's order
    results: list[OutcomeItem]   # kind "result"
    activity: list[OutcomeItem]  # kind "activity"
    plans: list[OutcomeItem]     # kind "plan"
    context: list[OutcomeItem]   # kind "context"
    estimates: list[OutcomeItem]  # kind "estimate": savings the scheme or commissioner estimated
    reoffending: list[OutcomeItem]  # results with a structured reoffending measure
    evidence_step: dict         # the evidence_ladder.yaml entry the results support (slug, name, rank, ...)
    evidence_scale: list[dict]  # the ladder's steps above the lowest, for the visible scale: {slug, name, rank, reached}
    headline_result: OutcomeItem | None  # the result the panel leads with: the first reoffending result, else the first result
    headline_caveat: str        # the first sentence of the headline result's caveat, shown wherever the result is; or ""
    reported: Reported          # the results scale: what kind of figure the sources report (results.py)
    headline: list[HeadlineRow]  # the headline panel (HEADLINE_ROWS), each row present or NOT_REPORTED
    context_notes: list[str]    # notes from context_notes.yaml whose phrases the entry's text mentions
    contact: dict[str, str]     # office, name, role, email, phone, url: whichever the entry gives
    sources: list[SourceRef]
    as_of: str                  # date of the information (partial date text)
    as_of_text: str             # as words: "February 2020"
    added: str                  # date the entry was added (last_reviewed when not given)
    last_reviewed: str          # date the entry was last checked against its sources
    last_reviewed_text: str
    checked_text: str           # "Entry checked against its sources on 25 November 2026"
    confirmed_text: str         # "Confirmed with the office on ..." or "Not confirmed with the commissioner's office"
    review_age_months: int      # whole months from last_reviewed to the build date
    review_due: bool            # review_age_months >= the review threshold, or the information is too old to confirm the status
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
            f"{page_url(site_url, view['slug'])} (information as of {format_date(view['as_of'])}; "
            f"entry checked {format_date(view['last_reviewed'])}).")


def evidence_step(scheme_data: dict, vocab: Vocabularies) -> dict:
    """The highest ladder step the scheme's results support.

    Only results count; activity figures at most reach "monitored" (a service
    counting its own work); plans and context never count.
    """
    ladder = vocab["evidence_ladder"]
    best = min(ladder.values(), key=lambda step: step["rank"])
    monitored = ladder.get("monitored")
    for outcome in scheme_data.get("outcomes", []):
        step = ladder[vocab["evidence_kinds"][outcome["evidence"]]["ladder"]]
        if outcome["kind"] == "activity" and monitored is not None and step["rank"] > monitored["rank"]:
            step = monitored
        elif outcome["kind"] not in ("result", "activity"):
            continue
        if step["rank"] > best["rank"]:
            best = step
    return best


def commissioning_chain(v: dict) -> Chain:
    """Office -> fund or grant -> provider -> service, from what the entry records."""
    return {
        "offices": [f["office"] for f in v["forces"]],
        "funding": [
            {"text": f["amount_text"] + (f" {f['from_text']}" if f["from_text"] else "")
             + (f", {f['period_text']}" if f["period_text"] else "")}
            for f in v["funding"]
        ],
        "providers": [o for o in v["organisations"] if o["role"] == "delivers"],
        "service": v["title"],
    }


def _extra(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k not in ("slug", "name")}


def _force(vocab: Vocabularies, slug: str, when: str | None = None) -> ForceRef:
    entry = vocab["forces"][slug]
    office, title = vocab.office_at(slug, when)
    return {
        "slug": slug,
        "name": entry["name"],
        "office": office,
        "office_now": entry["office"] if office != entry["office"] else "",
        "office_title": office_title_note(office, vocab.label("office_titles", title)),
        "region": entry["region"],
        "region_name": vocab.label("regions", entry["region"]),
    }


def _tags(vocab: Vocabularies, name: str, slugs) -> list[Tag]:
    return [{"slug": slug, "name": vocab.label(name, slug), **_extra(vocab[name].get(slug, {}))} for slug in slugs]


class Register(TypedDict):
    """What a view needs to know about the other entries."""
    titles: dict[str, str]   # slug -> title of every scheme
    funds_with_totals: set[str]  # slugs of entries that record money of their own (counted)


def register_facts(schemes: list[Scheme]) -> Register:
    return {
        "titles": {s.slug: s.data["title"] for s in schemes},
        "funds_with_totals": {s.slug for s in schemes
                              if any(f.get("share", "whole") == "whole" and not f.get("part_of")
                                     for f in s.data.get("funding", []))},
    }


def scheme_view(scheme: Scheme, vocab: Vocabularies, register: Register, *, site_url: str,
                build_date: datetime.date, review_after_months: int, max_age_years: int = 3) -> SchemeView:
    """The finished view of one loaded scheme (see SchemeView)."""
    d = scheme.data
    forces = [_force(vocab, slug, d["as_of"]) for slug in d["forces"]]
    orgs: list[OrganisationRef] = [{
        "slug": o["organisation"],
        "name": vocab.label_at("organisations", o["organisation"], d["as_of"]),
        "name_now": (vocab.label("organisations", o["organisation"])
                     if vocab.label_at("organisations", o["organisation"], d["as_of"]) != vocab.label("organisations", o["organisation"]) else ""),
        "role": o["role"],
        "role_name": vocab.label("roles", o["role"]),
        "note": o.get("note", ""),
    } for o in d.get("organisations", [])]
    funding = [{**money.funding_item(f, vocab, register["funds_with_totals"], register["titles"], d["as_of"]),
                "source_text": cited_text(vocab, f.get("source"))} for f in d.get("funding", [])]
    grants = [{**money.grant_item(g, vocab, register["titles"]), "source_text": cited_text(vocab, g.get("source"))}
              for g in d.get("grants", [])]
    sums = money.sums(funding)
    outcomes = [{**_outcome_item(o, vocab), "source_text": cited_text(vocab, o.get("source"))}
                for o in d.get("outcomes", [])]
    sources = [source_ref(vocab, s) for s in d["sources"]]
    fresh = freshness(d, vocab, build_date, max_age_years)
    end_passed = bool(d.get("end")) and d["status"] != "ended" and dates.last_day(d["end"]) < build_date
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
        **fresh,
        "status_text": f"{vocab.label('statuses', d['status'])}, as of {format_date(d['as_of'])}"
                       + (f"; {fresh['unconfirmed_text']}" if fresh["unconfirmed"] else ""),
        "end_passed": end_passed,
        "time_note": (f"Its planned end ({format_date(d['end'])}) has passed; the sources do not say "
                      f"whether it is still running." if end_passed else ""),
        "dates_text": format_period(d.get("start"), d.get("end")),
        "funding": funding,
        "grants": grants,
        "funding_total": sums["total"],
        "funding_per_year": sums["per_year"],
        "funding_total_words": sums["total_text"],
        "funding_per_year_words": sums["per_year_text"],
        "funding_total_text": money.funding_total_text(sums, funding),
        "outcomes": outcomes,
        "results": [o for o in outcomes if o["kind"] == "result"],
        "activity": [o for o in outcomes if o["kind"] == "activity"],
        "plans": [o for o in outcomes if o["kind"] == "plan"],
        "context": [o for o in outcomes if o["kind"] == "context"],
        "estimates": [o for o in outcomes if o["kind"] == "estimate"],
        "reoffending": [o for o in outcomes if o["kind"] == "result" and o.get("reoffending")],
        "evidence_step": evidence_step(d, vocab),
        "context_notes": context_notes(d, vocab),
        "contact": d.get("contact", {}),
        "sources": sources,
        "as_of": d["as_of"],
        "as_of_text": format_date(d["as_of"]),
        "added": d.get("added", d["last_reviewed"]),
        "last_reviewed": d["last_reviewed"],
        "last_reviewed_text": format_date(d["last_reviewed"]),
        "checked_text": f"Entry checked against its sources on {format_date(d['last_reviewed'])}",
        "confirmed_text": (f"Confirmed with the commissioner's office on {format_date(d['confirmed_with_office'])}"
                           if d.get("confirmed_with_office") else "Not confirmed with the commissioner's office"),
        "review_age_months": review_age,
        "review_due": review_age >= review_after_months or fresh["unconfirmed"],
        "aliases": d.get("aliases", []),
        "eligibility": d.get("eligibility", ""),
        "ages_text": _ages(d),
    }
    view["funding_band"], view["funding_band_kind"], view["funding_band_amount"] = money.funding_band(view, vocab)
    view["funding_band_text"] = money.funding_band_text(view)
    view["evidence_scale"] = [{"slug": step["slug"], "name": step["name"], "rank": step["rank"],
                               "reached": step["rank"] <= view["evidence_step"]["rank"]}
                              for step in sorted(vocab["evidence_ladder"].values(), key=lambda step: step["rank"])[1:]]
    view["headline_result"] = (view["reoffending"] or view["results"] or [None])[0]
    view["headline_caveat"] = short_caveat(view["headline_result"])
    view["reported"] = results_reported(view, vocab)
    view["headline"] = headline_rows(view)
    view["chain"] = commissioning_chain(view)
    view["url"] = page_url(site_url, scheme.slug)
    view["citation"] = citation(view, site_url)
    return view  # type: ignore[return-value]


def _outcome_item(o: dict, vocab: Vocabularies) -> OutcomeItem:
    item = {
        **o,
        "kind_name": vocab.label("outcome_kinds", o["kind"]),
        "figure": format_figure(o, vocab["units"]),
        "cohort_text": _cohort_text(o),
        "period_text": format_period(o.get("period_start"), o.get("period_end")),
        "evidence_name": vocab.label("evidence_kinds", o["evidence"]),
        "reoffending_text": {},
    }
    r = o.get("reoffending")
    if r:
        months = r.get("follow_up_months")
        item["reoffending_text"] = {
            "measure": vocab.label("reoffending_measures", r["measure"]),
            "comparison": vocab.label("reoffending_comparisons", r["comparison"]),
            "follow_up": (f"{months} month{'s' if months != 1 else ''}" if months else "not reported"),
            "measured_by": r.get("measured_by", "not reported"),
        }
    return item


def context_notes(d: dict, vocab: Vocabularies) -> list[str]:
    """Notes (vocabularies/context_notes.yaml) for phrases the entry's own text mentions."""
    text = " ".join([d["title"], d["summary"], d["description"]]
                    + [o.get("note", "") for o in d.get("organisations", [])]
                    + [vocab.label("organisations", o["organisation"]) for o in d.get("organisations", [])])
    return [entry["note"] for entry in vocab["context_notes"].values()
            if any(phrase in text for phrase in entry["phrases"])]


def _cohort_text(o: dict) -> str:
    """"of 33", "cohort: Women referred in 2019" or both, joined by "; ".

    The description is the contributor's own phrase, capital letter and all,
    so it is labelled rather than run on after the number ("of 33 Everyone...").
    """
    parts = []
    if "cohort" in o:
        parts.append(f"of {format_number(o['cohort'])}")
    if o.get("cohort_description"):
        parts.append(f"cohort: {o['cohort_description']}")
    return "; ".join(parts)


def _ages(d: dict) -> str:
    lo, hi = d.get("age_min"), d.get("age_max")
    if lo is not None and hi is not None:
        return f"{lo} to {hi}"
    if lo is not None:
        return f"{lo} and over"
    if hi is not None:
        return f"up to {hi}"
    return ""
