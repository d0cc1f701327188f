"""Turn loaded schemes into what pages need: labels, links, indexes, derived facts.

Templates only present; every lookup, sort and computation happens here so it
can be tested without rendering, and so the pages and the data downloads are
built from the same prepared values.
"""
from __future__ import annotations


import datetime
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from .loader import Scheme
from .vocabularies import Vocabularies

QUALIFIER_WORDS = {
    "exact": "",
    "approximately": "about ",
    "at-least": "at least ",
    "more-than": "more than ",
    "up-to": "up to ",
    "less-than": "less than ",
}


def format_number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def format_money(amount, qualifier="exact") -> str:
    return f"{QUALIFIER_WORDS.get(qualifier or 'exact', '')}£{format_number(amount)}"


def format_figure(item: dict, units: dict) -> str:
    """A figure as a reader says it: 'up to 2 years', '62%', 'about £3,000'."""
    unit = item["unit"]
    words = QUALIFIER_WORDS.get(item.get("qualifier") or "exact", "")

    def one(value):
        if unit in ("percent", "percent-change"):
            return f"{format_number(value)}%"
        if unit == "gbp":
            return f"£{format_number(value)}"
        return format_number(value)

    text = one(item["value"])
    if "value_max" in item:
        text += f" to {one(item['value_max'])}"
    if unit not in ("percent", "percent-change", "gbp", "count", "ratio"):
        entry = units.get(unit, {})
        name = entry.get("singular", unit) if item["value"] == 1 and "value_max" not in item else entry.get("name", unit)
        text += f" {name}"
    return words + text


def format_period(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{format_date(start)} to {format_date(end)}"
    if start:
        return f"from {format_date(start)}"
    if end:
        return f"to {format_date(end)}"
    return ""


# English month names whatever the machine's locale (strftime's %B follows it); the site is en-GB.
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


def format_date(text: str | None) -> str:
    if not text:
        return ""
    parts = text.split("-")
    if len(parts) == 1:
        return parts[0]
    number = int(parts[1])
    if not 1 <= number <= 12:
        raise ValueError(f"no month {number} in the date {text!r}")
    month = MONTHS[number - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


@dataclass
class Site:
    """Everything the templates and exports read, prepared once per build."""

    vocab: Vocabularies
    schemes: list[dict]
    by_slug: dict[str, dict]
    by_force: dict[str, list[dict]]
    by_tag: dict[tuple[str, str], list[dict]]
    by_organisation: dict[str, list[dict]]
    counts: dict[str, int] = field(default_factory=dict)
    map_tiles: list[dict] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    needs_review: list[dict] = field(default_factory=list)
    related: "RelatedSchemes | None" = None
    review_after_months: int = 18

    @functools.cached_property
    def providers(self) -> list[dict]:
        """Worked out on first use: only the provider pages read it, and they may be rendered in a worker."""
        return provider_listing(self)


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


def prepare(schemes: list[Scheme], vocab: Vocabularies) -> Site:
    entries = _Entries(vocab)
    views = [_view(s, entries) for s in sorted(schemes, key=lambda s: s.data["title"].casefold())]
    by_slug = {v["slug"]: v for v in views}
    by_force: dict[str, list[dict]] = defaultdict(list)
    by_tag: dict[tuple[str, str], list[dict]] = defaultdict(list)
    by_org: dict[str, list[dict]] = defaultdict(list)
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
    for v in views:
        v["funding_band"] = funding_band(v, vocab)
    site = Site(vocab=vocab, schemes=views, by_slug=by_slug, by_force=dict(by_force),
                by_tag=dict(by_tag), by_organisation=dict(by_org), related=RelatedSchemes(views))
    site.counts = {
        "schemes": len(views),
        "forces": len(by_force),
        "organisations": len(by_org),
        "outcomes": sum(len(v["outcomes"]) for v in views),
    }
    site.map_tiles = map_tiles(vocab, site.by_force)
    site.charts = charts(views, vocab)
    for v in views:
        v["chain"] = commissioning_chain(v)
    return site


def provider_listing(site: "Site") -> list[dict]:
    """Every organisation named by a scheme, with what it does where, most schemes first."""
    vocab = site.vocab
    out = []
    for slug, members in site.by_organisation.items():
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
                    f"{f['amount_text']}{' from ' + f['funder_name'] if f['funder_name'] else ''}"
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


def commissioning_chain(v: dict) -> dict:
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


def funding_by_year(views: list[dict]) -> list[dict]:
    """Funding recorded per year, by the year each funding period starts (or ends)."""
    totals: Counter = Counter()
    for v in views:
        for f in v["funding"]:
            when = f.get("period_start") or f.get("period_end")
            totals[when[:4] if when else "Year not stated"] += f["amount"]
    return [{"year": k, "total": totals[k], "text": format_money(totals[k])}
            for k in sorted(totals, key=lambda y: (not y[0].isdigit(), y))]


def funding_by_intervention(views: list[dict], vocab: Vocabularies) -> list[dict]:
    totals: Counter = Counter()
    for v in views:
        for t in v["intervention_types"]:
            totals[t["slug"]] += v["funding_total"]
    return [{"name": vocab.label("intervention_types", k), "slug": k, "total": totals[k], "text": format_money(totals[k])}
            for k in vocab["intervention_types"] if totals[k]]


def mark_freshness(site: "Site", today: datetime.date, months: int) -> None:
    """Flag entries whose last review is older than the threshold (kept in mkdocs.yml)."""
    site.review_after_months = months
    due = []
    for v in site.schemes:
        reviewed = _date_floor(v["last_reviewed"])
        age = (today.year - reviewed.year) * 12 + (today.month - reviewed.month) - (today.day < reviewed.day)
        v["review_age_months"] = age
        v["review_due"] = age >= months
        if v["review_due"]:
            due.append(v)
    site.needs_review = sorted(due, key=lambda v: (v["last_reviewed"], v["slug"]))


def _date_floor(text: str) -> datetime.date:
    parts = [int(x) for x in text.split("-")] + [1, 1]
    return datetime.date(parts[0], parts[1], parts[2])


def funding_band(view: dict, vocab: Vocabularies) -> str:
    """The finder's funding band for a scheme, from vocabularies/funding_bands.yaml."""
    if not view["funding"]:
        return "not-stated"
    total = view["funding_total"]
    for slug, band in vocab["funding_bands"].items():
        if "min" in band and band["min"] <= total and ("max" not in band or total < band["max"]):
            return slug
    return "not-stated"


HEX = 46  # distance between tile centres, in SVG units


def map_tiles(vocab: Vocabularies, by_force: dict) -> list[dict]:
    """Hex tiles for the force map: centre, outline and shade from the number of schemes."""
    import math
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


def _extra(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k not in ("slug", "name")}


class _Entries:
    """Vocabulary entries as the views show them, made once per build and shared by every view.

    Thousands of views name the same 43 forces and a few dozen tags; one dict
    each is quicker to make and smaller to hold. Nothing changes them after.
    """

    def __init__(self, vocab: Vocabularies):
        self.vocab = vocab
        self.forces: dict[str, dict] = {}
        self.labelled: dict[tuple[str, str], dict] = {}

    def force(self, slug: str) -> dict:
        made = self.forces.get(slug)
        if made is None:
            vocab, entry = self.vocab, self.vocab["forces"][slug]
            made = self.forces[slug] = {
                "slug": slug,
                "name": entry["name"],
                "office": entry["office"],
                "office_title": vocab.label("office_titles", entry["office_title"]),
                "region": entry["region"],
                "region_name": vocab.label("regions", entry["region"]),
            }
        return made

    def tags(self, name: str, slugs) -> list[dict]:
        out = []
        for slug in slugs:
            made = self.labelled.get((name, slug))
            if made is None:
                made = self.labelled[(name, slug)] = {
                    "slug": slug, "name": self.vocab.label(name, slug), **_extra(self.vocab[name].get(slug, {}))}
            out.append(made)
        return out


def _view(scheme: Scheme, entries: _Entries) -> dict:
    d = scheme.data
    vocab = entries.vocab
    units = vocab["units"]
    forces = [entries.force(slug) for slug in d["forces"]]
    orgs = [{
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
    step = evidence_step(d, vocab)
    total = sum(f["amount"] for f in d.get("funding", []))
    return {
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
        "target_groups": entries.tags("target_groups", d["target_groups"]),
        "intervention_types": entries.tags("intervention_types", d["intervention_types"]),
        "stages": entries.tags("stages", d["stages"]),
        "status": d["status"],
        "status_name": vocab.label("statuses", d["status"]),
        "dates_text": format_period(d.get("start"), d.get("end")),
        "funding": funding,
        "funding_total": total,
        "funding_total_text": format_money(total) if funding else "",
        "outcomes": outcomes,
        "evidence_step": step,
        "contact": d.get("contact", {}),
        "sources": sources,
        "as_of": d["as_of"],
        "as_of_text": format_date(d["as_of"]),
        "added": d.get("added", d["last_reviewed"]),
        "last_reviewed": d["last_reviewed"],
        "last_reviewed_text": format_date(d["last_reviewed"]),
        "aliases": d.get("aliases", []),
        "eligibility": d.get("eligibility", ""),
        "ages_text": _ages(d),
        "review_due": False,  # set by mark_freshness, which knows today's date
        "review_age_months": None,
    }


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


class RelatedSchemes:
    """Up to five schemes sharing the most target groups and intervention types, ties by title.

    Exact and near-linear: every subset of each scheme's tags is indexed, and a
    scheme's neighbours are read level by level, from the largest shared subset
    down, taking only the first few (title-ordered) schemes from each list.
    Schemes with more than MAX_SUBSET_TAGS tags fall back to counting. The
    index is built once; each scheme's list is read when its page is rendered,
    which may be in a worker process; nothing is stored in the views, so they
    hold no references to one another.
    """

    def __init__(self, views: list[dict], limit: int = 5):
        self.views = views
        self.limit = limit
        self.position = {v["slug"]: i for i, v in enumerate(views)}
        self.keys = [sorted({"t:" + t["slug"] for t in v["target_groups"]} | {"i:" + t["slug"] for t in v["intervention_types"]})
                     for v in views]
        self.index: dict[tuple, list[int]] = defaultdict(list)
        self.single: dict[str, list[int]] = defaultdict(list)
        for i, ks in enumerate(self.keys):  # views are in title order, so every list is too
            for k in ks:
                self.single[k].append(i)
            if len(ks) <= MAX_SUBSET_TAGS:
                for size in range(1, len(ks) + 1):
                    for combo in combinations(ks, size):
                        self.index[combo].append(i)

    def of(self, view: dict) -> list[dict]:
        """[{"view": related view, "shared": number of tags in common}], most shared first."""
        i = self.position[view["slug"]]
        ks, limit = self.keys[i], self.limit
        found: list[tuple[int, int]] = []
        seen = {i}
        if len(ks) > MAX_SUBSET_TAGS:
            shared: Counter = Counter()
            for k in ks:
                for j in self.single[k]:
                    if j != i:
                        shared[j] += 1
            found = sorted(((n, j) for j, n in shared.items()), key=lambda nj: (-nj[0], nj[1]))[:limit]
        else:
            for size in range(len(ks), 0, -1):
                need = limit - len(found)
                if need <= 0:
                    break
                candidates = set()
                for combo in combinations(ks, size):
                    taken = 0
                    for j in self.index.get(combo, ()):
                        if j in seen:
                            continue
                        candidates.add(j)
                        taken += 1
                        if taken >= need:
                            break
                for j in sorted(candidates)[:need]:
                    found.append((size, j))
                    seen.add(j)
        return [{"view": self.views[j], "shared": n} for n, j in found]


MAX_SUBSET_TAGS = 10