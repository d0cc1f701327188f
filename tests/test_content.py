"""Content: every entry is complete enough to be useful and traceable to its sources."""
from __future__ import annotations

import os
import pathlib
import re

import pytest

from conftest import IN_CI, ROOT, scheme_slugs

# The documents the entries cite: ../shared/sources beside the repository, or RRS_SOURCES_DIR.
SOURCES_DIR = pathlib.Path(os.environ.get("RRS_SOURCES_DIR") or ROOT.parent / "shared" / "sources")


def _sources_text_files() -> list:
    """The source documents beside the repository; in CI (CI=true) their absence fails the test."""
    if not SOURCES_DIR.is_dir():
        if IN_CI:
            pytest.fail(f"the source documents are missing: {SOURCES_DIR} must hold them in CI")
        pytest.skip("source documents are not beside the repository (in CI this fails)")
    files = sorted(SOURCES_DIR.glob("*.txt"))
    assert files, f"no source documents (*.txt) in {SOURCES_DIR}"
    return files


def test_all_entries_valid(register):
    assert [str(p) for p in register.problems] == []
    assert len(register.schemes) >= 55


@pytest.mark.parametrize("slug", scheme_slugs())
def test_entry_is_complete_and_traceable(register, slug):
    VOCAB = register.vocab
    d = register.scheme(slug).data
    assert d["sources"] and all(s["document"] in VOCAB["sources"] for s in d["sources"])
    assert all(s.get("section") for s in d["sources"]), "every source names its section"
    assert len(d["summary"]) >= 20
    assert d["target_groups"] and d["intervention_types"] and d["forces"]
    for o in d.get("outcomes", []):
        assert o["evidence"] in VOCAB["evidence_kinds"]
    cited = {s["document"] for s in d["sources"]}
    for item in d.get("funding", []) + d.get("outcomes", []):
        if "source" in item:
            assert item["source"]["document"] in cited
    for key in ("email", "url"):
        value = d.get("contact", {}).get(key)
        if value and key == "url":
            assert value.startswith("https://")


def test_every_organisation_is_used_or_is_a_commissioner(register):
    SCHEMES, VOCAB = register.schemes, register.vocab
    used = {o["organisation"] for s in SCHEMES for o in s.data.get("organisations", [])}
    used |= {f[k] for s in SCHEMES for f in s.data.get("funding", []) for k in ("funder", "recipient") if k in f}
    used |= {c for s in SCHEMES for f in s.data.get("funding", []) for c in f.get("co_funders", [])}
    used |= {g["recipient"] for s in SCHEMES for g in s.data.get("grants", [])}
    unused = [slug for slug in VOCAB["organisations"] if slug not in used and not slug.endswith("-opcc")]
    assert unused == [], "organisations listed but named by no scheme"


def test_urls_and_emails_appear_in_the_sources(register):
    """Web addresses and emails are never invented: each is printed in a source document."""
    SCHEMES, VOCAB = register.schemes, register.vocab
    text = " ".join(p.read_text(errors="replace") for p in _sources_text_files()).lower()
    for s in SCHEMES:
        contact = s.data.get("contact", {})
        for key in ("email", "url"):
            if key in contact:
                needle = contact[key].lower().removeprefix("https://").removeprefix("www.").rstrip("/")
                assert needle in text, (s.slug, contact[key])
    for slug, org in VOCAB["organisations"].items():
        if "website" in org:
            needle = org["website"].lower().removeprefix("https://").removeprefix("www.").rstrip("/")
            assert needle in text, (slug, org["website"])


def test_no_sentences_copied_from_the_sources(register):
    """No run of ten words in a description or summary matches a source document."""
    SCHEMES = register.schemes
    n = 10
    grams = set()
    for p in _sources_text_files():
        w = re.findall(r"[a-z]+", p.read_text(errors="replace").lower())
        grams.update(tuple(w[i:i + n]) for i in range(len(w) - n + 1))
    copied = []
    for s in SCHEMES:
        for key in ("summary", "description", "eligibility"):
            w = re.findall(r"[a-z]+", s.data.get(key, "").lower())
            copied += [(s.slug, " ".join(w[i:i + n])) for i in range(len(w) - n + 1) if tuple(w[i:i + n]) in grams]
    assert copied == []
