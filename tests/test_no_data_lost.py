"""Nothing lost: every scheme reaches every place it should, every value reaches its page,
and two builds of the same input are byte-identical.
"""
from __future__ import annotations

import pytest

import csv
import gzip
import html
import io
import json
import re

from conftest import differences
from generator.formatting import format_date, format_figure, format_money, format_number

@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global LOADER, SCHEMES, VOCAB, BY_SLUG_TITLE
    LOADER, SCHEMES, VOCAB = register.loader, register.schemes, register.vocab
    BY_SLUG_TITLE = {s.slug: s.data["title"] for s in SCHEMES}

# field name -> vocabulary whose label the page shows instead of the slug
LABELLED = {
    "forces": "forces", "target_groups": "target_groups", "intervention_types": "intervention_types",
    "stages": "stages", "status": "statuses", "organisation": "organisations", "role": "roles",
    "funder": "organisations", "recipient": "organisations", "evidence": "evidence_kinds",
    "co_funders": "organisations", "comparison": "reoffending_comparisons",
}
DATES = {"start", "end", "as_of", "added", "last_reviewed", "period_start", "period_end", "confirmed_with_office", "decided"}


def _page_text(path):
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<script.*?</script>", " ", raw, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def _expected_strings(data):
    """What a reader should find on the page for every leaf value of the entry."""
    out = []

    def walk(value, key, parent):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k, value)
        elif isinstance(value, list):
            for v in value:
                walk(v, key, parent)
        elif key == "measure" and isinstance(parent.get("comparison"), str):  # a reoffending result's form
            out.append(VOCAB.label("reoffending_measures", value))
        elif key in LABELLED:
            out.append(VOCAB.label(LABELLED[key], value))
        elif key == "basis":
            out.append(f"{format_money(parent['amount'], parent.get('qualifier'))} {VOCAB['funding_bases'][value]['words']}".strip())
        elif key == "share":
            out.append("not added to totals" if value != "whole" else "")
        elif key == "part_of" or (key == "scheme" and "recipient" in parent):  # a fund's grant names its entry
            out.append(BY_SLUG_TITLE.get(value, value))
        elif key == "kind":
            pass  # shown by where the figure is: results, activity, plans or background
        elif key == "follow_up_months":
            out.append(f"follow-up {value} month")
        elif key in DATES:
            out.append(format_date(value))
        elif key == "amount":
            out.append(format_money(value, parent.get("qualifier")))
        elif key in ("value", "value_max", "unit", "qualifier", "category"):
            if key == "value":
                out.append(format_figure(parent, VOCAB["units"]))
        elif key in ("cohort", "age_min", "age_max"):
            out.append(format_number(value) if key == "cohort" else str(value))
        elif key == "document":
            out.append(value)
        elif key in ("aliases", "slug"):
            pass  # aliases become redirects; the slug is the page address
        else:
            for paragraph in str(value).split("\n\n"):
                out.append(" ".join(paragraph.split()))

    walk(data, None, data)
    return out


def test_every_value_of_every_scheme_is_on_its_page(built_site):
    for s in SCHEMES:
        text = _page_text(built_site / "schemes" / s.slug / "index.html")
        missing = [v for v in _expected_strings(s.data) if v not in text]
        assert not missing, (s.slug, missing)


def test_every_scheme_reaches_every_place(built_site):
    index = (built_site / "schemes" / "index.html").read_text(encoding="utf-8")
    searched = set()  # Pagefind's index: one fragment per page (generator/site_search.py)
    for path in (built_site / "pagefind" / "fragment").iterdir():
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        searched.add(json.loads(text[text.index("{"):])["url"].lstrip("/"))
    finder = json.loads((built_site / "data" / "finder.json").read_text(encoding="utf-8"))
    finder_slugs = {s["s"] for s in finder["schemes"]}
    data = json.loads((built_site / "data" / "schemes.json").read_text(encoding="utf-8"))
    json_slugs = {s["slug"] for s in data["schemes"]}
    csv_slugs = {r["slug"] for r in csv.DictReader(io.StringIO((built_site / "data" / "schemes.csv").read_bytes().decode("utf-8-sig")))}
    feed = (built_site / "feed.xml").read_text(encoding="utf-8")
    for s in SCHEMES:
        link = f"schemes/{s.slug}/"
        assert (built_site / link / "index.html").is_file()
        assert f'href="../{link}"' in index
        for force in s.data["forces"]:
            assert f'href="../../{link}"' in (built_site / "forces" / force / "index.html").read_text(encoding="utf-8")
        for tag in s.data["target_groups"] + s.data["intervention_types"]:
            assert f'href="../../{link}"' in (built_site / "tags" / tag / "index.html").read_text(encoding="utf-8")
        assert link in searched
        assert s.slug in finder_slugs and s.slug in json_slugs and s.slug in csv_slugs
        assert f"/{link}</id>" in feed
        assert (built_site / "data" / "schemes" / f"{s.slug}.json").is_file()


def test_two_builds_are_byte_identical(built_site, second_build):
    """One build in one process, one spread over two (generator/parallel.py): same bytes.

    The second build is the session's ProperDocs build (conftest: second_site_build), so each page's
    generator tag names another engine; that tag aside, every byte is the same. Documented exceptions:
    sitemap.xml(.gz) carry the build date (MkDocs), and data/schemes.json carries build_date (pinned for
    both builds with SOURCE_DATE_EPOCH, conftest)."""
    assert differences(built_site, second_build) == (set(), set(), [])


@pytest.mark.site  # a whole MkDocs build of its own
def test_a_docs_page_where_a_generated_page_goes_fails_the_build(tmp_path, clean_schemes):
    """Neither copy silently wins: the build stops and names the file to remove."""
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "forces" / "durham.md").parent.mkdir(parents=True, exist_ok=True)
    (docs / "forces" / "durham.md").write_text("# A page someone wrote by hand\n", encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    config = config.replace("  - generator/hook.py", f"  - {ROOT / 'generator' / 'hook.py'}")
    config = config.replace("\n  - schemes\n  - vocabularies\n  - generator\n", "\n  - docs\n")  # watch: relative paths
    config += f"\ndocs_dir: {docs}\n"
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    env = dict(__import__("os").environ, RRS_SCHEMES_DIR=str(clean_schemes))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "docs/forces/durham.md clashes with a generated page; remove it from docs/" in result.stderr
