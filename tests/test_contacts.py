"""Contacts: shown only with the office they belong to; an official's own name or direct email printed in
a decision record, notice or panel paper is never copied (the office's published contact is used)."""
from __future__ import annotations

import html
import re

import yaml

from generator.vocabularies import VOCAB_DIR, load_vocabularies


def _contact(built_site, slug: str) -> str:
    page = (built_site / "schemes" / slug / "index.html").read_text(encoding="utf-8")
    i = page.index('id="contact"')
    block = page[i:page.index('id="sources"', i)]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split())


def test_every_contact_shown_names_its_office_first(built_site):
    for path in sorted((built_site / "schemes").glob("*/index.html")):
        page = path.read_text(encoding="utf-8")
        m = re.search(r'<dl class="rrs-fields rrs-contact">(.*?)</dl>', page, re.S)
        if m:
            assert m.group(1).lstrip().startswith("<dt>Office</dt>"), path.parent.name


def test_no_official_is_named_from_a_decision_record_or_panel_paper(built_site):
    vocab = load_vocabularies()
    personal = {k for k, e in vocab["source_kinds"].items() if e.get("author_contacts")}
    assert {"decision-record", "panel-report", "contract-award-notice", "minutes"} <= personal
    docs = {d["id"]: d for d in yaml.safe_load((VOCAB_DIR / "sources.yaml").read_text(encoding="utf-8"))}
    checked = 0
    for path in sorted((built_site / "schemes").glob("*/index.html")):
        page = path.read_text(encoding="utf-8")
        cited = set(re.findall(r'<li id="source-([a-z0-9-]+)">', page))
        if cited and all(docs[d]["kind"] in personal for d in cited):
            m = re.search(r'<dl class="rrs-fields rrs-contact">(.*?)</dl>', page, re.S)
            if m:
                assert "<dt>Name</dt>" not in m.group(1), path.parent.name
                for email in re.findall(r'mailto:([^"]+)"', m.group(1)):
                    assert not re.fullmatch(r"[a-z]+([._-][a-z]+)+\d*", email.split("@")[0].lower()), email
            checked += 1
    assert checked >= 10


def test_a_media_agency_contact_for_another_organisation_is_left_out(built_site):
    for slug in ("nottinghamshire-u-turn", "leicestershire-wire-project"):
        text = _contact(built_site, slug)
        assert "bettertimes" not in text and "Sallie" not in text
        assert "The sources give no contact route" in text


def test_a_staff_contact_is_not_shown_as_the_commissioner(built_site):
    text = _contact(built_site, "cambridgeshire-prison-leavers-housing-pathway")
    assert "Office Office of the Cambridgeshire Police and Crime Commissioner Name Connie Anker" in text
    durham = _contact(built_site, "durham-restorative-justice-coordinators")
    assert "Charles Oakley" not in durham and "Office of the Police and Crime Commissioner for County Durham" in durham
