"""Structured data: JSON-LD on scheme, organisation and data pages parses, carries what it must and agrees with the page."""
from __future__ import annotations

import html
import json
import re

from generator import structured_data

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def ld_of(page_html: str) -> dict:
    found = LD.findall(page_html)
    assert len(found) == 1, f"{len(found)} JSON-LD scripts"
    assert "<" not in found[0] and ">" not in found[0]
    return json.loads(found[0])


def _text(page_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", LD.sub("", page_html)))


def test_script_cannot_be_closed_by_hostile_text():
    hostile = '</script><script>alert(1)</script><!-- & "quote" \u2028'
    out = str(structured_data.script({"name": hostile}))
    inner = out[len('<script type="application/ld+json">'):-len("</script>")]
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"name": hostile}


def test_every_scheme_page_has_json_ld_that_agrees_with_it(built_site, prepared):
    for view in prepared.schemes:
        page = (built_site / "schemes" / view["slug"] / "index.html").read_text(encoding="utf-8")
        data = ld_of(page)
        text = _text(page)
        assert data["@context"] == "https://schema.org"
        assert "GovernmentService" in data["@type"]
        assert data["name"] == view["title"] and data["url"] == view["url"]
        assert data["description"] == view["summary"]
        assert [a["name"] for a in data["areaServed"]] == [f"{f['name']} police force area" for f in view["forces"]]
        for f in view["forces"]:
            assert f["name"] in text
        assert [p["name"] for p in data.get("provider", [])] == [o["name"] for o in view["providers"]]
        funders = {f["funder_name"] for f in view["funding"] if f.get("funder_name")}
        assert {f["name"] for f in data.get("funder", [])} == funders
        for name in funders:
            assert name in text, (view["slug"], name)
        grants = data.get("funding", [])
        assert len(grants) == sum(1 for f in view["funding"] if f.get("amount") not in (None, ""))
        for grant, f in zip(grants, view["funding"], strict=True):
            assert grant["@type"] == "MonetaryGrant"
            amount = grant["amount"]
            assert amount["currency"] == "GBP"
            assert f["amount"] in [amount.get(k) for k in ("value", "minValue", "maxValue")]
            assert grant["description"] == f["amount_basis_text"]


def test_organisation_pages_carry_an_organisation(built_site, prepared):
    assert prepared.providers
    for p in prepared.providers:
        page = (built_site / "providers" / p["slug"] / "index.html").read_text(encoding="utf-8")
        data = ld_of(page)
        assert data["@type"] == "Organization" and data["name"] == p["name"]
        assert data["url"].endswith(f"/providers/{p['slug']}/")
        assert p["kind_name"] in _text(page)


def test_data_page_is_a_dataset_with_each_download(built_site):
    page = (built_site / "about" / "data" / "index.html").read_text(encoding="utf-8")
    data = ld_of(page)
    assert data["@type"] == "Dataset" and data["license"].startswith("https://")
    assert data["name"] and data["description"] and data["url"].endswith("/about/data/")
    assert data["distribution"]
    for d in data["distribution"]:
        assert d["@type"] == "DataDownload" and d["encodingFormat"]
        path = d["contentUrl"].split("/", 3)[3]
        assert (built_site / path).is_file(), path
        assert d["name"] in page


def test_hostile_title_stays_inside_the_json_ld(fixture_site):
    page = (fixture_site.site / "schemes" / "hostile-scheme" / "index.html").read_text(encoding="utf-8")
    data = ld_of(page)
    assert "<script>" in data["name"]  # the text survives as text, escaped in the source
