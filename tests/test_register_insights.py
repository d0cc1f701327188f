"""Beyond a catalogue: providers, commissioning chain, evidence ladder, freshness,
funding calendar, embeddable cards and grants data."""
from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest
from icalendar import Calendar

from conftest import ROOT, run_cli
from generator.dates import last_day as _end_day
from generator.loader import load_all
from generator.views import evidence_step

@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global LOADER, SCHEMES, VOCAB
    LOADER, SCHEMES, VOCAB = register.loader, register.schemes, register.vocab


def _named_by():
    named = defaultdict(set)
    for s in SCHEMES:
        for o in s.data.get("organisations", []):
            named[o["organisation"]].add(s.slug)
        for f in s.data.get("funding", []):
            for k in ("funder", "recipient"):
                if k in f:
                    named[f[k]].add(s.slug)
    return named


def test_provider_pages_list_every_scheme_of_organisations_in_two_or_more(built_site):
    named = _named_by()
    several = {org: slugs for org, slugs in named.items() if len(slugs) >= 2}
    assert several, "the seed data has organisations working on several schemes"
    for org, slugs in several.items():
        page = (built_site / "providers" / org / "index.html").read_text(encoding="utf-8")
        listed = set(re.findall(r'href="\.\./\.\./schemes/([a-z0-9-]+)/"', page))
        assert listed == slugs, org


def test_organisations_working_for_several_offices_show_it(built_site):
    for org in ("remedi", "the-nelson-trust"):
        if org not in _named_by():
            continue
        offices = {VOCAB["forces"][f]["office"] for s in SCHEMES for f in s.data["forces"] if s.slug in _named_by()[org]}
        page = (built_site / "providers" / org / "index.html").read_text(encoding="utf-8")
        for office in offices:
            assert office in page


def test_providers_index_sorted_by_number_of_schemes(built_site):
    page = (built_site / "providers" / "index.html").read_text(encoding="utf-8")
    counts = [int(c) for c in re.findall(r'<td class="rrs-num">(\d+)</td><td class="rrs-num">\d+</td>', page)]
    assert counts == sorted(counts, reverse=True) and len(counts) == len(_named_by())


def test_scheme_pages_link_organisations_and_show_the_chain(built_site):
    for s in SCHEMES:
        page = (built_site / "schemes" / s.slug / "index.html").read_text(encoding="utf-8")
        for o in s.data.get("organisations", []):
            assert f'href="../../providers/{o["organisation"]}/"' in page
        assert 'class="rrs-chain"' in page


def test_evidence_label_is_the_highest_step_among_results(built_site):
    """Results count; activity at most as monitoring (rank 1); plans and background never."""
    ladder = VOCAB["evidence_ladder"]
    index = (built_site / "schemes" / "index.html").read_text(encoding="utf-8")
    for s in SCHEMES:
        ranks = [ladder[VOCAB["evidence_kinds"][o["evidence"]]["ladder"]]["rank"] for o in s.data.get("outcomes", [])
                 if o["kind"] == "result"]
        ranks += [min(1, ladder[VOCAB["evidence_kinds"][o["evidence"]]["ladder"]]["rank"])
                  for o in s.data.get("outcomes", []) if o["kind"] == "activity"]
        expected = max([0] + ranks)
        step = evidence_step(s.data, VOCAB)
        assert step["rank"] == expected
        page = (built_site / "schemes" / s.slug / "index.html").read_text(encoding="utf-8")
        assert f'rrs-evidence--{expected}">{step["name"]}</a>' in page
        row = index.split(f'href="../schemes/{s.slug}/"')[1].split("</tr>")[0]
        assert step["name"] in row


@pytest.fixture(scope="module")
def freshness_site(fixture_site):
    """tests/fixtures/freshness is in the session's fixture site, built on 2026-11-18 (conftest.FIXTURE_DATE_EPOCH)."""
    return fixture_site.site


def test_old_entry_shows_a_notice_and_is_listed_for_review(freshness_site):
    old = (freshness_site / "schemes" / "old-entry" / "index.html").read_text(encoding="utf-8")
    recent = (freshness_site / "schemes" / "recent-entry" / "index.html").read_text(encoding="utf-8")
    review = (freshness_site / "about" / "needs-review" / "index.html").read_text(encoding="utf-8")
    assert "This entry was last checked on 10 January 2023; details may have changed." in old
    assert "rrs-review-notice" not in recent
    assert 'href="../../schemes/old-entry/"' in review
    assert "recent-entry" not in review


def _events(path):
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_calendar_has_one_event_per_end_date(built_site):
    events = _events(built_site / "data" / "funding-ends.ics")
    expected = {}
    for s in SCHEMES:
        for i, f in enumerate(s.data.get("funding", [])):
            if "period_end" in f:
                expected[f"{s.slug}-funding-{i + 1}-end@reducing-reoffending-schemes"] = _end_day(f["period_end"])
        if "end" in s.data:
            expected[f"{s.slug}-end@reducing-reoffending-schemes"] = _end_day(s.data["end"])
    assert set(events) == set(expected)
    for uid, day in expected.items():
        assert events[uid]["DTSTART"].dt == day
    for force in VOCAB["forces"]:
        mine = _events(built_site / "forces" / force / "funding-ends.ics")
        wanted = {uid for uid in expected if any(s.slug == uid.split("-funding-")[0].split("-end@")[0] and force in s.data["forces"] for s in SCHEMES)}
        assert set(mine) == wanted, force


def test_calendar_uids_are_stable_across_builds(built_site, second_build):
    again = second_build
    assert (built_site / "data" / "funding-ends.ics").read_bytes() == (again / "data" / "funding-ends.ics").read_bytes()
    assert set(_events(built_site / "data" / "funding-ends.ics")) == set(_events(again / "data" / "funding-ends.ics"))


def test_grants_hold_one_record_per_funding_record(built_site):
    doc = json.loads((built_site / "data" / "grants.json").read_text(encoding="utf-8"))
    records = {g["identifier"]: g for g in doc["grants"]}
    count = 0
    for s in SCHEMES:
        for i, f in enumerate(s.data.get("funding", [])):
            count += 1
            g = records[f"rrs-{s.slug}-{i + 1}"]
            assert g["amountAwarded"] == f["amount"] and g["currency"] == "GBP"
            if "funder" in f:
                # the office as it was named when the entry's information was given (a PCC before a mayor)
                assert g["fundingOrganization"][0]["name"] == VOCAB.label_at("organisations", f["funder"], s.data["as_of"])
        count += len(s.data.get("grants", []))  # a fund's listed grants, never counted in totals
    assert len(records) == count
    csv_text = (built_site / "data" / "grants.csv").read_bytes().decode("utf-8-sig")
    assert csv_text.count("\r\n") >= count + 1


@pytest.mark.browser
def test_card_embeds_in_an_iframe_without_requests_elsewhere(built_site, site_url, browser):
    """A partner's page on the same server embeds the card (the page is answered by the browser's
    router, so nothing is written into the session's shared site)."""
    view = SCHEMES[0]
    url = site_url
    context = browser.new_context()
    try:
        p = context.new_page()
        p.route(url + "/embed-test.html", lambda route: route.fulfill(
            status=200, content_type="text/html",
            body=f'<!doctype html><html lang="en"><title>t</title><iframe id="card" src="/schemes/{view.slug}/card/" width="600" height="300"></iframe>'))
        requests = []
        p.on("request", lambda r: requests.append(r.url))
        p.goto(url + "/embed-test.html")
        frame = p.frame_locator("#card")
        frame.locator("h1").wait_for()
        assert view.data["title"] in frame.locator("h1").inner_text()
        href = frame.locator("h1 a").get_attribute("href")
        assert href.endswith(f"/schemes/{view.slug}/")
        assert [r for r in requests if not r.startswith(url)] == []
        card = (built_site / "schemes" / view.slug / "card" / "index.html").read_text(encoding="utf-8")
        assert "<script" not in card
    finally:
        context.close()


def test_report_command_prints_the_maintainers_view(clean_schemes):
    result = run_cli(["report"], env={"RRS_SCHEMES_DIR": str(clean_schemes)})
    assert result.returncode == 0
    no_outcomes = [s.slug for s in SCHEMES if not s.data.get("outcomes")]
    assert f"Schemes with no outcome figures: {len(no_outcomes)}" in result.stdout
    no_contact = [s.slug for s in SCHEMES if not s.data.get("contact")]
    assert f"Schemes with no contact: {len(no_contact)}" in result.stdout
    empty = [f for f in VOCAB["forces"] if not any(f in s.data["forces"] for s in SCHEMES)]
    assert f"Forces with no scheme: {len(empty)}" in result.stdout
