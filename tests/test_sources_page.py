"""Sources are records with addresses: /about/sources/ lists every document; scheme pages link each one.

Checked on the built site (the session's `built_site`); the register is loaded inside the tests.
"""
from __future__ import annotations

import html
import re

import pytest
import yaml

from generator.vocabularies import VOCAB_DIR


@pytest.fixture(scope="module")
def documents():
    return yaml.safe_load((VOCAB_DIR / "sources.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sources_page(built_site):
    return (built_site / "about" / "sources" / "index.html").read_text(encoding="utf-8")


def _section(page: str, doc_id: str) -> str:
    m = re.search(rf'<section class="rrs-source" id="{re.escape(doc_id)}".*?</section>', page, re.S)
    assert m, f"{doc_id} is not on /about/sources/"
    return m.group(0)


def test_every_document_has_an_address_or_a_reason_and_the_date_it_was_read(documents):
    for doc in documents:
        assert doc.get("accessed"), doc["id"]
        assert bool(doc.get("url")) != bool(doc.get("no_url_reason")), doc["id"]
        if doc.get("url"):
            assert doc["url"].startswith("https://"), doc["id"]


def test_sources_page_lists_every_document_with_publisher_date_kind_link_and_citing_entries(documents, sources_page):
    for doc in documents:
        part = html.unescape(_section(sources_page, doc["id"]))
        assert doc["title"] in part and doc["publisher"] in part
        assert "<dt>Kind</dt>" in part and "<dt>Date</dt>" in part and "<dt>Read for the register</dt>" in part
        if doc.get("url"):
            assert f'<a class="rrs-source-link" href="{doc["url"]}" rel="nofollow noopener">' in part
        else:
            assert f"None: {doc['no_url_reason']}" in part
        assert re.search(r"<dt>Cited by</dt><dd>(\d+ entr(y|ies): <a href=\"\.\./\.\./schemes/|no entry yet)", part)


def test_the_apcc_report_is_cited_by_the_entries_that_name_it(sources_page):
    part = _section(sources_page, "apcc-2021-reducing-reoffending-in-focus")
    assert 'href="../../schemes/cleveland-divert/"' in part


def test_every_scheme_page_links_each_document_it_cites(built_site, documents):
    by_id = {d["id"]: d for d in documents}
    pages = sorted((built_site / "schemes").glob("*/index.html"))
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if 'class="rrs-sources"' not in text:
            continue  # an alias redirect or the index
        block = text[text.index('<ul class="rrs-sources">'):]
        block = block[:block.index("</ul>")]
        for doc_id in re.findall(r'<li id="source-([a-z0-9-]+)">', block):
            doc = by_id[doc_id]
            item = block[block.index(f'<li id="source-{doc_id}">'):]
            item = item[:item.index("</li>")]
            if doc.get("url"):
                assert f'href="{html.escape(doc["url"])}"' in item, (path, doc_id)
            else:
                assert "no web address: " in item, (path, doc_id)
            assert f'about/sources/#{doc_id}"' in item


def test_every_figure_names_its_document_and_the_place_in_it(built_site):
    text = (built_site / "schemes" / "cleveland-divert" / "index.html").read_text(encoding="utf-8")
    assert ('<a class="rrs-figure-source" href="#source-apcc-2021-reducing-reoffending-in-focus">'
            "PCCs Making a Difference: Reducing Reoffending in Focus, section 16 (Cleveland)</a>") in text
    arbor = (built_site / "schemes" / "derbyshire-arbor-high-risk-offender-accommodation" / "index.html")
    assert re.search(r'class="rrs-figure-source" href="#source-derbyshire-opcc-2020-decision-16-arbor-accommodation">'
                     r"Decision record 16/2020: [^<]+, [^<]+</a>", arbor.read_text(encoding="utf-8"))


def test_downloads_carry_each_source_address(built_site, documents):
    import csv
    import io
    import json

    by_id = {d["id"]: d for d in documents}
    rows = list(csv.DictReader(io.StringIO((built_site / "data" / "schemes.csv").read_text(encoding="utf-8-sig"))))
    data = json.loads((built_site / "data" / "schemes.json").read_text(encoding="utf-8"))
    records = {r["slug"]: r for r in data["schemes"]} if isinstance(data, dict) else {r["slug"]: r for r in data}
    for row in rows:
        record = records[row["slug"]]
        docs = [s["document"] for s in record["sources"]]
        assert row["source_urls"].split("; ") == [by_id[d].get("url", "no web address") for d in docs]
        assert [s["document"] for s in record["derived"]["source_documents"]] == docs
