"""Feeds to follow: every force, tag and organisation feed parses as Atom, with stable ids, dates and links."""
from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest

from generator import dates, feeds

A = "{http://www.w3.org/2005/Atom}"
TAG_ID = re.compile(r"^tag:[a-z0-9.-]+,\d{4}-\d{2}-\d{2}:[a-z0-9/-]+$")
FOLDERS = ("forces", "tags", "providers")


def _when(text: str) -> datetime.datetime:
    assert text.endswith("Z"), text
    return datetime.datetime.fromisoformat(text[:-1])


def check_feed(root: ET.Element, site_root: str, site) -> list[ET.Element]:
    """The feed's required parts; returns its entries."""
    assert root.tag == f"{A}feed"
    assert TAG_ID.match(root.findtext(f"{A}id")), root.findtext(f"{A}id")
    assert root.findtext(f"{A}title") and root.findtext(f"{A}author/{A}name")
    _when(root.findtext(f"{A}updated"))
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{A}link")}
    assert links["self"].startswith(site_root) and links["self"].endswith("/feed.xml")
    page = links["alternate"][len(site_root):]
    assert (site / page / "index.html").is_file(), page
    assert (site / links["self"][len(site_root):]).is_file()
    entries = root.findall(f"{A}entry")
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(ids) == len(set(ids))
    for e in entries:
        assert TAG_ID.match(e.findtext(f"{A}id"))
        assert e.findtext(f"{A}title") and e.findtext(f"{A}summary")
        assert _when(e.findtext(f"{A}updated")) <= _when(root.findtext(f"{A}updated"))
        _when(e.findtext(f"{A}published"))
        href = e.find(f"{A}link").get("href")
        assert (site / href[len(site_root):] / "index.html").is_file(), href
    return entries


def test_every_page_feed_parses_and_links_back(built_site, prepared):
    site_root = prepared.site_url.rstrip("/") + "/"
    found = {folder: sorted(p.parent.name for p in (built_site / folder).glob("*/feed.xml")) for folder in FOLDERS}
    assert found["forces"] == sorted(f["slug"] for f in prepared.forces)
    assert found["tags"] == sorted(t["slug"] for g in prepared.tag_groups for t in g["entries"])
    assert found["providers"] == sorted(p["slug"] for p in prepared.providers)
    for folder, slugs in found.items():
        for slug in slugs:
            check_feed(ET.parse(built_site / folder / slug / "feed.xml").getroot(), site_root, built_site)
            page = (built_site / folder / slug / "index.html").read_text(encoding="utf-8")
            assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="feed.xml">', page), (folder, slug)
            assert f'/{folder}/{slug}/feed.xml" type="application/atom+xml"' in page  # the visible link
    for force in prepared.forces:
        root = ET.parse(built_site / "forces" / force["slug"] / "feed.xml").getroot()
        linked = {e.find(f"{A}link").get("href") for e in root.findall(f"{A}entry")}
        assert linked == {v["url"] for v in prepared.by_force.get(force["slug"], [])}


def test_entries_say_added_changed_and_ended(prepared):
    for v in prepared.schemes:
        kinds = [e["kind"] for e in feeds.events(v)]
        assert kinds[0] == "added"
        assert ("changed" in kinds) == (dates.first_day(str(v["last_reviewed"])) > dates.first_day(str(v["added"])))
        assert ("ended" in kinds) == (v["status"] == "ended")


def test_ids_do_not_depend_on_the_build(prepared, built_site):
    force = next(f for f in prepared.forces if prepared.by_force.get(f["slug"]))
    args = {"views": prepared.by_force[force["slug"]], "page_path": f"forces/{force['slug']}/", "title": "x",
            "site_url": prepared.site_url}
    first = ET.fromstring(feeds.atom_feed(**args))
    again = ET.fromstring(feeds.atom_feed(**{**args, "title": "y"}))
    built = ET.parse(built_site / "forces" / force["slug"] / "feed.xml").getroot()
    ids = [[e.findtext(f"{A}id") for e in r.iter(f"{A}entry")] for r in (first, again, built)]
    assert ids[0] == ids[1] == ids[2] and ids[0]
    assert first.findtext(f"{A}id") == built.findtext(f"{A}id")


def test_a_feed_with_no_entries_is_valid(prepared, built_site):
    root = ET.fromstring(feeds.atom_feed([], prepared.site_url, "tags/nothing/", "nothing"))
    assert root.findall(f"{A}entry") == []
    assert root.findtext(f"{A}updated") == f"{feeds.FEEDS_BEGAN}T00:00:00Z"
    assert TAG_ID.match(root.findtext(f"{A}id"))


def test_hostile_title_is_text_in_every_feed(fixture_site):
    for folder, slug in (("forces", "durham"), ("forces", "dorset")):
        raw = (fixture_site.site / folder / slug / "feed.xml").read_bytes()
        assert b"<script" not in raw
        root = ET.fromstring(raw)
        titles = [e.findtext(f"{A}title") for e in root.iter(f"{A}entry")]
        assert any("<script>alert(1)</script>" in t for t in titles)
    for path in fixture_site.site.glob("*/*/feed.xml"):
        ET.parse(path)


@pytest.mark.browser
def test_finder_offers_the_feed_of_a_one_facet_selection(page, site_url, prepared):
    force = next(f for f in prepared.forces if prepared.by_force.get(f["slug"]))
    page.page.goto(f"{site_url}/finder/?forces={force['slug']}")
    page.page.wait_for_selector(".rrs-finder[data-ready=true]")
    link = page.page.locator("[data-finder-follow]")
    assert link.is_visible()
    assert link.get_attribute("href").endswith(f"forces/{force['slug']}/feed.xml")
    assert force["name"] in link.text_content()
    page.page.goto(f"{site_url}/finder/?forces={force['slug']}&status=running")
    page.page.wait_for_selector(".rrs-finder[data-ready=true]")
    assert not page.page.locator("[data-finder-follow]").is_visible()
    page.page.goto(f"{site_url}/finder/?target_groups=women")
    page.page.wait_for_selector(".rrs-finder[data-ready=true]")
    assert page.page.locator("[data-finder-follow]").get_attribute("href").endswith("tags/women/feed.xml")
