"""Property-based tests: any valid entry round-trips; any mutated entry is handled cleanly."""
from __future__ import annotations

import html
import json
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from generator import build, pages
from generator.downloads import scheme_record
from generator.loader import SchemeLoader
from generator.render import Renderer

# One worker runs them all: hypothesis builds its table of characters once per process (seconds, in a fresh clone).
pytestmark = pytest.mark.xdist_group("hypothesis")

LOADER = SchemeLoader()
SCHEMA = LOADER.schema
BASE = yaml.safe_load(open("tests/valid/minimal-scheme.yaml", encoding="utf-8"))
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
SAMPLE = 25


def _with_short_lists(schema):
    """The schema with each long list of allowed values (documents, organisations: hundreds each) cut to
    SAMPLE values spread along it. Whatever this draws is valid against the full schema too; the cut only
    spares hypothesis-jsonschema, which re-reads a whole value list at every draw (most of this module's time)."""
    if isinstance(schema, dict):
        out = {k: _with_short_lists(v) for k, v in schema.items()}
        values = schema.get("enum")
        if isinstance(values, list) and len(values) > 2 * SAMPLE:
            out["enum"] = values[::len(values) // SAMPLE][:SAMPLE]
        return out
    if isinstance(schema, list):
        return [_with_short_lists(v) for v in schema]
    return schema


# Built once, from the schema with its long value lists cut (see above).
VALID_ENTRIES = from_schema(_with_short_lists(SCHEMA))


def _write(tmp_path_factory, data, name=None):
    slug = name or data.get("slug") if isinstance(data, dict) else "x"
    if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug or ""):
        slug = "generated-entry"
    path = tmp_path_factory.mktemp("p") / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _visible(markdown: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markdown)).split())


@SETTINGS
@given(VALID_ENTRIES)
def test_any_schema_valid_entry_loads_cleanly_and_round_trips(tmp_path_factory, entry):
    path = _write(tmp_path_factory, entry)
    scheme, problems = LOADER.load_file(path)
    if problems:
        # only rules the schema cannot express may fail: dates, ordering, slug, percentages
        allowed = ("control character", "is not a real date", "before it starts", "must equal the file name", "is not a percentage",
                   "value_max is smaller", "is below age_min", "is not among this scheme's sources", "alias cannot be",
                   "a reoffending block belongs on a result", "a follow-up period needs the cohort size",
                   "is not the slug of any scheme", "cannot be part of its own scheme", "per cent is less than 1%",
                   "a percent-change figure must say which way it went",
                   "cannot be added up honestly", "its role is grantee, not delivers", "is the office's name",
                   "a contact needs the office", "is an official's own",
                   "needs a matched or statistical comparison group",
                   "after the date of the information", "has curly quotes")
        for p in problems:
            assert any(a in p.message for a in allowed), str(p)
        return
    assert scheme.data == entry
    site = build.prepare(build.Loaded(LOADER, [scheme]), build.Settings(site_url="https://example.org/"))
    view = site.schemes[0]
    page = Renderer().render(pages.scheme_files(site, view)[0])
    meta = yaml.safe_load(page.split("---\n")[1])
    assert meta["title"] == html.escape(" ".join(entry["title"].split()), quote=True)
    assert meta["description"] == html.escape(" ".join(entry["summary"].split()), quote=True)
    text = _visible(page.split("---\n", 2)[2])
    assert " ".join(entry["summary"].split()) in text
    for paragraph in entry["description"].split("\n\n"):
        if paragraph.strip():
            assert " ".join(paragraph.split()) in text
    record = scheme_record(view)
    for key, value in entry.items():
        assert record[key] == value


def _mutated(data) -> dict:
    """The minimal valid entry with one field deleted or replaced by a value of some other shape."""
    entry = dict(BASE)
    key = data.draw(st.sampled_from(sorted(SCHEMA["properties"])))
    action = data.draw(st.sampled_from(["delete", "text", "number", "list", "null", "bool", "nested", "vocabulary"]))
    if action == "delete":
        entry.pop(key, None)
    elif action == "text":
        entry[key] = data.draw(st.text(max_size=50))
    elif action == "number":
        entry[key] = data.draw(st.one_of(st.integers(), st.floats(allow_nan=False)))
    elif action == "list":
        entry[key] = data.draw(st.lists(st.text(max_size=10), max_size=3))
    elif action == "null":
        entry[key] = None
    elif action == "bool":
        entry[key] = data.draw(st.booleans())
    elif action == "vocabulary":  # a near miss inside a list of vocabulary values, or a good one
        field = data.draw(st.sampled_from(["forces", "target_groups", "intervention_types"]))
        value = data.draw(st.sampled_from(LOADER.vocab.values(field)))
        entry[field] = [value + data.draw(st.sampled_from(["", "s", "-x", " "]))]
    else:
        entry[key] = {"x": data.draw(st.text(max_size=10))}
    return entry


@SETTINGS
@given(st.data())
def test_the_compiled_check_agrees_with_the_full_schema(data):
    """The quick check (generator/schema.py compile_fast_check) accepts exactly what jsonschema accepts."""
    import fastjsonschema
    entry = data.draw(st.one_of(st.builds(dict, VALID_ENTRIES), st.just(None)))
    entry = entry if entry is not None else _mutated(data)
    try:
        LOADER.fast_check(entry)
        accepted = True
    except fastjsonschema.JsonSchemaException:
        accepted = False
    assert accepted == LOADER.validator.is_valid(entry)


@SETTINGS
@given(st.data())
def test_any_mutated_entry_is_valid_or_cleanly_rejected(tmp_path_factory, data):
    entry = _mutated(data)
    path = _write(tmp_path_factory, entry, name="minimal-scheme")
    scheme, problems = LOADER.load_file(path)
    assert (scheme is None) == bool(problems)
    for p in problems:
        assert p.line >= 1 and p.column >= 1 and p.message


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_give_a_result_not_an_exception(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("b") / "random-bytes.yaml"
    path.write_bytes(raw)
    scheme, problems = LOADER.load_file(path)
    assert scheme is None and problems


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_gives_a_result_not_an_exception(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("t") / "random-text.yaml"
    path.write_text(text, encoding="utf-8")
    scheme, problems = LOADER.load_file(path)
    assert scheme is None and problems


@SETTINGS
@given(st.lists(st.one_of(st.text(max_size=30), st.sampled_from(
    ["yes", "No", "~", "null", "2021-04", "2021-04-01", "0123", "1_000", "0x1F", ".5", "-.inf", "1e3", "=", "<<"])), max_size=6))
def test_the_loader_reads_every_scalar_as_the_safe_loader_does(values):
    """Whatever generator/yaml_safety.py accepts, it reads as PyYAML's own (libyaml) safe loader does."""
    from generator.yaml_safety import Refused, SafeLoader, parse
    text = "top: x\n" + "".join(f"k{i}: {v}\nq{i}: {json.dumps(v)}\nl{i}:\n  - {v}\n" for i, v in enumerate(values))
    try:
        conv = parse(text.encode("utf-8"))
    except Refused:
        return  # refused with a message (tested elsewhere); nothing was read
    if conv.problems:
        return  # a value was refused, with a message (tested elsewhere)
    ours = conv.data
    assert repr(ours) == repr(yaml.load(text, Loader=SafeLoader))  # repr: a NaN equals itself
