"""Listings across schemes: per force, per tag, per organisation, charts, the map, the feed order.

Each function takes finished scheme views and returns plain data for a page
or a download; nothing here renders.
"""
from __future__ import annotations

import math
from collections import Counter

from . import dates, money
from .formatting import office_title_note
from .vocabularies import Vocabularies


def provider_listing(vocab: Vocabularies, by_organisation: dict[str, list[dict]]) -> list[dict]:
    """Every organisation named by a scheme, with what it does where, most schemes first."""
    out = []
    for slug, members in by_organisation.items():
        entry = vocab["organisations"][slug]
        rows = []
        for v in members:
            roles = [o["role_name"] for o in v["organisations"] if o["slug"] == slug]
            money = [f for f in v["funding"] if slug in (f.get("funder"), f.get("recipient"))]
            if any(f.get("funder") == slug for f in money) and "Funds" not in roles:
                roles.append(vocab.label("roles", "funds"))
            if any(f.get("recipient") == slug for f in money) and not roles:
                roles.append("Receives funding")
            rows.append({
                "view": v,
                "roles": roles,
                "funding": money,
                "money_text": "; ".join(f"{f['amount_text']}{' (' + f['period_text'] + ')' if f['period_text'] else ''}" for f in money),
                # for a scheme it delivers without an amount tied to it: what the scheme's funders paid
                "scheme_money_text": "" if money else "; ".join(
                    f"{f['amount_text']}{' ' + f['from_text'] if f['from_text'] else ''}"
                    f"{' (' + f['period_text'] + ')' if f['period_text'] else ''}" for f in v["funding"]),
                "period_text": v["dates_text"],
            })
        offices = sorted({f["office"] for r in rows for f in r["view"]["forces"]})
        out.append({
            "slug": slug, "name": entry["name"], "kind": entry["kind"],
            "kind_name": vocab.label("organisation_kinds", entry["kind"]),
            "website": entry.get("website", ""), "rows": rows, "offices": offices,
        })
    out.sort(key=lambda p: (-len(p["rows"]), p["name"].casefold()))
    return out


def force_listing(vocab: Vocabularies, by_force: dict[str, list[dict]]) -> list[dict]:
    """Each of the 43 force areas with its schemes, charts and funding tables, in vocabulary order."""
    forces = []
    for slug, entry in vocab["forces"].items():
        members = by_force.get(slug, [])
        sums = money.sums([f for v in members for f in v["funding"]])
        forces.append({**entry, "schemes": members, "charts": charts(members, vocab),
                       "funding_by_year": money.by_span(members),
                       "funding_by_intervention": money.by_types(members, vocab),
                       "funding_not_counted": money.not_counted(members),
                       "funding_total": sums["total"], "funding_total_text": sums["total_text"],
                       "funding_per_year": sums["per_year"], "funding_per_year_text": sums["per_year_text"],
                       "region_name": vocab.label("regions", entry["region"]),
                       "office_title_name": office_title_note(entry["office"], vocab.label("office_titles", entry["office_title"]))})
    return forces


TAG_VOCABULARIES = (("target_groups", "Target groups"), ("intervention_types", "Intervention types"))


def tag_listing(vocab: Vocabularies, by_tag: dict[tuple[str, str], list[dict]]) -> list[dict]:
    """Target groups and intervention types, each value with its schemes: [{heading, entries}]."""
    groups = []
    for vocab_name, heading in TAG_VOCABULARIES:
        entries = [{**entry, "schemes": by_tag.get((vocab_name, slug), []), "vocab": vocab_name}
                   for slug, entry in vocab[vocab_name].items()]
        groups.append({"heading": heading, "entries": entries})
    return groups


HEX = 46  # distance between tile centres, in SVG units


def map_tiles(vocab: Vocabularies, by_force: dict) -> list[dict]:
    """Hex tiles for the force map: centre, outline and shade from the number of schemes."""
    counts = {slug: len(by_force.get(slug, [])) for slug in vocab["forces"]}
    top = max(counts.values()) if counts else 0
    tiles = []
    for slug, pos in vocab["force_map"].items():
        cx = HEX * (pos["col"] + 0.5 * (pos["row"] % 2)) + HEX / 2 + 4
        cy = HEX * 0.87 * pos["row"] + HEX / 2 + 4
        r = HEX / math.sqrt(3)
        points = " ".join(
            f"{cx + r * math.cos(math.radians(60 * i - 30)):.1f},{cy + r * math.sin(math.radians(60 * i - 30)):.1f}"
            for i in range(6)
        )
        n = counts[slug]
        if n == 0:
            shade = 0
        elif top <= 1:
            shade = 1
        else:
            shade = 1 + min(3, int(3 * (n - 1) / (top - 1)))
        force = vocab["forces"][slug]
        tiles.append({"slug": slug, "name": force["name"], "abbr": pos["abbr"], "count": n,
                      "cx": round(cx, 1), "cy": round(cy, 1), "points": points, "shade": shade,
                      "region_name": vocab.label("regions", force["region"]), "office": force["office"]})
    return tiles


def map_size(tiles: list[dict]) -> tuple[int, int]:
    return (int(max(t["cx"] for t in tiles) + HEX), int(max(t["cy"] for t in tiles) + HEX))


def charts(views: list[dict], vocab: Vocabularies) -> list[dict]:
    """Counts of schemes by target group, intervention type, stage and region, for bar charts."""
    def count(name, key_of, link):
        tally = Counter()
        for v in views:
            for key in set(key_of(v)):
                tally[key] += 1
        bars = [{"slug": k, "label": vocab.label(name, k), "count": tally[k], "link": link(k)}
                for k in vocab[name] if tally[k]]
        bars.sort(key=lambda b: (-b["count"], b["label"]))
        return bars

    made = [
        ("target-groups", "Schemes by target group", count("target_groups", lambda v: [t["slug"] for t in v["target_groups"]], lambda k: f"tags/{k}/")),
        ("intervention-types", "Schemes by intervention type", count("intervention_types", lambda v: [t["slug"] for t in v["intervention_types"]], lambda k: f"tags/{k}/")),
        ("stages", "Schemes by stage of the justice pathway", count("stages", lambda v: [t["slug"] for t in v["stages"]], lambda k: "")),
        ("regions", "Schemes by region", count("regions", lambda v: v["regions"], lambda k: "")),
    ]
    out = []
    for key, title, bars in made:
        if not bars:
            continue
        top = max(b["count"] for b in bars)
        for i, b in enumerate(bars):
            b["y"] = i * 22
            b["width"] = round(260 * b["count"] / top, 1)
        out.append({"id": key, "title": title, "bars": bars, "height": len(bars) * 22,
                    "text": "; ".join(f"{b['label']}: {b['count']}" for b in bars)})
    return out


def feed_entries(views: list[dict]) -> list[dict]:
    """Schemes by the date they were added or last reviewed, newest first (dates from the data)."""
    entries = []
    for v in views:
        published = dates.timestamp(v["added"])
        updated = max(published, dates.timestamp(v["last_reviewed"]))
        entries.append({"view": v, "published": published, "updated": updated})
    entries.sort(key=lambda e: (e["updated"], e["view"]["slug"]), reverse=True)
    return entries


def newest(views: list[dict], n: int = 8) -> list[dict]:
    return sorted(views, key=lambda v: (v["added"], v["last_reviewed"], v["slug"]), reverse=True)[:n]
