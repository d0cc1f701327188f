"""A synthetic corpus of scheme files, for the benchmark and its test.

    python -m bench.synthetic N DIR [--seed S]

writes N valid scheme files into DIR (never into schemes/). The entries look
like real ones: every field of the schema is used, text lengths follow the
real entries (title about 40 characters, summary about 200, description about
1,000 in two to four paragraphs), every vocabulary value comes from the real
files in vocabularies/ (forces, organisations, roles, target groups,
intervention types, stages, statuses, units, evidence kinds, sources), and a
few large force areas hold hundreds of schemes each at N = 5,000. The same N
and seed always give the same files.
"""
from __future__ import annotations

import argparse
import pathlib
import random
import re
import sys

import yaml

from generator.dates import span
from generator.vocabularies import ROOT, Vocabularies, load_vocabularies

DEFAULT_SEED = 2026
# Large force areas get this many times the share of the others: with four of
# them, each holds about 11% of the corpus (about 560 schemes at N = 5,000).
HEAVY_FORCES = ("metropolitan", "west-midlands", "greater-manchester", "west-yorkshire")
HEAVY_WEIGHT = 8

_TOWNS = [
    "Bridgwater", "Darlington", "Bradford", "Wakefield", "Salford", "Wigan", "Bolton", "Oldham",
    "Coventry", "Wolverhampton", "Dudley", "Walsall", "Sandwell", "Croydon", "Lambeth", "Hackney",
    "Southwark", "Newham", "Ealing", "Barnet", "Leeds", "Huddersfield", "Halifax", "Derby",
    "Chesterfield", "Nottingham", "Mansfield", "Leicester", "Loughborough", "Lincoln", "Grimsby",
    "Hull", "Scunthorpe", "York", "Scarborough", "Middlesbrough", "Hartlepool", "Stockton-on-Tees",
    "Sunderland", "Gateshead", "Newcastle", "Carlisle", "Barrow-in-Furness", "Preston", "Blackpool",
    "Burnley", "Liverpool", "Birkenhead", "St Helens", "Chester", "Crewe", "Warrington",
    "Stoke-on-Trent", "Stafford", "Telford", "Shrewsbury", "Worcester", "Hereford", "Gloucester",
    "Cheltenham", "Swindon", "Salisbury", "Bristol", "Bath", "Weston-super-Mare", "Taunton",
    "Exeter", "Plymouth", "Torbay", "Truro", "Bournemouth", "Poole", "Weymouth", "Southampton",
    "Portsmouth", "Basingstoke", "Reading", "Oxford", "Milton Keynes", "Slough", "Guildford",
    "Woking", "Brighton", "Hastings", "Crawley", "Maidstone", "Canterbury", "Medway", "Chelmsford",
    "Colchester", "Southend", "Ipswich", "Lowestoft", "Norwich", "King's Lynn", "Cambridge",
    "Peterborough", "Luton", "Bedford", "Watford", "Stevenage", "Northampton", "Kettering",
    "Rugby", "Nuneaton", "Cardiff", "Newport", "Swansea", "Merthyr Tydfil", "Wrexham", "Bangor",
    "Aberystwyth", "Carmarthen", "Barnsley", "Doncaster", "Rotherham", "Sheffield",
]
_PRISONS = [
    "HMP Bristol", "HMP Eastwood Park", "HMP Leyhill", "HMP Ford", "HMP Lewes", "HMP Durham",
    "HMP Holme House", "HMP Leeds", "HMP Styal", "HMP Birmingham", "HMP Bronzefield", "HMP Cardiff",
    "HMP Swansea", "HMP Norwich", "HMP Peterborough", "HMP Nottingham", "HMP Exeter", "HMP Winchester",
]
_NAMES = [
    "Amira Khan", "Ben Hughes", "Chloe Evans", "Daniel Okafor", "Emma Price", "Farhan Ali",
    "Grace Murphy", "Harry Jones", "Isla Roberts", "Jack Thompson", "Kiran Patel", "Laura Davies",
    "Mohammed Hussain", "Niamh Walsh", "Oliver Wright", "Priya Shah", "Rhys Morgan", "Sarah Clarke",
    "Tom Bennett", "Uzma Begum", "Victoria Hall", "William Lloyd", "Yasmin Ahmed", "Zoe Turner",
]
_CONTACT_ROLES = [
    "Commissioning Manager", "Head of Partnerships", "Criminal Justice Lead", "Policy Officer",
    "Reducing Reoffending Lead", "Head of Commissioning and Partnerships", "Victims and Offenders Manager",
]
_PROGRAMME_WORDS = [
    "Pathway", "Project", "Service", "Programme", "Hub", "Partnership", "Initiative", "Scheme",
    "Network", "Fund", "Panel", "Route", "Bridge", "Gateway", "Hub and Spoke Model",
]
_TITLE_ADJ = [
    "New", "Fresh", "Second", "Better", "Open", "Safe", "Stronger", "Brighter", "Turning",
    "Stepping", "Positive", "Community", "Pathways", "Next", "Lighthouse", "Compass", "Anchor",
    "Harbour", "Beacon", "Horizon", "Foundation", "Keystone", "Threshold", "Milestone",
]
_TITLE_FOCUS = [
    "Women's", "Young Adults", "Resettlement", "Housing", "Mentoring", "Restorative", "Diversion",
    "Employment", "Recovery", "Wellbeing", "Through the Gate", "Prison Leavers", "Family",
    "Driving Offender", "Perpetrator", "Tenancy", "Skills", "Outreach", "Navigator", "Custody Suite",
]
_ACTIVITIES = [
    "one-to-one key work", "help finding and keeping a tenancy", "mentoring from people with lived experience",
    "group sessions on thinking and behaviour", "support with debt, benefits and identity documents",
    "referrals into drug and alcohol treatment", "help registering with a GP", "work placements with local employers",
    "training towards recognised qualifications", "a safe place to meet on release from custody",
    "restorative conferences between those harmed and those responsible", "structured programmes that challenge abusive behaviour",
    "a named worker from arrest through to sentence", "trauma-informed counselling", "practical help on the day of release",
    "support for families and children", "help opening a bank account", "peer support groups",
    "supervised volunteering in the community", "a daily check-in by phone for the first weeks",
]
_PARTNERS = [
    "probation", "the police", "the local authority", "housing providers", "the youth offending service",
    "the courts", "health services", "Jobcentre Plus", "the prison", "drug and alcohol services",
    "the community safety partnership", "local charities", "the integrated offender management team",
]
_OPENERS = [
    "{title} works with {group} across {place}.",
    "{title} was set up to give {group} in {place} a route away from further offending.",
    "The scheme offers {group} {activity}, alongside {activity2}.",
    "Run with {partner} and {partner2}, {title} reaches {group} at {stage}.",
    "The commissioner's office funds {title} to support {group} who would otherwise fall through the gaps.",
]
_MIDDLES = [
    "Workers offer {activity} and {activity2}, and stay in touch for as long as people need.",
    "People are referred by {partner}, by {partner2} or can refer themselves.",
    "Each person agrees a plan that covers {activity} and {activity2}.",
    "The team meets people at {stage} and stays with them through the months that follow.",
    "Staff work closely with {partner} so that nobody has to tell their story twice.",
    "The service is delivered from a community building in {place}, with outreach to surrounding areas.",
    "Places are limited to about {small} people at a time, so that caseloads stay manageable.",
    "Support typically lasts {small} weeks, with a lighter check-in afterwards.",
    "Sessions take place in the evening as well as the day, so people in work can still attend.",
    "The scheme was redesigned in {year} after feedback from participants and from {partner}.",
    "A steering group with {partner}, {partner2} and the commissioner's office reviews progress every quarter.",
    "Volunteers, many with lived experience of the justice system, add to the paid staff.",
]
_CLOSERS = [
    "The source reports early results but warns that the numbers are small.",
    "No independent evaluation had been published by the date of the source.",
    "A local evaluation was planned for the end of the first year.",
    "The commissioner's office describes the scheme as a priority in its police and crime plan.",
    "Funding beyond the pilot period depended on the results of the first year.",
    "Figures below are as the source states them; see the caveats beside each one.",
]
_MEASURES = [
    "People referred to the scheme", "People who completed the programme", "Reduction in reoffending among participants",
    "Participants housed on release", "Sessions delivered", "Participants who moved into work or training",
    "Victims taking part in a restorative meeting", "Average length of support", "Places available at any one time",
    "Share of participants who said they felt safer", "Proven reoffending rate after twelve months",
    "Cost per participant", "Participants still engaged after three months", "Volunteers trained",
]
_CAVEATS = [
    "Reported by the provider without a comparison group; the figure may reflect who was referred as much as what the scheme did.",
    "The source does not say how reoffending was measured or over what period.",
    "Small cohort; treat the percentage with care.",
    "Figure covers the first year only and includes people who left the scheme early.",
    "The source gives the figure without a denominator.",
    "Self-reported by participants at the end of their support.",
]
_COHORTS = [
    "Adults referred in the first year", "Women supported during the pilot", "Young adults aged 18 to 25 on the caseload",
    "Everyone released to the area in the period", "Participants who finished the programme",
]
_PURPOSES = [
    "A two-year contract to deliver the service across the force area.",
    "Start-up money for staff, premises and training during the pilot year.",
    "A grant from the commissioner's reducing reoffending fund towards caseworker posts.",
    "Match funding alongside money from the Ministry of Justice for accommodation places.",
    "Evaluation of the scheme by an independent research partner.",
    "Extension of the service for a further twelve months while a longer-term commission was agreed.",
]
_SECTIONS = ["Section {n}", "Paragraphs {n}-{m}", "Page {n}", "Appendix {a}, paragraph {n}", "Section {n} ({place})"]
_STAGE_WORDS = [
    "the point of arrest", "the police custody suite", "the out-of-court stage", "court",
    "the prison gate", "the weeks after release", "the start of a community order",
]
_ELIGIBILITY = [
    "{Group} living in {place} who are referred by {partner} or refer themselves.",
    "{Group} aged {lo} to {hi} with a current or recent conviction, referred by {partner}.",
    "{Group} assessed as suitable by {partner}; people who pose a high risk of serious harm are referred elsewhere.",
    "{Group} released to the force area, with a referral made before release where possible.",
]


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


class _Writer:
    """Deterministic text and value generator over the real vocabularies."""

    def __init__(self, vocab: Vocabularies, seed: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.vocab = vocab
        self.forces = list(vocab["forces"])
        weights = [HEAVY_WEIGHT if f in HEAVY_FORCES else 1 for f in self.forces]
        self.force_weights = weights
        self.orgs = list(vocab["organisations"])
        self.other_orgs = [o for o in self.orgs if not o.endswith("-opcc")] or self.orgs
        self.roles = [r for r in vocab["roles"] if r not in ("commissions",)] or list(vocab["roles"])
        self.target_groups = list(vocab["target_groups"])
        self.intervention_types = list(vocab["intervention_types"])
        self.stages = list(vocab["stages"])
        self.statuses = list(vocab["statuses"])
        self.units = list(vocab["units"])
        self.evidence = list(vocab["evidence_kinds"])
        self.sources = list(vocab["sources"])
        self.used_slugs: set[str] = set()

    # ---- small helpers ----------------------------------------------------

    def pick(self, seq):
        return self.rng.choice(seq)

    def sample(self, seq, lo, hi):
        k = min(len(seq), self.rng.randint(lo, hi))
        return self.rng.sample(seq, k)

    def length(self, mean, lo, hi):
        return int(min(hi, max(lo, self.rng.gauss(mean, (hi - lo) / 5))))

    def fill(self, template: str, ctx: dict) -> str:
        values = {
            "activity": self.pick(_ACTIVITIES), "activity2": self.pick(_ACTIVITIES),
            "partner": self.pick(_PARTNERS), "partner2": self.pick(_PARTNERS),
            "place": self.pick(ctx["places"]) if ctx["places"] else self.pick(_TOWNS),
            "stage": self.pick(_STAGE_WORDS), "small": self.rng.randint(6, 40),
            "year": self.rng.randint(2014, 2024), "lo": ctx.get("lo", 18), "hi": ctx.get("hi", 25),
            "title": ctx["title"], "group": ctx["group"], "Group": ctx["group"][:1].upper() + ctx["group"][1:],
        }
        return template.format(**values)

    def text(self, target: int, ctx: dict, banks) -> str:
        """Sentences from the banks, in turn, until about `target` characters."""
        out = []
        size = 0
        i = 0
        used = ctx.setdefault("used", set())
        while size < target or not out:
            bank = banks[min(i, len(banks) - 1)]
            fresh = [t for t in bank if t not in used] or bank
            template = self.pick(fresh)
            used.add(template)
            sentence = self.fill(template, ctx)
            out.append(sentence)
            size += len(sentence) + 1
            i += 1
        return " ".join(out)

    def date(self, lo_year, hi_year, precision=None) -> str:
        year = self.rng.randint(lo_year, hi_year)
        precision = precision or self.rng.choice(("year", "month", "month", "day"))
        if precision == "year":
            return str(year)
        month = self.rng.randint(1, 12)
        if precision == "month":
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{self.rng.randint(1, 28):02d}"

    @staticmethod
    def year(date: str) -> int:
        return int(date[:4])

    def period(self, lo_year, hi_year):
        start = self.date(lo_year, hi_year, "month")
        y, m = int(start[:4]), int(start[5:7])
        months = self.rng.choice((6, 12, 12, 24, 36))
        end_y, end_m = y + (m - 1 + months - 1) // 12, (m - 1 + months - 1) % 12 + 1
        return start, f"{end_y}-{end_m:02d}"

    # ---- one scheme ---------------------------------------------------------

    def scheme(self, index: int, full: bool) -> dict:
        rng = self.rng
        lead = rng.choices(self.forces, weights=self.force_weights)[0]
        forces = [lead]
        if rng.random() < 0.1:
            region = self.vocab["forces"][lead]["region"]
            same = [f for f in self.forces if f != lead and self.vocab["forces"][f]["region"] == region]
            if same:
                forces.append(self.pick(same))
        places = self.sample(_TOWNS, 1, 4)
        if full or rng.random() < 0.3:
            places.append(self.pick(_PRISONS))
        title = self._title(places)
        slug = self._slug(lead, title)
        groups = self.sample(self.target_groups, 1, 4)
        group_text = self.vocab.label("target_groups", groups[0]).lower()
        ctx = {"title": title, "group": group_text, "places": places}

        summary = self.text(self.length(150, 100, 200), ctx, [_OPENERS, _MIDDLES])
        summary = _clip(summary, 400)
        paragraphs = []
        for p in range(rng.randint(2, 4)):
            bank = [_OPENERS, _MIDDLES] if p == 0 else [_MIDDLES, _MIDDLES, _CLOSERS]
            paragraphs.append(self.text(self.length(330, 150, 650), ctx, bank))
        description = "\n\n".join(paragraphs) + "\n"

        sources = [{"document": d, "section": self._section(places)} for d in self.sample(self.sources, 1, 2)]
        as_of = self.date(2015, 2025)
        start, end = self.period(2012, 2023)
        start = start if rng.random() < 0.8 else start[:4]
        age_lo = rng.choice((10, 16, 18, 18, 21, 25))
        age_hi = age_lo + rng.choice((7, 10, 20, 47))

        data: dict = {
            "slug": slug,
            "title": title,
            "summary": summary,
            "description": description,
            "forces": forces,
            "places": places,
            "organisations": self._organisations(forces, full),
            "target_groups": groups,
            "eligibility": _clip(self.fill(self.pick(_ELIGIBILITY), dict(ctx, lo=age_lo, hi=age_hi)), 600),
            "age_min": age_lo,
            "age_max": age_hi,
            "intervention_types": self.sample(self.intervention_types, 1, 3),
            "stages": self.sample(self.stages, 1, 3),
            "status": rng.choices(self.statuses, weights=[1 if s in ("planned", "ended") else 4 for s in self.statuses])[0],
            "start": start,
            "end": end,
        }
        if not full:
            for key, p in (("places", 0.9), ("eligibility", 0.93), ("age_min", 0.15), ("age_max", 0.15), ("start", 0.6), ("end", 0.3)):
                if rng.random() > p:
                    data.pop(key)
            if "age_min" not in data:
                data.pop("age_max", None)
        data["funding"] = self._funding(forces, sources, full)
        grants = self._grants(index, data, sources, full)
        if grants:
            data["grants"] = grants
        data["outcomes"] = self._outcomes(sources, full)
        data["contact"] = self._contact(lead, sources)
        data["sources"] = sources
        if "start" in data and data["status"] != "planned" and span(data["start"])[0] > span(as_of)[1]:
            as_of = data["start"]  # a scheme cannot start after its information (no random draw, so the rest is unchanged)
        data["as_of"] = as_of
        added = self.date(2025, 2026, "day")
        data["added"] = added
        data["last_reviewed"] = max(added, self.date(2025, 2026, "day"))
        if full or rng.random() < 0.05:
            data["confirmed_with_office"] = data["last_reviewed"]
        if full or rng.random() < 0.03:
            data["aliases"] = [f"{slug[:70]}-former"]
        return data

    def _title(self, places) -> str:
        rng = self.rng
        kind = rng.randrange(4)
        if kind == 0:
            title = f"{self.pick(places)} {self.pick(_TITLE_FOCUS)} {self.pick(_PROGRAMME_WORDS)}"
        elif kind == 1:
            title = f"{self.pick(_TITLE_ADJ)} {self.pick(_TITLE_FOCUS)} {self.pick(_PROGRAMME_WORDS)}"
        elif kind == 2:
            words = [self.pick(_TITLE_ADJ), self.pick(_TITLE_FOCUS), self.pick(_PROGRAMME_WORDS)]
            acronym = "".join(w[0] for w in " ".join(words).split() if w[0].isalpha()).upper()
            title = f"{acronym}: {' '.join(words)}"
        else:
            title = f"{self.pick(_TITLE_ADJ)} {self.pick(_PROGRAMME_WORDS)} for {self.pick(_TITLE_FOCUS)} in {self.pick(places)}"
        return title[:150]

    def _slug(self, force: str, title: str) -> str:
        base = f"{force}-{_slugify(title)}"[:66].strip("-")
        slug, n = base, 2
        while slug in self.used_slugs:
            slug = f"{base}-{n}"
            n += 1
        self.used_slugs.add(slug)
        return slug

    def _section(self, places) -> str:
        return self.pick(_SECTIONS).format(n=self.rng.randint(1, 30), m=self.rng.randint(31, 40),
                                           a=self.pick("ABC"), place=self.pick(places))

    def _organisations(self, forces, full) -> list[dict]:
        rng = self.rng
        out = []
        office = f"{forces[0]}-opcc"
        if office in self.vocab["organisations"]:
            out.append({"organisation": office, "role": "commissions" if "commissions" in self.vocab["roles"] else self.pick(self.roles),
                        "note": "Commissions the service and monitors its contract."})
        for org in self.sample(self.other_orgs, 1 if full else 0, 5):
            item = {"organisation": org, "role": self.pick(self.roles)}
            if full or rng.random() < 0.7:
                item["note"] = _clip(self.pick([
                    "Delivers the service day to day.", "Refers people from its caseload.",
                    "Provides rooms for group sessions.", "Evaluates the first two years.",
                    "Sits on the steering group.", "Funds one caseworker post.",
                    "Provides move-on accommodation for people leaving the scheme.",
                    "Named in the source as the delivery partner in the north of the area.",
                ]), 300)
            out.append(item)
        return out

    def _funding(self, forces, sources, full) -> list[dict]:
        rng = self.rng
        count = rng.choice((1, 1, 2, 3)) if full else rng.choice((0, 0, 0, 1, 1, 2))
        out = []
        for _ in range(count):
            start, end = self.period(2014, 2024)
            item = {
                "amount": rng.choice((5000, 12500, 25000, 48000, 75000, 120000, 250000, 390000, 1200000)) + rng.randint(0, 99) * 100,
                "qualifier": rng.choice(("exact", "approximately", "up-to")),
                "basis": rng.choice(("one-off", "per-year", "period-total", "period-total", "contract-value")),
                "funder": f"{forces[0]}-opcc" if f"{forces[0]}-opcc" in self.vocab["organisations"] else self.pick(self.orgs),
                "recipient": self.pick(self.other_orgs),
                "period_start": start,
                "period_end": end,
                "purpose": _clip(self.pick(_PURPOSES), 400),
                "source": {"document": self.pick(sources)["document"], "section": self._section(["the report"])},
            }
            if item["basis"] == "contract-value" and (full or rng.random() < 0.5):
                item["share"] = "share-not-published"
                item["co_funders"] = [self.pick(self.other_orgs)]
            if not full:
                for key in ("qualifier", "recipient", "period_end"):
                    if rng.random() < 0.4:
                        item.pop(key)
            out.append(item)
        return out

    def _grants(self, index: int, data: dict, sources: list[dict], full: bool) -> list[dict]:
        """A fund's list of the grants it paid, for an entry that is a fund (or a full entry). Drawn from an
        RNG of its own, so adding grants changed nothing else in the corpus for the same seed. In a fund
        that only grants, an organisation it pays is a grantee, never a deliverer (generator/rules.py)."""
        grants_only = {k for k, e in self.vocab["intervention_types"].items() if e.get("grants_only")}
        if not full and not set(data["intervention_types"]) & grants_only:
            return []
        rng = random.Random(f"{self.seed}-grants-{index}")
        out = []
        for i in range(rng.randint(1, 4)):
            y, m = rng.randint(2016, 2024), rng.randint(1, 12)
            start, end = f"{y}-{m:02d}", f"{y + 1}-{m:02d}"
            item = {
                "recipient": rng.choice(self.other_orgs),
                "amount": rng.choice((500, 2000, 5000, 10000, 20000, 45000)),
                "qualifier": rng.choice(("exact", "approximately")),
                "basis": rng.choice(("one-off", "single-year", "period-total")),
                "period_start": start,
                "period_end": end,
                "decided": start,
                "purpose": _clip(rng.choice(_PURPOSES), 400),
                "scheme": f"{data['slug'][:60].rstrip('-')}-grant-{i + 1}",
                "source": {"document": rng.choice(sources)["document"], "section": "Grants awarded"},
            }
            if not full:
                for key in ("qualifier", "period_end", "decided", "scheme"):
                    if rng.random() < 0.5:
                        item.pop(key)
                if "period_start" not in item:
                    item.pop("period_end", None)
            out.append(item)
        if set(data["intervention_types"]) <= grants_only:
            paid = {g["recipient"] for g in out} | {f.get("recipient") for f in data.get("funding", [])}
            for org in data.get("organisations", []):
                if org["role"] == "delivers" and org["organisation"] in paid:
                    org["role"] = "grantee"
        return out

    def _measure(self, unit: str) -> str:
        measure = self.pick(_MEASURES)  # drawn for every unit, so the corpus is the same for the same seed
        # a relative change says which way it went (generator/rules.py)
        return "Reduction in reoffending among participants" if unit == "percent-change" else measure

    def _outcomes(self, sources, full) -> list[dict]:
        rng = self.rng
        count = rng.randint(1, 6) if full else rng.choice((0, 0, 1, 2, 3, 4, 6))
        out = []
        for _ in range(count):
            unit = self.pick(self.units)
            if unit in ("percent", "percent-change"):
                value = rng.randint(5, 80)
            elif unit == "gbp":
                value = rng.randint(500, 90000)
            elif unit == "ratio":
                value = round(rng.uniform(1, 8), 1)
            else:
                value = rng.randint(2, 900)
            start, end = self.period(2014, 2024)
            item = {
                "measure": self._measure(unit),
                "kind": rng.choice(("result", "result", "activity", "activity", "plan", "context")),
                "value": value,
                "value_max": value + (rng.randint(1, 10) if unit in ("percent", "percent-change") else rng.randint(1, 50)),
                "qualifier": rng.choice(("exact", "approximately", "at-least", "more-than", "up-to", "less-than")),
                "unit": unit,
                "cohort": rng.randint(10, 2000),
                "cohort_description": self.pick(_COHORTS),
                "period_start": start,
                "period_end": end,
                "evidence": self.pick(self.evidence),
                "caveat": self.pick(_CAVEATS),
                "source": {"document": self.pick(sources)["document"], "section": self._section(["the report"])},
            }
            if unit == "percent":
                item["value_max"] = min(100, item["value_max"])
            if item["kind"] == "result" and rng.random() < 0.3:
                item["reoffending"] = {
                    "measure": self.pick(list(self.vocab["reoffending_measures"])),
                    "comparison": self.pick(list(self.vocab["reoffending_comparisons"])),
                    "follow_up_months": rng.choice((6, 12, 12, 24)),
                    "measured_by": rng.choice(("the provider", "the commissioner's office", "an independent evaluator")),
                }
            if not full:
                for key, p in (("value_max", 0.9), ("qualifier", 0.8), ("cohort", 0.8), ("cohort_description", 0.8),
                               ("period_start", 0.65), ("period_end", 0.2), ("caveat", 0.4)):
                    if rng.random() < p:
                        item.pop(key)
                if "period_start" not in item:
                    item.pop("period_end", None)
                if "reoffending" in item and "cohort" not in item:
                    item["reoffending"].pop("follow_up_months")  # a follow-up period needs the cohort size
            out.append(item)
        return out

    def _contact(self, force: str, sources: list[dict]) -> dict:
        office = self.vocab["forces"][force]["office"]
        name = self.pick(_NAMES)
        domain = f"{force}-pcc.gov.uk"
        contact = {
            "office": f"Office of the {office}",
            "name": name,
            "role": self.pick(_CONTACT_ROLES),
            "email": f"{_slugify(name).replace('-', '.')}@{domain}",
            "phone": f"0{self.rng.randint(1000, 3999)} {self.rng.randint(100000, 999999)}",
            "url": f"https://www.{domain}/what-we-do/reducing-reoffending/",
        }
        # An official's own name and address are never copied from a decision record or panel paper
        # (generator/rules.py): such an entry gives the office's general mailbox. Nothing else is drawn
        # differently, so the corpus is the same for the same seed.
        kinds = {k for k, e in self.vocab["source_kinds"].items() if e.get("author_contacts")}
        if all(self.vocab["sources"][s["document"]]["kind"] in kinds for s in sources):
            contact.pop("name")
            contact["email"] = f"enquiries@{domain}"
        return contact


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "."


def generate(n: int, seed: int = DEFAULT_SEED, vocab: Vocabularies | None = None) -> list[dict]:
    """N scheme entries (as dicts in the order a file lists them). Every 20th uses every optional field."""
    writer = _Writer(vocab or load_vocabularies(), seed)
    entries = [writer.scheme(i, full=(i % 20 == 0)) for i in range(n)]
    # Some grants are paid from a fund with its own entry (an earlier entry stands in for the fund).
    for i, entry in enumerate(entries):
        if i % 20 == 1 and entry["funding"]:
            entry["funding"][0]["part_of"] = entries[i - 1]["slug"]
    return entries


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


def _str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(entry: dict) -> str:
    return yaml.dump(entry, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)


def write_corpus(n: int, directory, seed: int = DEFAULT_SEED) -> list[pathlib.Path]:
    """Write N scheme files into directory (created if needed); refuses the real schemes/ folder."""
    directory = pathlib.Path(directory)
    real = (ROOT / "schemes").resolve()
    if directory.resolve() == real or directory.resolve().is_relative_to(real):
        raise ValueError("refusing to write synthetic schemes into schemes/; give a temporary directory")
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for entry in generate(n, seed):
        path = directory / f"{entry['slug']}.yaml"
        path.write_text(dump(entry), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many scheme files to write")
    parser.add_argument("directory", help="where to write them (never schemes/)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    try:
        paths = write_corpus(args.n, args.directory, args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(paths)} scheme files to {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
