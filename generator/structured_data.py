"""Structured data (schema.org JSON-LD) for scheme pages, organisation pages and /about/data/.

Built from the same views the pages show, so it never says more than the page:
a scheme is a `GovernmentService` that is also a `Project` (a service has a
`provider`, a project a `funder` and `funding`), serving the force areas
(`areaServed`), delivered by the organisations whose role is "delivers", paid
for by the funders its funding records name, each record with an amount as a
`MonetaryGrant`. Serialised with json.dumps and made safe for a <script>
element: <, > and & are written as \\u003c, \\u003e, \\u0026, so no text from a
scheme file can close the script or open a comment.
"""
from __future__ import annotations

import json

from markupsafe import Markup

SITE_NAME = "Reducing Reoffending Schemes"
_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                       "\u2028": "\\u2028", "\u2029": "\\u2029"})

# Where the source states a bound rather than an exact amount (money.py's qualifiers).
_BOUND = {"up-to": "maxValue", "less-than": "maxValue", "at-least": "minValue", "more-than": "minValue"}


def script(data: dict) -> Markup:
    """A <script type="application/ld+json"> element holding `data`, safe whatever its text."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SAFE)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def _root(site_url: str) -> str:
    return site_url.rstrip("/") + "/"


def _organisation(site_url: str, slug: str | None, name: str) -> dict:
    org = {"@type": "Organization", "name": name}
    if slug:
        org["@id"] = f"{_root(site_url)}providers/{slug}/#organisation"
        org["url"] = f"{_root(site_url)}providers/{slug}/"
    return org


def monetary_grant(site_url: str, f: dict) -> dict:
    """One funding record (views.FundingItem) with an amount, as a MonetaryGrant."""
    amount: dict = {"@type": "MonetaryAmount", "currency": "GBP"}
    amount[_BOUND.get(f.get("qualifier", "exact"), "value")] = f["amount"]
    grant = {"@type": "MonetaryGrant", "name": f["purpose"], "description": f["amount_basis_text"], "amount": amount}
    if f.get("funder_name"):
        grant["funder"] = _organisation(site_url, f.get("funder_slug"), f["funder_name"])
    if f.get("period_start"):
        grant["startDate"] = str(f["period_start"])
    if f.get("period_end"):
        grant["endDate"] = str(f["period_end"])
    return grant


def scheme_data(view: dict, site_url: str) -> dict:
    """The JSON-LD of a scheme page."""
    root = _root(site_url)
    funders: dict[str, dict] = {}
    for f in view["funding"]:
        if f.get("funder_name"):
            funders.setdefault(f["funder_name"], _organisation(site_url, f.get("funder_slug"), f["funder_name"]))
    data = {
        "@context": "https://schema.org",
        "@type": ["GovernmentService", "Project"],
        "@id": f"{view['url']}#scheme",
        "name": view["title"],
        "description": view["summary"],
        "url": view["url"],
        "areaServed": [{"@type": "AdministrativeArea", "name": f"{f['name']} police force area",
                        "url": f"{root}forces/{f['slug']}/"} for f in view["forces"]],
        "provider": [_organisation(site_url, o["slug"], o["name"]) for o in view["providers"]],
        "funder": list(funders.values()),
        "funding": [monetary_grant(site_url, f) for f in view["funding"] if f.get("amount") not in (None, "")],
        "serviceType": [t["name"] for t in view["intervention_types"]],
        "audience": [{"@type": "Audience", "audienceType": t["name"]} for t in view["target_groups"]],
        "isPartOf": {"@type": "Dataset", "name": SITE_NAME, "url": f"{root}about/data/"},
    }
    if view["data"].get("start"):
        data["foundingDate"] = str(view["data"]["start"])
    if view["status"] == "ended" and view["data"].get("end"):
        data["dissolutionDate"] = str(view["data"]["end"])
    return {k: v for k, v in data.items() if v not in ([], "")}


def organisation_data(p: dict, site_url: str) -> dict:
    """The JSON-LD of an organisation page (listings.provider_listing entry)."""
    data = {"@context": "https://schema.org", **_organisation(site_url, p["slug"], p["name"]),
            "description": p["kind_name"]}
    if p.get("website"):
        data["sameAs"] = p["website"]
    return data


# (path, name, encoding format, description) of each download the Dataset lists.
DOWNLOADS = [
    ("data/schemes.csv", "schemes.csv", "text/csv", "One row per scheme."),
    ("data/schemes.json", "schemes.json", "application/json", "Every field of every scheme, with labels and derived values."),
    ("data/grants.csv", "grants.csv", "text/csv", "Every funding record as a grant (360Giving shape)."),
    ("data/grants.json", "grants.json", "application/json", "Every funding record as a grant (360Giving JSON shape)."),
    ("data/register.sqlite", "register.sqlite", "application/vnd.sqlite3", "The register as an SQLite database."),
    ("data/funding-ends.ics", "funding-ends.ics", "text/calendar", "Funding period and scheme end dates."),
    ("feed.xml", "feed.xml", "application/atom+xml", "New and updated schemes."),
    ("schema/scheme.schema.json", "scheme.schema.json", "application/schema+json", "The JSON Schema of a scheme file."),
]


def dataset_data(site_url: str, licence: dict, build_date: str, description: str) -> dict:
    """The JSON-LD of /about/data/: the register as a Dataset with each download."""
    root = _root(site_url)
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": f"{root}about/data/#dataset",
        "name": SITE_NAME,
        "description": description,
        "url": f"{root}about/data/",
        "license": licence["url"],
        "isAccessibleForFree": True,
        "inLanguage": "en-GB",
        "spatialCoverage": {"@type": "Place", "name": "England and Wales"},
        "creator": {"@type": "Organization", "name": SITE_NAME, "url": root},
        "dateModified": build_date,
        "distribution": [{"@type": "DataDownload", "name": name, "contentUrl": f"{root}{path}",
                          "encodingFormat": fmt, "description": desc} for path, name, fmt, desc in DOWNLOADS],
    }
