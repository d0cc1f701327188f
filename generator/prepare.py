"""The prepare stage: from loaded schemes to a finished `Site` that pages and downloads read.

Templates only present; every lookup, sort and computation happens here (with
`views` for one scheme and `listings` for many) so it can be tested without
rendering, and so pages and downloads are built from the same values.
Nothing changes a Site or its views after `prepare` returns.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from . import dates, listings
from .loader import Scheme
from .related import RelatedSchemes
from .views import Register, SchemeView, register_facts, scheme_view
from .vocabularies import Vocabularies


@dataclass
class Site:
    """Everything the pages and downloads read, prepared once per build."""

    vocab: Vocabularies
    schema: dict                                  # the JSON Schema the entries were checked against
    site_url: str                                 # public address, ending in "/"
    build_date: datetime.date                     # the date the build describes (SOURCE_DATE_EPOCH or today)
    review_after_months: int                      # an entry this old is due a review
    max_age_years: int                            # information this old no longer confirms a status
    schemes: list[SchemeView]                     # every scheme, by title
    by_slug: dict[str, SchemeView]
    by_force: dict[str, list[SchemeView]]         # force slug -> its schemes, by title
    by_tag: dict[tuple[str, str], list[SchemeView]]  # (vocabulary, value) -> schemes, by title
    by_organisation: dict[str, list[SchemeView]]  # organisation slug -> schemes naming it (role or money)
    counts: dict[str, int]                        # schemes, forces, organisations, outcomes
    forces: list[dict]                            # listings.force_listing
    tag_groups: list[dict]                        # listings.tag_listing
    providers: list[dict]                         # listings.provider_listing
    map_tiles: list[dict]
    charts: list[dict]
    needs_review: list[SchemeView]                # entries to confirm: information too old or review due, oldest information first
    related: RelatedSchemes


def prepare(schemes: list[Scheme], vocab: Vocabularies, schema: dict, *, site_url: str,
            build_date: datetime.date, review_after_months: int, register: Register | None = None,
            everyone: list[Scheme] | None = None, max_age_years: int = 3) -> Site:
    """The Site of `schemes`; `register` (titles and funds of every entry) and `everyone` (every entry, for
    related schemes) when they are a preview's part of them."""
    if register is None:
        register = register_facts(schemes)
    views = [scheme_view(s, vocab, register, site_url=site_url, build_date=build_date,
                         review_after_months=review_after_months, max_age_years=max_age_years)
             for s in sorted(schemes, key=lambda s: s.data["title"].casefold())]
    by_slug = {v["slug"]: v for v in views}
    by_force: dict[str, list] = defaultdict(list)
    by_tag: dict[tuple[str, str], list] = defaultdict(list)
    by_org: dict[str, list] = defaultdict(list)
    for v in views:
        for f in v["forces"]:
            by_force[f["slug"]].append(v)
        for t in v["target_groups"]:
            by_tag[("target_groups", t["slug"])].append(v)
        for t in v["intervention_types"]:
            by_tag[("intervention_types", t["slug"])].append(v)
        money_orgs = {f[k] for f in v["funding"] for k in ("funder", "recipient") if f.get(k)}
        for slug in sorted({o["slug"] for o in v["organisations"]} | money_orgs):
            by_org[slug].append(v)
    return Site(
        vocab=vocab, schema=schema, site_url=site_url, build_date=build_date,
        review_after_months=review_after_months, max_age_years=max_age_years,
        schemes=views,
        by_slug=by_slug,
        by_force=dict(by_force), by_tag=dict(by_tag), by_organisation=dict(by_org),
        counts={
            "schemes": len(views),
            "forces": len(by_force),
            "organisations": len(by_org),
            "outcomes": sum(len(v["outcomes"]) for v in views),
            "results": sum(len(v["results"]) for v in views),
            **coverage_counts(views),
        },
        forces=listings.force_listing(vocab, by_force),
        tag_groups=listings.tag_listing(vocab, by_tag),
        providers=listings.provider_listing(vocab, by_org),
        map_tiles=listings.map_tiles(vocab, by_force),
        charts=listings.charts(views, vocab),
        needs_review=sorted((v for v in views if v["review_due"]),
                            key=lambda v: ((dates.span(v["information_date"]) or (datetime.date.max,))[0],
                                           v["last_reviewed"], v["slug"])),
        related=RelatedSchemes(views) if everyone is None else _related_in_register(
            views, everyone, lambda s: scheme_view(s, vocab, register, site_url=site_url, build_date=build_date,
                                                   review_after_months=review_after_months,
                                                   max_age_years=max_age_years)),
    )


class _Related:
    """Related schemes worked out beforehand: a preview's entries among every entry of the register."""

    def __init__(self, table: dict[str, list[dict]]):
        self.table = table

    def of(self, view: dict) -> list[dict]:
        return self.table.get(view["slug"], [])


def _related_in_register(views: list[SchemeView], everyone: list[Scheme], make_view) -> _Related:
    """The related schemes a full build would list for each of `views`, found among `everyone`.

    Only slugs and tags of the whole register are indexed (in the full build's order, by title);
    full views are made only for the few schemes listed."""
    light = [{"slug": s.slug, "target_groups": [{"slug": t} for t in s.data["target_groups"]],
              "intervention_types": [{"slug": t} for t in s.data["intervention_types"]]}
             for s in sorted(everyone, key=lambda s: s.data["title"].casefold())]
    index = RelatedSchemes(light)
    by_slug = {v["slug"]: v for v in views}
    schemes = {s.slug: s for s in everyone}
    table = {}
    for v in views:
        if v["slug"] not in index.position:
            continue
        found = index.of(v)
        table[v["slug"]] = [{"view": by_slug.get(r["view"]["slug"]) or make_view(schemes[r["view"]["slug"]]),
                             "shared": r["shared"]} for r in found]
    return _Related(table)


CURRENT_FROM = 2022  # "recent" on the home page: information dated this year or later


def coverage_counts(views: list[SchemeView]) -> dict:
    """How complete and how current the register is, for the home page: documents cited, entries with an amount,
    entries whose newest information is from CURRENT_FROM or later, and the newest and oldest information."""
    years = sorted(y for y in (v["information_date"][:4] for v in views) if y.isdigit())  # a preview's TODO has none
    return {
        "documents": len({s["document"] for v in views for s in v["sources"]}),
        "with_amount": sum(1 for v in views if v["funding_band_kind"]),
        "current": sum(1 for y in years if int(y) >= CURRENT_FROM),
        "current_from": CURRENT_FROM,
        "newest_year": years[-1] if years else "",
        "oldest_year": years[0] if years else "",
    }
