"""What a scheme's sources report about what it achieved: the results scale beside the evidence step.

The evidence step (views.evidence_step) says how far the results have been
tested; this says what kind of figure there is at all, from the strongest to
nothing (vocabularies/results_reported.yaml): a reoffending figure, another
outcome for participants, activity counts only, or nothing. A reoffending figure
is shown with its measure, cohort, follow-up and comparison; a comparison with
people who chose not to take part is named as such and never as a comparison
group (vocabularies/reoffending_comparisons.yaml, `comparison_evidence`).
"""
from __future__ import annotations

from typing import TypedDict

from .vocabularies import Vocabularies


class Reported(TypedDict):
    slug: str            # results_reported.yaml key: reoffending, other-outcome, activity-only, nothing
    name: str            # "A reoffending figure"
    detail: str          # "Share who reoffended; of 136; follow-up 12 months; compared with: no comparison", or ""
    comparison_evidence: bool  # a reoffending result is compared with a matched or statistical comparison group


def results_reported(view: dict, vocab: Vocabularies) -> Reported:
    """The results-scale value of a finished view (its results, activity, reoffending and headline_result)."""
    comparisons = vocab["reoffending_comparisons"]
    matched = any(comparisons.get(o["reoffending"]["comparison"], {}).get("comparison_evidence")
                  for o in view["reoffending"])
    if view["reoffending"]:
        slug = "reoffending"
        o = view["reoffending"][0]
        rt = o["reoffending_text"]
        detail = "; ".join([rt["measure"], o["cohort_text"] or "cohort not reported", f"follow-up {rt['follow_up']}",
                            f"compared with: {rt['comparison'][:1].lower()}{rt['comparison'][1:]}"])
    elif view["results"]:
        slug = "other-outcome"
        n = len(view["results"])
        detail = f"{n} result{'s' if n != 1 else ''}, none about reoffending"
    elif view["activity"]:
        slug = "activity-only"
        n = len(view["activity"])
        detail = f"{n} activity figure{'s' if n != 1 else ''}, no result for the people served"
    else:
        slug, detail = "nothing", ""
    return {"slug": slug, "name": vocab.label("results_reported", slug), "detail": detail,
            "comparison_evidence": matched}


def short_caveat(outcome: dict | None) -> str:
    """The first sentence of a figure's caveat, which a headline always carries; "" when it has none."""
    text = (outcome or {}).get("caveat", "").strip()
    if not text:
        return ""
    cut = text.find(". ")
    return text if cut < 0 else text[:cut + 1] + " (more under Results)"
