"""/contribute/ and CONTRIBUTING.md: the guide, and a field reference that matches the schema and vocabularies."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import os

import pytest
import yaml

from conftest import ROOT, load
from generator.contribute import field_anchor
from generator.loader import SchemeLoader, load_all
from generator.schema import build_schema, schema_fields
from generator.vocabularies import load_vocabularies

@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global LOADER, SCHEMES, VOCAB, FIELDS, USED_VOCABULARIES
    LOADER, SCHEMES, VOCAB = register.loader, register.schemes, register.vocab
    FIELDS = schema_fields(LOADER.schema)
    USED_VOCABULARIES = sorted({f["vocabulary"] for f in FIELDS if f["vocabulary"]})


@pytest.fixture(scope="module")
def contribute_html(built_site) -> str:
    return (built_site / "contribute" / "index.html").read_text(encoding="utf-8")


def _pre(html_text: str, element_id: str) -> str:
    m = re.search(rf'<code id="{element_id}">(.*?)</code>', html_text, flags=re.S)
    assert m, element_id
    return html.unescape(m.group(1))


def _vocabulary_table(html_text: str, name: str) -> str:
    m = re.search(rf'<div class="rrs-table-wrap rrs-vocabulary" data-vocabulary="{name}"[^>]*>(.*?)</table>', html_text, flags=re.S)
    assert m, f"no table for vocabulary {name}"
    return m.group(1)


def test_every_schema_field_has_a_row(contribute_html):
    assert FIELDS, "the schema has fields"
    for f in FIELDS:
        m = re.search(rf'<tr id="field-{re.escape(field_anchor(f["name"]))}"><td><code>{re.escape(f["name"])}</code></td>'
                      r'<td>(.*?)</td><td>(required|optional)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>', contribute_html)
        assert m, f["name"]
        kind, required, allowed, example, meaning = m.groups()
        assert html.unescape(kind) == f["type"]
        assert required == ("required" if f["required"] else "optional"), f["name"]
        if f["vocabulary"]:
            assert f'href="#vocab-{f["vocabulary"]}"' in allowed
        for value in ([] if f["vocabulary"] else f["enum"]):
            assert f"<code>{html.escape(str(value))}</code>" in allowed, (f["name"], value)
        if f["pattern"]:
            assert allowed.strip() and allowed != "any", f["name"]
        assert "<code>" in example, f"{f['name']} has no example"
        assert html.unescape(meaning) == f["description"]


def test_every_value_of_every_vocabulary_is_listed_with_its_label(contribute_html):
    assert {"forces", "target_groups", "intervention_types", "stages", "statuses", "sources",
            "organisations", "roles", "units", "evidence_kinds"} <= set(USED_VOCABULARIES)
    for name in USED_VOCABULARIES:
        table = _vocabulary_table(contribute_html, name)
        rows = re.findall(r"<tr><td><code>(.*?)</code></td><td>(.*?)</td>", table)
        listed = {html.unescape(v): html.unescape(label) for v, label in rows}
        assert list(listed) == VOCAB.values(name), name
        for value in VOCAB.values(name):
            assert listed[value] == VOCAB.label(name, value), (name, value)
        assert f'id="vocab-{name}"' in contribute_html


def test_the_guide_has_the_steps(contribute_html):
    text = html.unescape(re.sub(r"<[^>]+>", " ", contribute_html))
    for phrase in ["Correct a scheme in your browser", "Edit this page", "Add a scheme in your browser",
                   "Create new file", "python -m generator new", "python -m generator validate",
                   "pull request", "aliases", "vocabularies/target_groups.yaml", "No personal data"]:
        assert phrase in text, phrase
    assert 'href="../schema/scheme.schema.json"' in contribute_html


def test_contribute_is_in_the_navigation(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="contribute/"[^>]*>\s*(<span[^>]*>\s*)?Contribute', home)


def test_blank_entry_is_the_scaffold_and_fails_until_filled(contribute_html, tmp_path):
    text = _pre(contribute_html, "blank-entry-yaml")
    assert text.startswith("# yaml-language-server: $schema=")
    data = yaml.safe_load(text)
    assert set(data) == set(LOADER.schema["required"])
    path = tmp_path / "blank.yaml"
    path.write_text(text, encoding="utf-8")
    scheme, problems = SchemeLoader().load_file(path)
    assert scheme is None and problems
    assert all("placeholder TODO" in p.message for p in problems)


def test_annotated_example_is_a_real_entry_exactly(contribute_html):
    text = _pre(contribute_html, "example-entry-yaml")
    data = yaml.safe_load(text)
    match = [s for s in SCHEMES if s.slug == data["slug"]]
    assert match and match[0].data == data
    # annotated: each field's explanation above it
    for name, node in LOADER.schema["properties"].items():
        assert f"# {name} (" in text


def test_contributing_md_names_every_top_level_field_and_the_steps():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for name in LOADER.schema["properties"]:
        assert f"`{name}`" in text, name
    for name in LOADER.schema["required"]:
        assert f"**`{name}`**" in text, f"{name} is required: bold it in CONTRIBUTING.md"
    for phrase in ["Edit this", "Create new file", "python -m generator new", "python -m generator validate",
                   "/contribute/", "Suggest a scheme", "aliases", "personal data"]:
        assert phrase in text, phrase


def test_a_new_target_group_reaches_schema_reference_and_tag_pages(fixture_site, tmp_path):
    """Adding a vocabulary value is a contribution: one change in a data file, picked up everywhere.

    The session's fixture site (conftest) is built from a copy of the repository whose
    vocabularies/target_groups.yaml gained `veterans` (conftest.NEW_TARGET_GROUP)."""
    repo = fixture_site.repo
    assert "- slug: veterans\n" in (repo / "vocabularies" / "target_groups.yaml").read_text(encoding="utf-8")
    # the schema
    vocab = load_vocabularies(repo / "vocabularies")
    schema = build_schema(vocab)
    assert "veterans" in schema["properties"]["target_groups"]["items"]["enum"]
    # the validator accepts it
    loader = SchemeLoader(vocab)
    entry = (ROOT / "tests" / "valid" / "minimal-scheme.yaml").read_text(encoding="utf-8")
    path = tmp_path / "minimal-scheme.yaml"
    path.write_text(entry.replace("target_groups: [women]", "target_groups: [veterans]"), encoding="utf-8")
    assert loader.load_file(path)[1] == []
    # the built site: published schema, field reference, tag page and tag index
    site = fixture_site.site
    published = json.loads((site / "schema" / "scheme.schema.json").read_text(encoding="utf-8"))
    assert "veterans" in published["properties"]["target_groups"]["items"]["enum"]
    contribute_html = (site / "contribute" / "index.html").read_text(encoding="utf-8")
    table = _vocabulary_table(contribute_html, "target_groups")
    assert "<tr><td><code>veterans</code></td><td>Armed forces veterans</td>" in table
    assert (site / "tags" / "veterans" / "index.html").is_file()
    assert 'tags/veterans/"' in (site / "tags" / "index.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_contribute_page_passes_axe_and_copies_the_blank_entry(page, site_url):
    import axe_core

    p = page.page
    load(page, site_url + "/contribute/")
    violations = axe_core.violations(p)
    assert violations == [], axe_core.report(violations)
    assert p.locator("h1").count() == 1
    # the blank entry shows as many lines, each YAML line on its own
    text = p.locator("#blank-entry-yaml").inner_text()
    assert text.splitlines()[0].startswith("# yaml-language-server: $schema=")
    assert "\nslug: TODO\n" in text
