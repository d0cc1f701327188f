"""Figures a commissioner can rely on: money counted once, results apart from plans, dated status.

Expected values are worked out here from the YAML alone, by the rules the
site states, and compared with what the built site shows and exports.
"""
from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
from collections import defaultdict

import pytest

from generator import build
from generator.formatting import format_pounds
from generator.loader import load_all

@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global LOADER, SCHEMES, VOCAB, BY_SLUG
    LOADER, SCHEMES, VOCAB = register.loader, register.schemes, register.vocab
    BY_SLUG = {s.slug: s.data for s in SCHEMES}
TODAY = build.build_date_today()


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _money(text: str) -> float:
    return float(text.replace("£", "").replace(",", ""))


def _counted(record: dict) -> bool:
    """Each pound once: a share not published is never added; a grant from a fund whose entry records money is counted there."""
    if record.get("share", "whole") != "whole":
        return False
    fund = record.get("part_of")
    if fund:
        return not any(f.get("share", "whole") == "whole" and not f.get("part_of")
                       for f in BY_SLUG[fund].get("funding", []))
    return True


def _scheme_money(data: dict) -> tuple[int, int]:
    fixed = sum(f["amount"] for f in data.get("funding", []) if _counted(f) and f["basis"] != "per-year")
    yearly = sum(f["amount"] for f in data.get("funding", []) if _counted(f) and f["basis"] == "per-year")
    return fixed, yearly


def _force_money() -> dict[str, tuple[int, int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for data in BY_SLUG.values():
        fixed, yearly = _scheme_money(data)
        for force in data["forces"]:
            totals[force][0] += fixed
            totals[force][1] += yearly
    return {k: (round(v[0], 2), round(v[1], 2)) for k, v in totals.items()}


# ---- money counted once -----------------------------------------------------------

def test_every_force_page_adds_each_pound_once(built_site):
    expected = _force_money()
    checked = 0
    for force in VOCAB["forces"]:
        page = (built_site / "forces" / force / "index.html").read_text(encoding="utf-8")
        fixed, yearly = expected.get(force, (0, 0))
        match = re.search(r'<p class="rrs-funding-total">(.*?)</p>', page, re.S)
        if not fixed and not yearly:
            assert match is None, force
            continue
        line = _text(match.group(1))
        checked += 1
        if fixed:
            assert re.search(rf"(at least |about |up to )?£{re.escape(format_pounds(fixed))} in one-off, period, contract and single-year sums",
                             line), (force, line)
        else:
            assert "no one-off, period or contract sums" in line, (force, line)
        if yearly:
            assert re.search(rf"(at least |about |up to )?£{re.escape(format_pounds(yearly))} a year in yearly grants", line), (force, line)
        else:
            assert "a year" not in line, (force, line)
        # the per-year table adds up to the same totals
        table = page[page.index('rrs-funding-year'):]
        table = table[:table.index("</tbody>")]
        cells = [re.sub(r"^(at least |about |up to )", "", _text(c))
                 for c in re.findall(r'<td class="rrs-num">(.*?)</td>', table, re.S)]
        assert round(sum(_money(c) for c in cells[0::2] if c != "none"), 2) == fixed, force
        assert round(sum(_money(c.replace(" a year", "")) for c in cells[1::2] if c != "none"), 2) == yearly, force
    assert checked >= 5


def test_known_double_counts_are_gone(built_site):
    """The audit's cases: the Wire grant once; Arbor's consortium contract and Durham's allocations not added."""
    leics = _text((built_site / "forces" / "leicestershire" / "index.html").read_text(encoding="utf-8"))
    # The Wire's yearly grant is part of the fund's yearly money: one £25,000 a year, not two (£50,000).
    assert "and about £25,000 a year in yearly grants" in leics and "£50,000 a year" not in leics
    derbys = (built_site / "forces" / "derbyshire" / "index.html").read_text(encoding="utf-8")
    total = _text(re.search(r'<p class="rrs-funding-total">(.*?)</p>', derbys, re.S).group(1))
    assert "390,000" not in total
    assert "390,000" in _text(derbys[derbys.index("rrs-funding-not-counted"):])
    durham = _text(re.search(r'<p class="rrs-funding-total">(.*?)</p>',
                             (built_site / "forces" / "durham" / "index.html").read_text(encoding="utf-8"), re.S).group(1))
    assert "68,000" not in durham and "140,000" not in durham and "208,000" not in durham


def test_downloads_agree_with_the_pages(built_site):
    rows = list(csv.DictReader(io.StringIO((built_site / "data" / "schemes.csv").read_text(encoding="utf-8-sig"))))
    doc = json.loads((built_site / "data" / "schemes.json").read_text(encoding="utf-8"))
    records = {r["slug"]: r for r in doc["schemes"]}
    for row in rows:
        data = BY_SLUG[row["slug"]]
        fixed, yearly = _scheme_money(data)
        if data.get("funding"):
            assert float(row["funding_total_gbp"]) == fixed, row["slug"]
            assert float(row["funding_per_year_gbp"]) == yearly, row["slug"]
        else:
            assert row["funding_total_gbp"] == row["funding_per_year_gbp"] == ""
        derived = records[row["slug"]]["derived"]
        assert (derived["funding_total_gbp"], derived["funding_per_year_gbp"]) == (fixed, yearly)
        assert derived["funding_counted"] == [_counted(f) for f in data.get("funding", [])]
    grants = json.loads((built_site / "data" / "grants.json").read_text(encoding="utf-8"))["grants"]
    assert len(grants) == sum(len(d.get("funding", [])) + len(d.get("grants", [])) for d in BY_SLUG.values())
    listed = [g for g in grants if g.get("partOf") == g["scheme"]]  # a fund's own list of its grants
    assert len(listed) == sum(len(d.get("grants", [])) for d in BY_SLUG.values())
    assert not any(g["countedInTotals"] for g in listed)
    grants = [g for g in grants if g not in listed]
    for g in grants:
        record = BY_SLUG[g["scheme"]]["funding"][int(g["identifier"].rsplit("-", 1)[1]) - 1]
        assert g["amountAwarded"] == record["amount"] and g["basis"] == record["basis"]
        assert g["countedInTotals"] == _counted(record)
    register_fixed = sum(g["amountAwarded"] for g in grants if g["countedInTotals"] and g["basis"] != "per-year")
    assert register_fixed == sum(_scheme_money(d)[0] for d in BY_SLUG.values())


def test_every_amount_on_a_scheme_page_says_its_basis(built_site):
    for slug, data in BY_SLUG.items():
        page = (built_site / "schemes" / slug / "index.html").read_text(encoding="utf-8")
        for f in data.get("funding", []):
            words = {"per-year": " a year", "period-total": " in total", "contract-value": " contract value", "one-off": " one-off",
                     "single-year": " for one year"}[f["basis"]]
            assert f"£{format_pounds(f['amount'])}{words}" in _text(page), (slug, f["amount"])


def test_money_lines_say_the_funder_as_a_sentence_would(built_site):
    """"£10,000 one-off from the Office of the Derbyshire ...": an organisation marked `the: true` gets its
    "the" wherever a sentence names it (headline, money table, CSV), and keeps its bare name in the table."""
    orgs = VOCAB["organisations"]
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO((built_site / "data" / "schemes.csv").read_text(encoding="utf-8-sig")))}
    checked = 0
    for slug, data in BY_SLUG.items():
        page = _text((built_site / "schemes" / slug / "index.html").read_text(encoding="utf-8"))
        for cited in data["sources"]:  # documents keep their published titles ("Acceptance of funds from ...")
            page = page.replace(VOCAB["sources"][cited["document"]]["title"], "")
        for f in data.get("funding", []):
            if "funder" not in f:
                continue
            name = VOCAB.label_at("organisations", f["funder"], data["as_of"])  # the office as it was then
            said = ("the " if orgs[f["funder"]].get("the") else "") + name
            assert f"from {said}" in page and f"from {said}" in rows[slug]["funding"], (slug, said)
            if orgs[f["funder"]].get("the"):
                checked += 1
                assert f"from {name}" not in page.replace(f"from {said}", ""), (slug, name)
    assert checked >= 10  # most amounts come from a commissioner's office


# ---- results apart from plans and background ----------------------------------------

def _expected_step(data: dict) -> str:
    ladder, kinds = VOCAB["evidence_ladder"], VOCAB["evidence_kinds"]
    best = min(ladder.values(), key=lambda s: s["rank"])
    for o in data.get("outcomes", []):
        step = ladder[kinds[o["evidence"]]["ladder"]]
        if o["kind"] == "activity":
            step = min(step, ladder["monitored"], key=lambda s: s["rank"])
        elif o["kind"] != "result":
            continue
        best = max(best, step, key=lambda s: s["rank"])
    return best["name"]


def test_evidence_step_rests_on_results_only(built_site):
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO((built_site / "data" / "schemes.csv").read_text(encoding="utf-8-sig")))}
    for slug, data in BY_SLUG.items():
        assert rows[slug]["evidence_step"] == _expected_step(data), slug
    # and a scheme with only plans and background sits on the lowest step
    lowest = min(VOCAB["evidence_ladder"].values(), key=lambda s: s["rank"])["name"]
    for slug, data in BY_SLUG.items():
        if all(o["kind"] in ("plan", "context") for o in data.get("outcomes", [])):
            assert rows[slug]["evidence_step"] == lowest, slug


def test_no_plan_or_background_figure_is_shown_or_exported_as_a_result(built_site):
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO((built_site / "data" / "schemes.csv").read_text(encoding="utf-8-sig")))}
    for slug, data in BY_SLUG.items():
        page = (built_site / "schemes" / slug / "index.html").read_text(encoding="utf-8")
        results = page[page.index("rrs-results"):page.index("</table>", page.index("rrs-results"))] if "rrs-results" in page else ""
        # the measure is the first cell of each row (a reoffending result adds a line below it)
        measures = [_text(cell.split("<br>")[0]) for cell in re.findall(r"<tr><td>(.*?)</td>", results, re.S)]
        assert len(measures) == sum(1 for o in data.get("outcomes", []) if o["kind"] == "result"), slug
        for o in data.get("outcomes", []):
            if o["kind"] == "result":
                assert " ".join(o["measure"].split()) in measures, (slug, o["measure"])
                assert o["measure"] in rows[slug]["results"]
            else:
                assert f"Result: {o['measure']}:" not in rows[slug]["results"], (slug, o["measure"])
            if o["kind"] != "result":
                assert "reoffending" not in o, (slug, o["measure"])


def test_every_figure_says_what_it_is_out_of(built_site):
    """A cohort reads "of 33; cohort: Everyone housed to date" on the page and in the CSV, never run on as "of 33 Everyone"."""
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO((built_site / "data" / "schemes.csv").read_text(encoding="utf-8-sig")))}
    found = 0
    for slug, data in BY_SLUG.items():
        page = _text((built_site / "schemes" / slug / "index.html").read_text(encoding="utf-8"))
        exported = " ".join(rows[slug][k] for k in ("results", "activity", "plans", "context", "estimates"))
        for o in data.get("outcomes", []):
            parts = ([f"of {o['cohort']:,}"] if "cohort" in o else []) + \
                    ([f"cohort: {' '.join(o['cohort_description'].split())}"] if "cohort_description" in o else [])
            if parts:
                found += 1
                assert "; ".join(parts) in page, (slug, o["measure"])
                assert f"({'; '.join(parts)})" in exported, (slug, o["measure"])
                if len(parts) == 2:
                    run_on = f"of {o['cohort']:,} {' '.join(o['cohort_description'].split())}"
                    assert run_on not in page and run_on not in exported, (slug, run_on)
    assert found >= 20  # the sources give about thirty cohorts


def test_every_reoffending_result_is_structured_and_lined_up(built_site):
    found = 0
    for slug, data in BY_SLUG.items():
        record = json.loads((built_site / "data" / "schemes" / f"{slug}.json").read_text(encoding="utf-8"))
        expected = [o for o in data.get("outcomes", []) if o.get("reoffending")]
        assert [r["measure"] for r in record["reoffending"]] == [o["measure"] for o in expected]
        for o, r in zip(expected, record["reoffending"]):
            found += 1
            assert r["form"] == VOCAB.label("reoffending_measures", o["reoffending"]["measure"])
            assert r["comparison"] == VOCAB.label("reoffending_comparisons", o["reoffending"]["comparison"])
            if "follow_up_months" in o["reoffending"]:
                assert "cohort" in o
                assert r["follow_up"].startswith(str(o["reoffending"]["follow_up_months"]))
            else:
                assert r["follow_up"] == "not reported"
    assert found >= 8  # the sources hold about a dozen reoffending results


# ---- honest time ------------------------------------------------------------------

def test_status_carries_its_date_and_a_passed_end_is_flagged(built_site):
    for slug, data in BY_SLUG.items():
        page = _text((built_site / "schemes" / slug / "index.html").read_text(encoding="utf-8"))
        as_of = VOCAB.label("statuses", data["status"])
        assert f"{as_of} as of" in page, slug
        end = data.get("end")
        passed = bool(end) and data["status"] != "ended" and _last_day(end) < TODAY
        assert ("Status not confirmed" in page) == passed, slug
        assert "Information as of" in page and "Entry checked against its sources on" in page
        confirmed = "Confirmed with the commissioner's office on" in page
        assert confirmed == bool(data.get("confirmed_with_office")), slug
        assert "Not confirmed with the commissioner's office" in page or confirmed


def test_crc_mentions_carry_their_context(built_site):
    for slug, data in BY_SLUG.items():
        text = data["description"] + data["summary"]
        if "Community Rehabilitation Compan" in text:
            page = _text((built_site / "schemes" / slug / "index.html").read_text(encoding="utf-8"))
            assert "wound up in June 2021" in page, slug


def _last_day(text: str) -> datetime.date:
    from generator.dates import last_day
    return last_day(text)


@pytest.mark.browser
def test_compare_page_lines_up_reoffending_results(page, site_url):
    chosen = [slug for slug, d in BY_SLUG.items() if any(o.get("reoffending") for o in d.get("outcomes", []))][:3]
    assert len(chosen) >= 2
    page.page.goto(site_url + "/compare/?schemes=" + ",".join(chosen))
    page.page.wait_for_selector(".rrs-compare-table")
    rows = page.page.eval_on_selector_all(".rrs-compare-table tbody tr", "rs => rs.map(r => [...r.children].map(c => c.innerText))")
    by_field = {r[0]: r[1:] for r in rows}
    for i, slug in enumerate(chosen):
        cell = by_field["Reoffending result"][i]
        for o in BY_SLUG[slug]["outcomes"]:
            if o.get("reoffending"):
                assert o["measure"] in cell
                assert VOCAB.label("reoffending_comparisons", o["reoffending"]["comparison"]) in cell
