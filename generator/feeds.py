"""Feeds to follow: an Atom feed per force area, organisation, target group and intervention type.

Each feed lists, for the schemes of its page, three kinds of entry, each dated
from the data (never the build time): a scheme added to the register (its
`added` date), a scheme's entry checked again and changed (its `last_reviewed`
date, when later than `added`; the entry says what the register holds now, as
the register keeps no history of earlier values) and a scheme that has ended
(its end date, else the date of the information). Ids are tag: URIs made from
the site's host, a date and slugs, so they are the same in every build and an
entry has the same id in every feed that carries it. Written with ElementTree,
which escapes every text, so a hostile title is only ever text. A feed with no
entries is still a valid feed (its `updated` is the date feeds began).
"""
from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET

from . import dates

ATOM = "http://www.w3.org/2005/Atom"
SITE_NAME = "Reducing Reoffending Schemes"
FEEDS_BEGAN = "2026-12-06"  # the date in every feed's own id, and the `updated` of a feed with no entries

# Finder facet key -> the folder of the pages whose feeds it maps to (finder.js reads the same mapping from the page).
FINDER_FEEDS = {"forces": "forces", "target_groups": "tags", "intervention_types": "tags", "providers": "providers"}


def authority(site_url: str) -> str:
    return urllib.parse.urlsplit(site_url).hostname or "localhost"


def feed_path(folder: str, slug: str) -> str:
    """The feed's path in the site: forces/kent/feed.xml (next to the page /forces/kent/)."""
    return f"{folder}/{slug}/feed.xml"


def events(view: dict) -> list[dict]:
    """The feed entries one scheme gives: added, changed (reviewed after it was added), ended."""
    slug, out = view["slug"], []
    added = str(view["added"])
    out.append({"kind": "added", "date": added, "view": view,
                "title": f"New: {view['title']}",
                "text": f"Added to the register on {dates.format_date(added)}. {view['summary']}"})
    reviewed = str(view["last_reviewed"])
    if dates.first_day(reviewed) > dates.first_day(added):
        out.append({"kind": "changed", "date": reviewed, "view": view,
                    "title": f"Changed: {view['title']}",
                    "text": f"Entry checked against its sources again on {dates.format_date(reviewed)}. Now: "
                            f"{view['status_text']}; evidence: {view['evidence_step']['name']}; "
                            f"{view['information_text']}." + (f" Funding: {view['funding_total_text']}."
                                                                if view["funding_total_text"] else "")})
    if view["status"] == "ended":
        ended = str(view["data"].get("end") or view["as_of"])
        out.append({"kind": "ended", "date": ended, "view": view,
                    "title": f"Ended: {view['title']}",
                    "text": f"This scheme has ended ({dates.format_date(ended)}). Its page is kept as a record."})
    for e in out:
        e["id_path"] = f"schemes/{slug}/{e['kind']}"
    return out


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def atom_feed(views: list[dict], site_url: str, page_path: str, title: str) -> bytes:
    """The Atom document for the schemes of one page (`page_path` like "forces/kent/")."""
    host, root = authority(site_url), site_url.rstrip("/") + "/"
    entries = sorted((e for v in views for e in events(v)),
                     key=lambda e: (dates.first_day(e["date"]), e["view"]["slug"], e["kind"]), reverse=True)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "en-GB"})
    _sub(feed, "title", f"{SITE_NAME}: {title}")
    _sub(feed, "id", f"tag:{host},{FEEDS_BEGAN}:{page_path.rstrip('/')}")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{root}{page_path}")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{root}{page_path}feed.xml")
    _sub(feed, "updated", dates.timestamp(entries[0]["date"]) if entries else dates.timestamp(FEEDS_BEGAN))
    _sub(_sub(feed, "author"), "name", SITE_NAME)
    for e in entries:
        v = e["view"]
        entry = _sub(feed, "entry")
        _sub(entry, "title", e["title"])
        _sub(entry, "id", f"tag:{host},{dates.first_day(e['date']).isoformat()}:{e['id_path']}")
        _sub(entry, "link", rel="alternate", type="text/html", href=v["url"])
        _sub(entry, "published", dates.timestamp(e["date"]))
        _sub(entry, "updated", dates.timestamp(e["date"]))
        _sub(entry, "summary", e["text"])
        _sub(entry, "category", term=e["kind"])
        for f in v["forces"]:
            _sub(entry, "category", term=f["slug"], label=f["name"])
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def feed_pages(site) -> list[tuple[str, dict]]:
    """(path, writer arguments) of every page's feed: force areas, tags, organisations."""
    out = []
    for force in site.forces:
        out.append((feed_path("forces", force["slug"]),
                    {"views": site.by_force.get(force["slug"], []), "page_path": f"forces/{force['slug']}/",
                     "title": f"schemes in the {force['name']} force area"}))
    for group in site.tag_groups:
        for tag in group["entries"]:
            out.append((feed_path("tags", tag["slug"]),
                        {"views": tag["schemes"], "page_path": f"tags/{tag['slug']}/",
                         "title": f"schemes tagged {tag['name']}"}))
    for p in site.providers:
        out.append((feed_path("providers", p["slug"]),
                    {"views": [r["view"] for r in p["rows"]], "page_path": f"providers/{p['slug']}/",
                     "title": f"schemes {p['name']} delivers, funds or supports"}))
    return [(path, {**args, "site_url": site.site_url}) for path, args in out]
