"""Rules the JSON Schema cannot express: fields checked against each other, and files against each other.

Within one scheme: the slug matches the file name, dates are real and in
order, cited documents are among the scheme's sources, percentages lie
between 0 and 100, a reoffending result is a result (and a follow-up period
comes with its cohort), a grant's fund exists. Across schemes: no slug or alias is used twice. Each rule
gives `Finding`s (a field path and a message); the loader places them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import dates
from .messages import Finding, display_path
from .slugs import SLUG_RE

if TYPE_CHECKING:
    from .loader import Scheme

# Fields whose problems only show across files (a slug or alias used twice): the loader keeps their places.
CROSS_FILE_FIELDS = ("slug", "aliases")
DATE_FIELDS = ("start", "end", "as_of", "added", "last_reviewed")


def check_scheme(data: dict, slug: str, is_scheme=lambda slug: True) -> list[Finding]:
    """What is wrong in one scheme that the schema accepted (its file name is `slug`.yaml).

    `is_scheme(slug)` says whether another scheme has that slug (a fund named by `part_of`).
    """
    out = []

    def add(path, msg):
        out.append(Finding(tuple(path), msg))

    if not SLUG_RE.match(slug):
        add([], f"file name '{slug}.yaml' is not a valid slug: use lowercase letters, digits and hyphens")
    if data.get("slug") != slug:
        add(["slug"], f"slug '{data.get('slug')}' must equal the file name '{slug}' (rename one of them)")

    def check_date(path, value):
        if value is not None and dates.span(value) is None:
            add(path, f"'{value}' is not a real date" + dates.why_not_real(value))

    def check_order(path_start, path_end, start, end):
        if start is None or end is None:
            return
        s, e = dates.span(start), dates.span(end)
        if s and e and e[1] < s[0]:
            add(path_end, f"ends ({end}) before it starts ({start}); check both dates against the source")

    for key in DATE_FIELDS:
        check_date([key], data.get(key))
    check_order(["start"], ["end"], data.get("start"), data.get("end"))
    if "age_min" in data and "age_max" in data and data["age_max"] < data["age_min"]:
        add(["age_max"], f"age_max ({data['age_max']}) is below age_min ({data['age_min']})")
    cited = {s["document"] for s in data.get("sources", [])}
    for group in ("funding", "outcomes"):
        for i, item in enumerate(data.get(group, [])):
            for key in ("period_start", "period_end"):
                check_date([group, i, key], item.get(key))
            check_order([group, i, "period_start"], [group, i, "period_end"],
                        item.get("period_start"), item.get("period_end"))
            src = item.get("source")
            if src and src["document"] not in cited:
                add([group, i, "source", "document"],
                    f"'{src['document']}' is not among this scheme's sources; add it to sources")
    for i, item in enumerate(data.get("outcomes", [])):
        if item["unit"] == "percent":
            for key in ("value", "value_max"):
                if key in item and not 0 <= item[key] <= 100:
                    add(["outcomes", i, key],
                        f"{item[key]} is not a percentage between 0 and 100; for a relative rise or fall use unit percent-change")
        if "value_max" in item and item["value_max"] < item["value"]:
            add(["outcomes", i, "value_max"], "value_max is smaller than value")
        if "reoffending" in item and item["kind"] != "result":
            add(["outcomes", i, "reoffending"],
                f"a reoffending block belongs on a result (kind: result); this figure is kind '{item['kind']}', "
                "so remove the block or change the kind")
        elif "follow_up_months" in item.get("reoffending", {}) and "cohort" not in item:
            add(["outcomes", i, "reoffending", "follow_up_months"],
                "a follow-up period needs the cohort size: add cohort (how many people were followed up) "
                "to this figure, or remove follow_up_months")
    for i, item in enumerate(data.get("funding", [])):
        fund = item.get("part_of")
        if fund == slug:
            add(["funding", i, "part_of"], "a grant cannot be part of its own scheme; name the fund's entry, or remove part_of")
        elif fund and not is_scheme(fund):
            add(["funding", i, "part_of"],
                f"'{fund}' is not the slug of any scheme; part_of names the entry of the fund the grant was paid from "
                "(its file name without .yaml)")
    for i, alias in enumerate(data.get("aliases", [])):
        if alias == slug:
            add(["aliases", i], "an alias cannot be the scheme's own slug; aliases list former slugs only, so remove it")
    return out


def check_across(schemes: list[Scheme]) -> list[tuple[Scheme, Finding]]:
    """Slugs and aliases used by more than one scheme: each finding with the scheme it is in."""
    out = []
    owner: dict[str, Scheme] = {}
    for s in schemes:
        if s.slug in owner:
            out.append((s, Finding(("slug",), f"slug '{s.slug}' is also used by {display_path(owner[s.slug].path)}")))
        else:
            owner[s.slug] = s
    alias_owner: dict[str, Scheme] = {}
    for s in schemes:
        for i, alias in enumerate(s.data.get("aliases", [])):
            if alias in owner and owner[alias] is not s:
                out.append((s, Finding(("aliases", i), f"alias '{alias}' is the slug of another scheme "
                                       f"({display_path(owner[alias].path)}); choose another or remove it")))
            elif alias in alias_owner and alias_owner[alias] is not s:
                out.append((s, Finding(("aliases", i),
                                       f"alias '{alias}' is already an alias of {display_path(alias_owner[alias].path)}")))
            else:
                alias_owner[alias] = s
    return out
