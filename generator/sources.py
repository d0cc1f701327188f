"""Source documents as readers see them: a scheme's cited documents, and the register's list of all of them.

Every document in vocabularies/sources.yaml has its web address (`url`) or the
reason it has none (`no_url_reason`), and the date it was read (`accessed`).
`source_ref` is one citation on a scheme's page (document plus section);
`source_listing` is the /about/sources/ page: every document with the entries
that cite it, whether or not any entry does.
"""
from __future__ import annotations

from typing import TypedDict

from .formatting import format_date
from .vocabularies import Vocabularies


class SourceRef(TypedDict, total=False):
    document: str        # sources.yaml id
    section: str         # section cited, when given
    place_text: str      # "section 06 (Gwent and South Wales)", "Paragraph 12"
    title: str           # the document's title
    publisher: str       # who published it
    date: str            # its date (partial date text)
    date_text: str       # "February 2020"
    kind: str            # source_kinds.yaml key
    kind_name: str       # "Decision record"
    url: str             # the document's https address, or ""
    no_url_reason: str   # why it has none, or ""
    note: str            # the register's note on the document, or ""
    accessed: str        # the date it was read for the register
    accessed_text: str   # "6 December 2026"


def document(vocab: Vocabularies, doc_id: str) -> SourceRef:
    """One document of sources.yaml, with its labels."""
    entry = vocab["sources"][doc_id]
    return {
        "document": doc_id,
        "title": entry["title"],
        "publisher": entry["publisher"],
        "date": entry["date"],
        "date_text": format_date(entry["date"]),
        "kind": entry["kind"],
        "kind_name": vocab.label("source_kinds", entry["kind"]),
        "url": entry.get("url", ""),
        "no_url_reason": entry.get("no_url_reason", ""),
        "note": entry.get("note", ""),
        "accessed": entry.get("accessed", ""),
        "accessed_text": format_date(entry["accessed"]) if entry.get("accessed") else "",
    }


def source_ref(vocab: Vocabularies, cited: dict) -> SourceRef:
    """A scheme's citation (`document`, `section`) with the document's details."""
    return {**document(vocab, cited["document"]), **cited, "place_text": place_text(cited["section"])}


def source_listing(vocab: Vocabularies, views: list) -> list[dict]:
    """Every document, newest first, each with the schemes that cite it (in their sources or on a figure)."""
    citing: dict[str, list] = {doc_id: [] for doc_id in vocab["sources"]}
    for v in views:
        cited = {s["document"] for s in v["data"].get("sources", [])}
        for group in ("funding", "outcomes", "grants"):
            cited |= {item["source"]["document"] for item in v["data"].get(group, []) if item.get("source")}
        for doc_id in sorted(cited):
            if doc_id in citing:
                citing[doc_id].append(v)
    docs = [{**document(vocab, doc_id), "schemes": schemes} for doc_id, schemes in citing.items()]
    return sorted(docs, key=lambda d: (d["date"], d["document"]), reverse=True)


def place_text(section: str) -> str:
    """Where in a document: "section 06 (Gwent and South Wales)" for a numbered section, else the words given."""
    return f"section {section}" if section[:1].isdigit() else section


def cited_text(vocab: Vocabularies, cited: dict | None) -> str:
    """A figure's source as a reader needs it: the document's title and the place in it; "" for none."""
    if not cited:
        return ""
    return f"{vocab['sources'][cited['document']]['title']}, {place_text(cited['section'])}"
