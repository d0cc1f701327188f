"""Who, as the source says: a fund's grantees are grantees, not deliverers; an office is named as it was
at the date of the information (forces.yaml former_offices, organisations.yaml former_names)."""
from __future__ import annotations

import html
import re


import pytest

from generator.vocabularies import load_vocabularies


@pytest.fixture(scope="module")
def model_site_for_who(fixture_site):
    """The fixture site (conftest), which holds tests/fixtures/new-model's entries."""
    return fixture_site.site


def _row(built_site, slug: str, key: str) -> str:
    page = (built_site / "schemes" / slug / "index.html").read_text(encoding="utf-8")
    m = re.search(rf'<div class="rrs-summary-row" data-row="{key}">(.*?)</div>', page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split())


def _text(path) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))).split())


def test_a_funds_grantee_is_not_named_as_who_delivers_it(built_site):
    assert _row(built_site, "lancashire-reducing-reoffending-fund", "delivers").endswith("Not reported in the sources")
    page = _text(built_site / "schemes" / "lancashire-reducing-reoffending-fund" / "index.html")
    assert "Foxton Centre Receives a grant" in page
    assert "Foxton Centre £20,000 one-off" in page
    provider = _text(built_site / "providers" / "foxton-centre" / "index.html")
    assert "Receives a grant" in provider


def test_offices_are_named_as_they_were_at_the_date_of_the_information(built_site):
    for slug in ("north-yorkshire-womens-cj-diversion-scheme", "north-yorkshire-womens-wellness-centre-york"):
        area = _row(built_site, slug, "area")
        assert "North Yorkshire Police, Fire and Crime Commissioner" in area and "Mayor" not in area, area
    area = _row(built_site, "west-yorkshire-pain-2-purpose", "area")
    assert "West Yorkshire Police and Crime Commissioner" in area and "Mayor" not in area
    page = _text(built_site / "schemes" / "west-yorkshire-pain-2-purpose" / "index.html")
    assert "now the Mayor of West Yorkshire" in page
    # the force page is about the office today
    assert "Mayor of West Yorkshire" in _text(built_site / "forces" / "west-yorkshire" / "index.html")


def test_a_grantee_in_a_fixture_fund_is_no_deliverer(model_site_for_who):
    assert _row(model_site_for_who, "test-county-community-fund", "delivers").endswith("Not reported in the sources")


def test_label_at_reads_the_name_at_a_date():
    vocab = load_vocabularies()
    assert vocab.label_at("organisations", "west-yorkshire-opcc", "2021") == "West Yorkshire Police and Crime Commissioner"
    assert vocab.label_at("organisations", "west-yorkshire-opcc", "2021-05") == "Mayor of West Yorkshire"
    assert vocab.office_at("north-yorkshire", "2018-10")[0] == "North Yorkshire Police and Crime Commissioner"
    assert vocab.office_at("north-yorkshire", "2021") == ("North Yorkshire Police, Fire and Crime Commissioner", "pfcc")
    assert vocab.office_at("north-yorkshire", "2025")[1] == "mayor"
