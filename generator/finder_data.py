"""The finder's and the compare page's data: what their scripts filter and show.

The finder's facets are declared once here (FINDER_FACETS) for both the
finder page and finder.json.
"""
from __future__ import annotations

from .downloads import funding_text
from .formatting import compact_json


# (key, label, where the values' names come from: a vocabulary, a dict, or None for
# organisations named by the schemes; values of a prepared scheme). The finder's facets, in order.
FINDER_FACETS = [
    ("forces", "Force area", "forces", lambda v: [f["slug"] for f in v["forces"]]),
    ("regions", "Region", "regions", lambda v: v["regions"]),
    ("target_groups", "Target group", "target_groups", lambda v: [t["slug"] for t in v["target_groups"]]),
    ("intervention_types", "Intervention type", "intervention_types", lambda v: [t["slug"] for t in v["intervention_types"]]),
    ("stages", "Stage", "stages", lambda v: [t["slug"] for t in v["stages"]]),
    ("status", "Status", "statuses", lambda v: [v["status"]]),
    ("evidence", "Evidence", "evidence_ladder", lambda v: [v["evidence_step"]["slug"]]),
    ("funding", "Funding recorded", "funding_bands", lambda v: [v["funding_band"]]),
    ("reported", "What the sources report", "results_reported", lambda v: [v["reported"]["slug"]]),
    ("comparison", "Reoffending compared with", "reoffending_comparisons",
     lambda v: sorted({o["reoffending"]["comparison"] for o in v["reoffending"]})),
    ("providers", "Provider", None, lambda v: sorted({o["slug"] for o in v["providers"]})),
]


# Facets open when the finder loads (any facet with a ticked value opens too), and the long
# facets that get a type-to-filter box, with its label.
OPEN_FACETS = {"target_groups", "intervention_types"}
FILTER_BOXES = {"forces": "Find a force area", "providers": "Find a provider"}


def finder_data(views: list[dict], vocab) -> bytes:
    """Only what the finder filters and shows; each scheme page holds the rest.

    Facet values are sent once and referred to by position, keeping the file
    small at thousands of schemes.
    """
    facets = []
    for key, label, vocab_name, values_of in FINDER_FACETS:
        if isinstance(vocab_name, dict):
            values = [{"slug": s, "name": name} for s, name in vocab_name.items()]
        elif vocab_name:
            values = [{"slug": s, "name": vocab.label(vocab_name, s)} for s in vocab[vocab_name]]
        else:
            used = sorted({s for v in views for s in values_of(v)},
                          key=lambda s: vocab.label("organisations", s).casefold())
            values = [{"slug": s, "name": vocab.label("organisations", s)} for s in used]
        facets.append({"key": key, "label": label, "values": values,
                       "index": {val["slug"]: i for i, val in enumerate(values)}})
    schemes = []
    for v in views:
        schemes.append({
            "s": v["slug"], "t": v["title"], "u": v["summary"],
            "a": v["added"], "m": v["funding_band_amount"], "k": v["funding_band_text"],
            "y": v["information_date"], "c": v["unconfirmed_text"],
            "f": [[f["index"][x] for x in values_of(v)] for f, (_, _, _, values_of) in zip(facets, FINDER_FACETS, strict=True)],
        })
    doc = {
        "facets": [{k: f[k] for k in ("key", "label", "values")} for f in facets],
        "schemes": schemes,
    }
    return compact_json(doc)


def scheme_json(view: dict) -> bytes:
    """One scheme for the compare page: labels resolved, as the page shows them."""
    record = {
        "slug": view["slug"], "title": view["title"], "summary": view["summary"],
        "url": view["url"],
        "offices": [f["office"] for f in view["forces"]],
        "forces": [f["name"] for f in view["forces"]],
        "organisations": [{"name": o["name"], "role": o["role_name"]} for o in view["organisations"]],
        "target_groups": [t["name"] for t in view["target_groups"]],
        "intervention_types": [t["name"] for t in view["intervention_types"]],
        "stages": [t["name"] for t in view["stages"]],
        "status": view["status_name"], "as_of": view["as_of_text"], "dates": view["dates_text"],
        "status_text": view["status_text"], "time_note": view["time_note"],
        "funding": [funding_text(f) for f in view["funding"]],
        "funding_total": view["funding_total_text"],
        "reoffending": [{"measure": o["measure"], "figure": o["figure"], "cohort": o["cohort_text"],
                         "form": o["reoffending_text"]["measure"], "follow_up": o["reoffending_text"]["follow_up"],
                         "comparison": o["reoffending_text"]["comparison"],
                         "measured_by": o["reoffending_text"]["measured_by"], "caveat": o.get("caveat", "")}
                        for o in view["reoffending"]],
        "results": [_figure(o) for o in view["results"]],
        "activity": [_figure(o) for o in view["activity"]],
        "outcomes": [_figure(o) for o in view["outcomes"]],
        "evidence_step": view["evidence_step"]["name"],
        "evidence_scale": [step["reached"] for step in view["evidence_scale"]],
        "headline": [{k: row[k] for k in ("key", "label", "reported", "lines", "note")} for row in view["headline"]],
        "last_reviewed": view["last_reviewed_text"],
        "checked": f"information as of {view['as_of_text']}; entry checked {view['last_reviewed_text']}",
    }
    return compact_json(record)


def _figure(o: dict) -> dict:
    return {"kind": o["kind_name"], "measure": o["measure"], "figure": o["figure"], "cohort": o["cohort_text"],
            "period": o["period_text"], "evidence": o["evidence_name"], "caveat": o.get("caveat", "")}


def finder_facets() -> list[dict]:
    """The facets as the finder page lists them: [{key, label, open, filter_label}]."""
    return [{"key": key, "label": label, "open": key in OPEN_FACETS, "filter_label": FILTER_BOXES.get(key, "")}
            for key, label, _, _ in FINDER_FACETS]
