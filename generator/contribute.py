"""The data of the /contribute/ page, built from the schema, the vocabularies and the entries.

A field reference (every field with its format, allowed values and an
example), every vocabulary with all its values, the blank skeleton that
`python -m generator new` writes, and a real entry rendered the same way, so
the guide cannot drift from what the validator accepts.
"""
from __future__ import annotations

import re

from .formatting import one_line
from .schema import _base_schema
from .skeleton import PLACEHOLDER, SCHEMA_LINE, Skeleton, flow
from .vocabularies import Vocabularies

__all__ = ["contribute_context", "field_reference", "vocabulary_tables", "example_entry", "field_anchor", "value_detail"]

# Columns shown for each vocabulary on /contribute/ besides the value and its label.
_DETAILS = {
    "forces": lambda v, e: f"{v.label('regions', e['region'])}; {e['office']}",
    "organisations": lambda v, e: v.label("organisation_kinds", e["kind"]),
    "sources": lambda v, e: (f"{e['title']}. {e['publisher']}, {e['date']}. "
                             + (e["url"] if e.get("url") else f"No web address: {e.get('no_url_reason', 'not given')}")),
    "evidence_kinds": lambda v, e: f"{e.get('description', '')} Step: {v.label('evidence_ladder', e['ladder'])}.".strip(),
}


def value_detail(vocab: Vocabularies, name: str, key: str) -> str:
    """What one vocabulary value is, in a line, beside its label: on /contribute/ and in the editor schema."""
    detail = _DETAILS.get(name, lambda v, e: e.get("description", ""))
    return one_line(detail(vocab, vocab[name][key]))


def _formats() -> dict[str, str]:
    defs = _base_schema()["definitions"]
    return {
        defs["date"]["pattern"]: 'a date in quotes: "YYYY-MM-DD", "YYYY-MM" or "YYYY" (just the year or month when the source gives no more)',
        defs["slug"]["pattern"]: "lowercase letters, digits and single hyphens",
        defs["https_url"]["pattern"]: "a web address starting with https://",
    }


def _values_at(data, parts: list[str]):
    """Every value at a dotted path like outcomes[].caveat in one scheme's data."""
    found = [data]
    for part in parts:
        is_list = part.endswith("[]")
        key = part[:-2] if is_list else part
        nxt = []
        for item in found:
            if isinstance(item, dict) and key in item:
                value = item[key]
                if is_list and isinstance(value, list):
                    nxt.extend(value)
                else:
                    nxt.append(value)
        found = nxt
    return found


def _shorten(text: str, limit: int = 160) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


# Used only when neither the schema nor any entry gives an example of a field.
_GENERIC_EXAMPLES = {
    _base_schema()["definitions"]["date"]["pattern"]: "2021-03",
    "integer": 18,
    "number": 100,
}


def field_anchor(name: str) -> str:
    """The id of a field's row on /contribute/: funding[].source.document -> funding-source-document."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def field_reference(fields: list[dict], vocab: Vocabularies, schemes: list[dict]) -> list[dict]:
    """Rows of the field reference: schema_fields() plus format, allowed values and an example."""
    formats = _formats()
    rows = []
    for f in fields:
        example = f["example"]
        if example is None:
            # the first real entry that has the field
            parts = f["name"].replace("[].", "[]\0").split("\0")
            parts = [q for p in parts for q in p.split(".")]
            for view in schemes:
                values = _values_at(view["data"], parts)
                if values:
                    example = values[0]
                    break
        if example is None and f["enum"]:
            example = f["enum"][0]
        if example is None:
            example = _GENERIC_EXAMPLES.get(f["pattern"] or f["type"])
        rows.append({
            **f,
            "format": formats.get(f["pattern"], "in the expected format" if f["pattern"] else ""),
            "anchor": field_anchor(f["name"]),
            "allowed": [] if f["vocabulary"] else [str(v) for v in f["enum"]],
            "example_text": "" if example is None else _shorten(example if isinstance(example, str) else flow(example)),
        })
    return rows


def vocabulary_tables(fields: list[dict], vocab: Vocabularies) -> list[dict]:
    """Every vocabulary the schema uses, in the order fields first use it, with every value."""
    names = list(dict.fromkeys(f["vocabulary"] for f in fields if f["vocabulary"]))
    used_by: dict[str, list[dict]] = {}
    for f in fields:
        if f["vocabulary"]:
            used_by.setdefault(f["vocabulary"], []).append({"name": f["name"], "anchor": field_anchor(f["name"])})
    tables = []
    for name in names:
        rows = [{"value": key, "label": vocab.label(name, key), "detail": value_detail(vocab, name, key)}
                for key in vocab[name]]
        tables.append({"name": name, "file": f"vocabularies/{name}.yaml", "fields": used_by[name],
                       "title": name.replace("_", " ").capitalize(), "rows": rows})
    return tables


def example_entry(schemes: list[dict], vocab: Vocabularies) -> dict | None:
    """The real entry that fills the most fields, rendered like `new` writes a file, with comments."""
    if not schemes:
        return None

    def richness(view):
        d = view["data"]
        nested = sum(len(item) for key in ("funding", "outcomes", "organisations") for item in d.get(key, [])[:1])
        return (len(d), nested, view["slug"])

    best = max(schemes, key=richness)
    return {"slug": best["slug"], "title": best["title"],
            "text": Skeleton(vocab).render(best["data"], kind="example")}


def contribute_context(fields: list[dict], vocab: Vocabularies, schemes: list[dict]) -> dict:
    """Everything contribute.md.j2 needs: `fields` is schema_fields(schema), `schemes` the prepared views."""
    skeleton = Skeleton(vocab)
    top = [f for f in fields if "." not in f["name"]]
    return {
        "fields": field_reference(fields, vocab, schemes),
        "top_fields": top,
        "vocabularies": vocabulary_tables(fields, vocab),
        "blank": skeleton.render({}, kind="blank"),
        "example": example_entry(schemes, vocab),
        "placeholder": PLACEHOLDER,
        "schema_line": SCHEMA_LINE,
    }
