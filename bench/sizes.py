"""What the built site's data files weigh: the search index (and smaller variants of it) and the finder data.

The restricted variants answer a design question: what the index would weigh
if scheme pages were indexed by title, summary, force, providers and tags only
(and, further, with the pages that list schemes left out).
"""
from __future__ import annotations

import json
import pathlib
import re

from bench.measure import gz_len, kb

_SCHEME_PAGE = re.compile(r"^schemes/([a-z0-9-]+)/(#.*)?$")
_LISTING_PAGE = re.compile(r"^(tags|forces|providers)/[^#]*|^(finder|compare|schemes)/(#.*)?$")


def _compact(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def search_figures(site_dir: pathlib.Path, schemes: list[dict]) -> dict:
    """Sizes of site/search/search_index.json; schemes are the prepared views (slug, summary, forces, providers)."""
    path = site_dir / "search" / "search_index.json"
    if not path.exists():
        return {}
    raw = path.read_bytes()
    index = json.loads(raw)
    views = {v["slug"]: v for v in schemes}
    restricted, scheme_bytes = [], 0
    for doc in index["docs"]:
        m = _SCHEME_PAGE.match(doc["location"])
        view = views.get(m.group(1)) if m else None
        if view is None:
            restricted.append(doc)
            continue
        scheme_bytes += len(_compact(doc))
        if m.group(2):
            continue  # a section of a scheme page: not indexed in the restricted variant
        text = " ".join([view["summary"]] + [f["name"] for f in view["forces"]]
                        + [p["name"] for p in view["providers"]])
        entry = {"location": doc["location"], "title": doc["title"], "text": text}
        if "tags" in doc:
            entry["tags"] = doc["tags"]
        restricted.append(entry)
    no_listings = [d for d in restricted if not _LISTING_PAGE.match(d["location"])]
    full = _compact(index)
    small = _compact({"config": index["config"], "docs": restricted})
    smallest = _compact({"config": index["config"], "docs": no_listings})
    return {
        "search_index_kb": kb(len(raw)),
        "search_index_gz_kb": kb(gz_len(raw)),
        "search_index_docs": len(index["docs"]),
        "search_index_scheme_share_pct": round(100 * scheme_bytes / max(1, len(full)), 1),
        "search_index_restricted_kb": kb(len(small)),
        "search_index_restricted_gz_kb": kb(gz_len(small)),
        "search_index_saving_pct": round(100 * (1 - len(small) / len(full)), 1),
        # ...and with the pages that list schemes (tags, forces, providers, finder, all schemes) left out too
        "search_index_restricted_no_listings_kb": kb(len(smallest)),
        "search_index_restricted_no_listings_gz_kb": kb(gz_len(smallest)),
    }


def finder_figures(site_dir: pathlib.Path) -> dict:
    """Size of site/data/finder.json, plain and gzipped (None if the build has none)."""
    path = site_dir / "data" / "finder.json"
    if not path.exists():
        return {"finder_data_kb": None, "finder_data_gz_kb": None}
    data = path.read_bytes()
    return {"finder_data_kb": kb(len(data)), "finder_data_gz_kb": kb(gz_len(data))}
