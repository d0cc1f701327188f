"""Rules the JSON Schema cannot express: fields checked against each other, and files against each other.

Within one scheme: the slug matches the file name, dates are real and in
order, cited documents are among the scheme's sources, percentages lie
between 0 and 100 (and one below 1 is not a fraction written for a
percentage), a reoffending result is a result (and a follow-up period comes
with its cohort), a grant's fund exists. Across schemes: no slug or alias is
used twice. Each rule gives `Finding`s (a field path and a message); the
loader places them.

Every rule runs on every file, and reads only values that passed their own
checks: `bad` holds the paths of values that already have a problem (a schema
error, a duplicate field, a TODO), and a rule that needs one of them is
skipped rather than reported twice or run on a wrong value.
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
DATE_FIELDS = ("start", "end", "as_of", "added", "confirmed_with_office", "last_reviewed")
_MISSING = object()


def is_bad(path: tuple, bad) -> bool:
    """Whether the value at `path`, or a group it is in, already has a problem."""
    return bool(bad) and any(path[:i] in bad for i in range(len(path) + 1))


def check_scheme(data: dict, slug: str, is_scheme=lambda slug: True, bad=frozenset()) -> list[Finding]:
    """What is wrong in one scheme, comparing the values that passed their own checks (its file name is `slug`.yaml).

    `is_scheme(slug)` says whether another scheme has that slug (a fund named by `part_of`).
    """
    out = []

    def add(path, msg):
        out.append(Finding(tuple(path), msg))

    def get(*path):
        """The value at path if it is there and passed its own checks, else _MISSING."""
        if is_bad(path, bad):
            return _MISSING
        node = data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return _MISSING
        return node

    def items(group):
        value = get(group)
        return [(i, item) for i, item in enumerate(value) if isinstance(item, dict) and not is_bad((group, i), bad)] \
            if isinstance(value, list) else []

    def num(value):
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    if not SLUG_RE.match(slug):
        add([], f"file name '{slug}.yaml' is not a valid slug: use lowercase letters, digits and hyphens")
    given = get("slug")
    if given is not _MISSING and given != slug:
        add(["slug"], f"slug '{given}' must equal the file name '{slug}' (rename one of them)")

    def check_date(path, value):
        if value is not _MISSING and value is not None and dates.span(value) is None:
            add(path, f"'{value}' is not a real date" + dates.why_not_real(value))

    def check_order(path_end, start, end):
        if start is _MISSING or end is _MISSING or start is None or end is None:
            return
        s, e = dates.span(start), dates.span(end)
        if s and e and e[1] < s[0]:
            add(path_end, f"ends ({end}) before it starts ({start}); check both dates against the source")

    for key in DATE_FIELDS:
        check_date([key], get(key))
    check_order(["end"], get("start"), get("end"))
    age_min, age_max = num(get("age_min")), num(get("age_max"))
    if age_min is not None and age_max is not None and age_max < age_min:
        add(["age_max"], f"age_max ({age_max}) is below age_min ({age_min})")
    sources = get("sources")
    # Cited documents are checked against the sources only when every one of them could be read.
    cited = None
    if isinstance(sources, list) and not any(is_bad(("sources", j), bad) or is_bad(("sources", j, "document"), bad)
                                             for j in range(len(sources))):
        cited = {s.get("document") for s in sources if isinstance(s, dict)}
    for group in ("funding", "outcomes"):
        for i, item in items(group):
            for key in ("period_start", "period_end"):
                check_date([group, i, key], get(group, i, key))
            check_order([group, i, "period_end"], get(group, i, "period_start"), get(group, i, "period_end"))
            doc = get(group, i, "source", "document")
            if doc is not _MISSING and cited is not None and doc not in cited:
                add([group, i, "source", "document"],
                    f"'{doc}' is not among this scheme's sources; add it to sources")
    for i, item in items("outcomes"):
        unit, kind = get("outcomes", i, "unit"), get("outcomes", i, "kind")
        value, value_max = num(get("outcomes", i, "value")), num(get("outcomes", i, "value_max"))
        if unit == "percent":
            for key, figure in (("value", value), ("value_max", value_max)):
                if figure is None:
                    continue
                if not 0 <= figure <= 100:
                    add(["outcomes", i, key],
                        f"{figure} is not a percentage between 0 and 100; for a relative rise or fall use unit percent-change")
                elif 0 < figure < 1 and "caveat" not in item:
                    add(["outcomes", i, key],
                        f"{figure} per cent is less than one in a hundred: a share written as a fraction? Write "
                        f"percentages out of 100 (for {figure} as a fraction, {round(figure * 100, 6):g}); if the source "
                        "really gives less than 1%, keep it and add a caveat saying so")
        if value is not None and value_max is not None and value_max < value:
            add(["outcomes", i, "value_max"], "value_max is smaller than value")
        reoffending = get("outcomes", i, "reoffending")
        if reoffending is not _MISSING and kind is not _MISSING and kind != "result":
            add(["outcomes", i, "reoffending"],
                f"a reoffending block belongs on a result (kind: result); this figure is kind '{kind}', "
                "so remove the block or change the kind")
        elif (isinstance(reoffending, dict) and get("outcomes", i, "reoffending", "follow_up_months") is not _MISSING
              and "cohort" not in item):
            add(["outcomes", i, "reoffending", "follow_up_months"],
                "a follow-up period needs the cohort size: add cohort (how many people were followed up) "
                "to this figure, or remove follow_up_months")
    for i, item in items("funding"):
        fund = get("funding", i, "part_of")
        if fund is _MISSING:
            continue
        if fund == slug:
            add(["funding", i, "part_of"], "a grant cannot be part of its own scheme; name the fund's entry, or remove part_of")
        elif fund and not is_scheme(fund):
            add(["funding", i, "part_of"],
                f"'{fund}' is not the slug of any scheme; part_of names the entry of the fund the grant was paid from "
                "(its file name without .yaml)")
    aliases = get("aliases")
    for i, alias in enumerate(aliases if isinstance(aliases, list) else []):
        if alias == slug and not is_bad(("aliases", i), bad):
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
