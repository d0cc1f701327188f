"""Every generated page and file, declared in one list: its path, its template or writer, its data.

`declare(site)` is the whole site map of what the generator adds to docs/
(hand-written pages stay in docs/). Each `Page` is rendered by
render.Renderer: a template gets `data` (plus `root`, the way back to the site
root); a writer is called with `data` as keyword arguments and returns bytes (or the path of a file
holding them: a picture card in its cache).
Pages that take longest are declared first, so the parallel renderer starts
them first. Data is taken from the finished Site; nothing is computed here
beyond picking what each page gets.
"""
from __future__ import annotations

import pathlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from . import calendars, cards, database, downloads, feeds, finder_data, listings, site_search, sources, structured_data
from .contribute import contribute_context
from .prepare import Site
from .schema import schema_fields

HOME_DESCRIPTION = "Local schemes that Police and Crime Commissioners in England and Wales fund or run to reduce reoffending."


@dataclass(frozen=True)
class Page:
    path: str                                   # docs-relative output path: "schemes/x.md", "data/schemes.csv"
    template: str = ""                          # a template in generator/templates/ ...
    writer: Callable[..., bytes | pathlib.Path] | None = None  # ... or a function that writes the file
    data: dict[str, Any] = field(default_factory=dict)  # the template's variables, or the writer's arguments
    meta: dict[str, Any] | None = None          # front matter of a Markdown page (title, description, tags, scheme)
    edit: str | None = None                     # repository path behind "Edit this page"; None: no edit link


def _md(path: str, template: str, title: str, description: str, **data) -> Page:
    return Page(path, template=template, data=data, meta={"title": title, "description": description})


def _wide(page: Page) -> Page:
    """A page without Material's table-of-contents column: the finder and the compare page need the width."""
    return Page(page.path, template=page.template, data=page.data, meta={**(page.meta or {}), "hide": ["toc"]})


# Pages that list or draw schemes stay out of the site search (generator/site_search.py):
# a scheme is found by its own page, not by every listing that names it. Force and
# organisation pages are searched, by what they say about the force or organisation.
LISTINGS = ("index.md", "schemes/index.md", "forces/index.md", "providers/index.md", "tags/",
            "map.md", "finder.md", "compare.md", "about/needs-review.md", "about/sources.md")


def followed(page: Page, folder: str, slug: str, name: str) -> Page:
    """The page with its Atom feed named in front matter (`feed`, `feed_title`: the theme's <link rel="alternate">)
    and in its data (`feed`: the template's visible link)."""
    path = feeds.feed_path(folder, slug)
    return replace(page, meta={**page.meta, "feed": path, "feed_title": f"{name}: new, changed and ended schemes"},
                   data={**page.data, "feed": path})


def not_searched(page: Page) -> Page:
    """The page with front matter `search: {exclude: true}` if it is a listing."""
    if not any(page.path == p or (p.endswith("/") and page.path.startswith(p)) for p in LISTINGS):
        return page
    return replace(page, meta={**page.meta, "search": {"exclude": True}})


def declare(site: Site) -> list[Page]:
    """The generated pages and files of this site, slowest first."""
    pages = site_pages(site) + data_files(site) + [page for v in site.schemes for page in scheme_files(site, v)]
    return with_cards(site, pages) if cards.enabled() else pages


def with_cards(site: Site, pages: list[Page]) -> list[Page]:
    """Each scheme, force, organisation and tag page and the home page with its picture card (front matter
    `card`, `card_alt`: the theme's og:image), the cards first (they take longest to draw when not cached)."""
    specs = cards.site_cards(site)
    drawn, out = [], []
    for page in pages:
        if page.path in specs:
            path, spec = specs[page.path]
            page = replace(page, meta={**(page.meta or {}), "card": path, "card_alt": cards.alt_text(spec)})
            drawn.append(Page(path, writer=cards.card_file, data={"spec": spec}))
        out.append(page)
    return drawn + out


def site_pages(site: Site) -> list[Page]:
    """Pages about the whole register: listings first (they are the longest)."""
    vocab = site.vocab
    pages = [_md("schemes/index.md", "schemes_index.md.j2", "All schemes",
                 "Every scheme in the register in one table.", schemes=site.schemes)]
    pages.append(_md("forces/index.md", "forces_index.md.j2", "Force areas",
                     "The 43 police force areas of England and Wales and their schemes.", forces=site.forces))
    pages += [followed(_md(f"forces/{force['slug']}.md", "force.md.j2", force["name"],
                           f"Schemes to reduce reoffending in the {force['name']} force area.", force=force),
                       "forces", force["slug"], force["name"])
              for force in site.forces]
    for group in site.tag_groups:
        pages += [followed(_md(f"tags/{tag['slug']}.md", "tag.md.j2", tag["name"], tag.get("description", ""),
                               tag=tag, schemes=tag["schemes"], heading=group["heading"]),
                           "tags", tag["slug"], tag["name"])
                  for tag in group["entries"]]
    pages.append(_md("tags/index.md", "tags_index.md.j2", "Tags",
                     "Schemes by target group and by intervention type.", groups=site.tag_groups))
    pages.append(_md("providers/index.md", "providers_index.md.j2", "Organisations",
                     "Every organisation that delivers, funds or supports a scheme, most schemes first.",
                     providers=site.providers))
    pages += [followed(_md(f"providers/{p['slug']}.md", "provider.md.j2", p["name"],
                           f"Schemes that {p['name']} delivers, funds or supports.", p=p,
                           jsonld=structured_data.script(structured_data.organisation_data(p, site.site_url))),
                       "providers", p["slug"], p["name"])
              for p in site.providers]
    size = listings.map_size(site.map_tiles)
    fields = schema_fields(site.schema)
    pages += [
        _md("index.md", "home.md.j2", "Reducing Reoffending Schemes", HOME_DESCRIPTION,
            counts=site.counts, newest=listings.newest(site.schemes), map_tiles=site.map_tiles,
            map_size=size, charts=site.charts),
        _md("map.md", "map.md.j2", "Map of force areas",
            "The 43 force areas of England and Wales, shaded by number of schemes.", tiles=site.map_tiles, size=size),
        _wide(_md("finder.md", "finder.md.j2", "Find schemes",
                  "Filter every scheme by area, group, approach, stage, status, evidence, funding and provider.",
                  schemes=site.schemes, facets=finder_data.finder_facets(), feed_folders=feeds.FINDER_FEEDS)),
        _wide(_md("compare.md", "compare.md.j2", "Compare schemes", "Two to four schemes side by side.",
                  schemes=site.schemes)),
        _md("about/data.md", "about_data.md.j2", "About the data",
            "What each download holds, column by column, and the licence.",
            columns=[(name, desc) for name, desc, _ in downloads.CSV_COLUMNS], fields=fields,
            licence=downloads.LICENCE, grant_columns=downloads.GRANT_COLUMN_NOTES,
            tables=database.TABLES, queries=database.EXAMPLE_QUERIES,
            jsonld=structured_data.script(structured_data.dataset_data(
                site.site_url, downloads.LICENCE, site.build_date.isoformat(), HOME_DESCRIPTION))),
        _md("about/evidence.md", "about_evidence.md.j2", "The evidence ladder",
            "How far each scheme has been tested, step by step.",
            ladder=list(vocab["evidence_ladder"].values()), monitored_name=vocab.label("evidence_ladder", "monitored"),
            kinds=[{**k, "ladder_name": vocab.label("evidence_ladder", k["ladder"])} for k in vocab["evidence_kinds"].values()]),
        _md("about/sources.md", "about_sources.md.j2", "Sources",
            "Every document the register cites, with its publisher, date, kind, web address and the entries citing it.",
            docs=sources.source_listing(vocab, site.schemes)),
        _md("about/needs-review.md", "needs_review.md.j2", "Entries to confirm",
            "Entries whose information is too old to confirm their status, or whose last review is old, oldest information first.",
            schemes=site.needs_review, months=site.review_after_months, max_age_years=site.max_age_years),
        _md("contribute.md", "contribute.md.j2", "Add or correct a scheme",
            "How to add or correct a scheme by pull request, with every field and allowed value.",
            vocab=vocab, **contribute_context(fields, vocab, site.schemes)),
    ]
    return [not_searched(page) for page in pages]


def data_files(site: Site) -> list[Page]:
    """Downloads and other files about the whole register: the big ones first."""
    grants = downloads.grants(site.schemes)
    events = calendars.end_events(site.schemes)
    files = [
        Page("data/schemes.csv", writer=downloads.schemes_csv, data={"views": site.schemes, "units": site.vocab["units"],
                                                                   "bands": site.vocab["funding_bands"]}),
        Page("data/schemes.json", writer=downloads.schemes_json,
             data={"views": site.schemes, "build_date": site.build_date.isoformat()}),
        Page("schema/scheme.schema.json", writer=downloads.schema_json, data={"schema": site.schema}),
        Page("feed.xml", template="feed.xml.j2", data=feed_data(site)),
        Page("data/finder.json", writer=finder_data.finder_data, data={"views": site.schemes, "vocab": site.vocab}),
        Page("data/funding-ends.ics", writer=calendars.calendar_ics,
             data={"events": events, "name": "Reducing Reoffending Schemes: funding and scheme end dates"}),
    ]
    files += [Page(f"forces/{slug}/funding-ends.ics", writer=calendars.calendar_ics,
                   data={"events": [e for e in events if slug in e["forces"]],
                         "name": f"{force['name']}: funding and scheme end dates"})
              for slug, force in site.vocab["forces"].items()]
    files.append(Page("data/organisation-names.json", writer=site_search.organisation_names,
                      data={"providers": site.providers}))
    files.append(Page("data/register.sqlite", writer=database.register_sqlite,
                      data={"views": site.schemes, "vocab": site.vocab, "build_date": site.build_date.isoformat(),
                            "organisation_pages": [p["slug"] for p in site.providers]}))
    files += [Page(path, writer=feeds.atom_feed, data=args) for path, args in feeds.feed_pages(site)]
    files += [Page("data/grants.json", writer=downloads.grants_json, data={"records": grants}),
              Page("data/grants.csv", writer=downloads.grants_csv, data={"records": grants})]
    return files


def feed_data(site: Site) -> dict:
    entries = listings.feed_entries(site.schemes)
    updated = entries[0]["updated"] if entries else "1970-01-01T00:00:00Z"
    return {"entries": entries, "updated": updated, "site_url": site.site_url}


def scheme_files(site: Site, view: dict) -> list[Page]:
    """A scheme's page, its embeddable card and the JSON the compare page reads."""
    slug = view["slug"]
    tags = [t["name"] for t in view["target_groups"]] + [t["name"] for t in view["intervention_types"]]
    return [
        Page(f"schemes/{slug}.md", template="scheme.md.j2",
             data={"s": view, "related": site.related.of(view),
                   "jsonld": structured_data.script(structured_data.scheme_data(view, site.site_url))},
             meta={"title": view["title"], "description": view["summary"], "tags": tags, "scheme": slug},
             edit=f"schemes/{slug}.yaml"),
        Page(f"schemes/{slug}/card/index.html", template="card.html.j2",
             data={"s": view, "key_figure": key_figure(view)}),
        Page(f"data/schemes/{slug}.json", writer=finder_data.scheme_json, data={"view": view}),
    ]


def key_figure(view: dict) -> dict | None:
    """The figure an embedded card shows: the headline result, else the first figure of any kind,
    named by its kind, with the first sentence of its caveat."""
    from .results import short_caveat

    figure = view["headline_result"] or (view["outcomes"][0] if view["outcomes"] else None)
    if figure is None:
        return None
    return {**figure, "kind_label": "Headline result" if figure is view["headline_result"] else figure["kind_name"],
            "short_caveat": short_caveat(figure)}
