"""Rules the JSON Schema cannot express: fields checked against each other, and files against each other.

Within one scheme: the slug matches the file name, dates are real and in
order, cited documents are among the scheme's sources, percentages lie
between 0 and 100 (and one below 1 is not a fraction written for a
percentage), a relative change says in its measure which way it went, a
reoffending result is a result (and a follow-up period comes with its cohort),
a grant's fund exists, a fund that only grants has grantees rather than deliverers, and a contact
office is named as it was at the date of the information. Across schemes: no slug or alias is
used twice. Each rule gives `Finding`s (a field path and a message); the
loader places them.

Every rule runs on every file, and reads only values that passed their own
checks: `bad` holds the paths of values that already have a problem (a schema
error, a duplicate field, a TODO), and a rule that needs one of them is
skipped rather than reported twice or run on a wrong value.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import dates
from .messages import Finding, display_path
from .slugs import SLUG_RE, why_not_slug

if TYPE_CHECKING:
    from .loader import Scheme

# Fields whose problems only show across files (a slug or alias used twice): the loader keeps their places.
CROSS_FILE_FIELDS = ("slug", "aliases")
DATE_FIELDS = ("start", "end", "as_of", "added", "confirmed_with_office", "last_reviewed")


def direction_words(units: dict) -> dict[str, frozenset]:
    """{unit: the words that say which way a change went} for units whose figures must say it
    (vocabularies/units.yaml, `direction_words`): without one in its measure a percent-change
    figure ("Reoffending compared with non-completers: 185%") reads as a level, not a rise or fall."""
    return {slug: frozenset(w.lower() for w in entry["direction_words"])
            for slug, entry in units.items() if entry.get("direction_words")}


def who_facts(vocab) -> dict:
    """What the rules about who is who need from the vocabularies: the intervention types that only pay
    for other projects (`grants_only`), and every dated name of an office or organisation, by the name in
    lower case: [(name, from, until)] for its whole history (forces' former_offices, organisations' former_names)."""
    history: dict[str, list] = {}

    def add(names: list[str], untils: list[str]):
        periods = [(n, untils[i - 1] if i else None, untils[i] if i < len(untils) else None) for i, n in enumerate(names)]
        for name, _, _ in periods:
            history[name.lower()] = periods

    for entry in vocab["forces"].values():
        former = entry.get("former_offices", [])
        if former:
            add([f["office"] for f in former] + [entry["office"]], [f["until"] for f in former])
    for entry in vocab["organisations"].values():
        former = entry.get("former_names", [])
        if former:
            add([f["name"] for f in former] + [entry["name"]], [f["until"] for f in former])
    personal = {k for k, e in vocab["source_kinds"].items() if e.get("author_contacts")}
    ladder = vocab["evidence_ladder"]
    bar = ladder.get("comparison-group", {}).get("rank")
    comparative = frozenset(k for k, e in vocab["evidence_kinds"].items()
                            if bar is not None and ladder.get(e.get("ladder"), {}).get("rank", -1) >= bar)
    return {"grants_only": frozenset(k for k, e in vocab["intervention_types"].items() if e.get("grants_only")),
            "names": history,
            "author_contact_documents": frozenset(k for k, e in vocab["sources"].items() if e.get("kind") in personal),
            "comparative_evidence": comparative,
            "matched_comparisons": frozenset(k for k, e in vocab["reoffending_comparisons"].items()
                                             if e.get("comparison_evidence"))}


def _month(date: str) -> str:
    from .formatting import format_date
    return format_date(date)


def is_bad(path: tuple, bad) -> bool:
    """Whether the value at `path`, or a group it is in, already has a problem."""
    return bool(bad) and any(path[:i] in bad for i in range(len(path) + 1))


def without(value, bad, path=()):
    """A copy of the data without the values at `bad` paths: a field is left out, a list item becomes None."""
    if isinstance(value, dict):
        return {k: without(v, bad, path + (k,)) for k, v in value.items() if path + (k,) not in bad}
    if isinstance(value, list):
        return [None if path + (i,) in bad else without(v, bad, path + (i,)) for i, v in enumerate(value)]
    return value


def check_scheme(data: dict, slug: str, is_scheme=lambda slug: True, bad=frozenset(),
                 directions: dict[str, frozenset] | None = None, who: dict | None = None) -> list[Finding]:
    """What is wrong in one scheme, comparing the values that passed their own checks (its file name is `slug`.yaml).

    `is_scheme(slug)` says whether another scheme has that slug (a fund named by `part_of`).
    `bad` holds the paths of values with a problem already reported; the rules do not look at them.
    """
    out = []
    if bad:
        complete_sources = not any(p == () or p[0] == "sources" for p in bad)
        data = without(data, bad)
    else:
        complete_sources = True

    def add(path, msg):
        out.append(Finding(tuple(path), msg))

    def items(group):
        value = data.get(group)
        return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []

    if not SLUG_RE.match(slug):
        why, fixed = why_not_slug(slug)
        add([], f"file name '{slug}.yaml' is not a valid slug: it {why}; slugs are lowercase letters and digits "
                f"in words joined by single hyphens" + (f", so rename it {fixed}.yaml" if fixed else ""))
    if "slug" in data and data["slug"] != slug:
        add(["slug"], f"slug '{data['slug']}' must equal the file name '{slug}' (rename one of them)")

    def check_date(path, value):
        if value is not None and dates.span(value) is None:
            add(path, f"'{value}' is not a real date" + dates.why_not_real(value))

    def check_order(path_end, start, end):
        if start is None or end is None:
            return
        s, e = dates.span(start), dates.span(end)
        if s and e and e[1] < s[0]:
            add(path_end, f"ends ({end}) before it starts ({start}); check both dates against the source")

    for key in DATE_FIELDS:
        check_date([key], data.get(key))
    check_order(["end"], data.get("start"), data.get("end"))
    if "age_min" in data and "age_max" in data and data["age_max"] < data["age_min"]:
        add(["age_max"], f"age_max ({data['age_max']}) is below age_min ({data['age_min']})")
    # Cited documents are checked against the sources only when every source could be read.
    cited = {s.get("document") for _, s in items("sources")} if complete_sources else None
    for group in ("funding", "grants", "outcomes"):
        for i, item in items(group):
            for key in ("period_start", "period_end"):
                check_date([group, i, key], item.get(key))
            check_order([group, i, "period_end"], item.get("period_start"), item.get("period_end"))
            src = item.get("source")
            if cited is not None and isinstance(src, dict) and "document" in src and src["document"] not in cited:
                add([group, i, "source", "document"],
                    f"'{src['document']}' is not among this scheme's sources; add it to sources")
    for i, item in items("outcomes"):
        value, value_max = item.get("value"), item.get("value_max")
        if item.get("unit") == "percent":
            for key, figure in (("value", value), ("value_max", value_max)):
                if figure is None:
                    continue
                if not 0 <= figure <= 100:
                    add(["outcomes", i, key],
                        f"{figure} is not a percentage between 0 and 100; for a relative rise or fall use unit percent-change")
                elif 0 < figure < 1 and "caveat" not in item:
                    add(["outcomes", i, key],
                        f"{figure} per cent is less than 1%: is it a share written as a fraction? Percentages are "
                        f"written out of 100 (if {figure} means {round(figure * 100, 6):g}%, write {round(figure * 100, 6):g}); "
                        "if the source really gives less than 1%, keep it and add a caveat saying so")
        words = (directions or {}).get(item.get("unit"))
        if words and isinstance(item.get("measure"), str) \
                and not words.intersection(re.findall(r"[a-z]+", item["measure"].lower())):
            add(["outcomes", i, "measure"],
                f"a {item['unit']} figure must say which way it went: put the direction in the measure, "
                "for example 'Reduction in reoffending among residents' or 'How much higher the rate was than ...'")
        if value is not None and value_max is not None and value_max < value:
            add(["outcomes", i, "value_max"], "value_max is smaller than value")
        kind = item.get("kind")
        if "reoffending" in item and kind is not None and kind != "result":
            add(["outcomes", i, "reoffending"],
                f"a reoffending block belongs on a result (kind: result); this figure is kind '{kind}', "
                "so remove the block or change the kind")
        elif "follow_up_months" in (item.get("reoffending") or {}) and "cohort" not in item \
                and ("outcomes", i, "cohort") not in bad:
            add(["outcomes", i, "reoffending", "follow_up_months"],
                "a follow-up period needs the cohort size: add cohort (how many people were followed up) "
                "to this figure, or remove follow_up_months")
    for i, item in items("funding"):
        if item.get("basis") == "per-year" and item.get("qualifier") in ("at-least", "more-than") \
                and not item.get("period_start") and not item.get("period_end"):
            add(["funding", i, "qualifier"],
                f"'{item['qualifier']}' on a yearly amount with no period cannot be added up honestly: say which "
                "years it was paid (period_start and period_end), or, if the source gives the sum for the whole "
                "time, use basis: period-total")
        fund = item.get("part_of")
        if fund == slug:
            add(["funding", i, "part_of"], "a grant cannot be part of its own scheme; name the fund's entry, or remove part_of")
        elif fund and not is_scheme(fund):
            add(["funding", i, "part_of"],
                f"'{fund}' is not the slug of any scheme; part_of names the entry of the fund the grant was paid from "
                "(its file name without .yaml)")
    _check_who(data, items, add, who or {})
    aliases = data.get("aliases")
    for i, alias in enumerate(aliases if isinstance(aliases, list) else []):
        if alias == slug:
            add(["aliases", i], "an alias cannot be the scheme's own slug; aliases list former slugs only, so remove it")
    return out


def _check_who(data: dict, items, add, who: dict) -> None:
    """Who, as the source says: a fund that only grants has grantees, not deliverers; an office or organisation
    is named as it was at the date of the information."""
    types = data.get("intervention_types")
    grants_only = who.get("grants_only", frozenset())
    if isinstance(types, list) and types and all(t in grants_only for t in types):
        paid: dict[str, str] = {}
        for group in ("grants", "funding"):
            for j, item in items(group):
                if isinstance(item.get("recipient"), str):
                    paid.setdefault(item["recipient"], f"{group}[{j}]")
        for i, org in items("organisations"):
            if org.get("role") == "delivers" and org.get("organisation") in paid:
                add(["organisations", i, "role"],
                    f"'{org['organisation']}' receives money from this fund ({paid[org['organisation']]}) and the entry "
                    "says the fund only pays for other projects, so its role is grantee, not delivers; the grant's "
                    "own entry can say who delivers that project")
    for i, item in items("outcomes"):
        comparison = (item.get("reoffending") or {}).get("comparison") if isinstance(item.get("reoffending"), dict) else None
        if item.get("evidence") in who.get("comparative_evidence", ()) and isinstance(comparison, str) \
                and comparison not in who.get("matched_comparisons", ()):
            add(["outcomes", i, "evidence"],
                f"evidence '{item['evidence']}' needs a matched or statistical comparison group, but this result is "
                f"compared with '{comparison}'; only reoffending.comparison: comparison-group counts as comparison "
                "evidence (people who chose not to take part are not a comparison group): choose the evidence kind "
                "the source supports")
    contact: dict = data["contact"] if isinstance(data.get("contact"), dict) else {}
    if contact and "office" not in contact and any(k in contact for k in ("name", "email", "phone")):
        add(["contact", "office"],
            "a contact needs the office or organisation it belongs to: add office: followed by its name; a contact "
            "printed in a source for a different area or organisation is given with that organisation, or left out")
    documents = [s.get("document") for _, s in items("sources")]
    if documents and all(d in who.get("author_contact_documents", ()) for d in documents):
        for key in ("name", "email"):
            value = contact.get(key)
            if not isinstance(value, str):
                continue
            personal = key == "name" or re.fullmatch(r"[a-z]+([._-][a-z]+)+\d*", value.split("@")[0].lower())
            if personal:
                add(["contact", key],
                    f"'{value}' is an official's own {'name' if key == 'name' else 'email address'} printed in a "
                    "decision record, notice or panel paper; do not copy it: give the office's published contact "
                    "(its general email address or phone) instead, or leave the field out")
    as_of = data.get("as_of")
    office = contact.get("office")
    if isinstance(as_of, str) and isinstance(office, str):
        periods = who.get("names", {}).get(office.strip().lower())
        if periods:
            name, start, until = next(p for p in periods if p[0].lower() == office.strip().lower())
            if (start and as_of < start) or (until and as_of >= until):
                right = next((n for n, a, b in periods if (not a or as_of >= a) and (not b or as_of < b)), None)
                span = (f"from {_month(start)}" if start else "") + (" " if start and until else "") + \
                       (f"until {_month(until)}" if until else "")
                add(["contact", "office"],
                    f"'{office}' is the office's name {span}, but the information is as of {_month(as_of)}"
                    + (f", when it was named '{right}': write that name" if right else "")
                    + ", or check as_of")


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
            if alias is None:  # it has a problem of its own
                continue
            if alias in owner and owner[alias] is not s:
                out.append((s, Finding(("aliases", i), f"alias '{alias}' is the slug of another scheme "
                                       f"({display_path(owner[alias].path)}); choose another or remove it")))
            elif alias in alias_owner and alias_owner[alias] is not s:
                out.append((s, Finding(("aliases", i),
                                       f"alias '{alias}' is already an alias of {display_path(alias_owner[alias].path)}")))
            else:
                alias_owner[alias] = s
    return out
