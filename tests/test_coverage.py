"""Coverage and currency (issue 26): the home page says how many entries, areas and documents the register
holds and how recent its information is, from the entries themselves; an area with no entry says what was searched."""
from __future__ import annotations

import html
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _newest_year(data: dict, sources: dict) -> str:
    """The year of an entry's newest information: its as_of or its newest cited document, whichever is later."""
    dates = [str(data["as_of"])] + [str(sources[s["document"]]["date"]) for s in data["sources"]]
    return max(d[:4] for d in dates)


def test_home_page_counts_come_from_the_entries(register, built_site):
    sources = register.vocab["sources"]
    schemes = [s.data for s in register.schemes]
    years = [_newest_year(d, sources) for d in schemes]
    current = sum(1 for y in years if int(y) >= 2022)
    documents = len({s["document"] for d in schemes for s in d["sources"]})
    forces = len({f for d in schemes for f in d["forces"]})
    home = _text((built_site / "index.html").read_text(encoding="utf-8"))
    assert f"{len(schemes)} schemes" in home and f"{forces} force areas" in home
    assert f"{documents} source documents" in home
    assert (f"Information runs from {min(years)} to {max(years)}: {current} of the {len(schemes)} entries have "
            "information from 2022 or later") in home


def test_an_area_with_no_entry_says_what_was_searched(register, built_site):
    covered = {f for s in register.schemes for f in s.data["forces"]}
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    empty = [slug for slug in register.vocab["forces"] if slug not in covered]
    for slug in empty:
        force = register.vocab["forces"][slug]
        page = _text((built_site / "forces" / slug / "index.html").read_text(encoding="utf-8"))
        assert "The register holds no scheme for this force area yet" in page
        assert "searched" in force, f"{slug} has no entry: record what was searched in vocabularies/forces.yaml"
        assert "What was searched" in page
        for query in force["searched"]["queries"]:
            assert query in page, (slug, query)
            assert query in contributing, (slug, query)
    for slug in covered:  # a searched: block is removed once the area has an entry
        assert "searched" not in register.vocab["forces"][slug], slug

