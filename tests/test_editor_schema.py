"""The schema editors read: schema/scheme.schema.json, committed, current, and named by every entry."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import jsonschema
import pytest
import yaml

from conftest import ROOT, run_cli
from generator.editor_schema import EDITOR_SCHEMA, SCHEMA_LINE, SCHEMA_REF, editor_schema, render
from generator.loader import load_all
from generator.schema import build_schema
from generator.vocabularies import load_vocabularies

@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global LOADER, SCHEMES, VOCAB
    LOADER, SCHEMES, VOCAB = register.loader, register.schemes, register.vocab
EDITOR_ONLY = {"enumDescriptions", "markdownEnumDescriptions", "$comment"}


def _committed() -> dict:
    return json.loads(EDITOR_SCHEMA.read_text(encoding="utf-8"))


def _without_editor_keywords(node):
    if isinstance(node, dict):
        return {k: _without_editor_keywords(v) for k, v in node.items() if k not in EDITOR_ONLY}
    if isinstance(node, list):
        return [_without_editor_keywords(v) for v in node]
    return node


def _vocab_node(schema: dict, name: str) -> dict:
    found = [node for node in _all_vocab_nodes(schema) if node["x-vocabulary"] == name]
    assert found, name
    return found[0]


def _described(node: dict, value: str) -> tuple[str, str]:
    i = node["enum"].index(value)
    return node["enumDescriptions"][i], node["markdownEnumDescriptions"][i]


def test_committed_schema_is_up_to_date():
    assert EDITOR_SCHEMA.is_file(), "schema/scheme.schema.json is missing: run `make schema`"
    assert EDITOR_SCHEMA.read_text(encoding="utf-8") == render(), (
        "schema/scheme.schema.json is out of date with vocabularies/ or generator/scheme.schema.yaml: "
        "run `make schema` (python -m generator schema) and commit it")


def test_it_is_the_published_schema_plus_names():
    """The loader's and the site's schema, built by the same code; only editor keywords added."""
    committed = _without_editor_keywords(_committed())
    date = committed["definitions"]["date"]  # the one editor difference: a date may be an unquoted year
    assert date["anyOf"][1] == {"type": "integer", "minimum": 1000, "maximum": 9999}
    committed["definitions"]["date"] = {"description": date["description"], **date["anyOf"][0]}
    expected = build_schema(VOCAB)
    expected["definitions"]["date"] = {"description": expected["definitions"]["date"]["description"],
                                       **{k: v for k, v in expected["definitions"]["date"].items() if k != "description"}}
    assert committed == expected
    # the loader checks entries against its own schema in memory, which carries no editor keywords
    assert "enumDescriptions" not in json.dumps(LOADER.schema)
    jsonschema.Draft7Validator.check_schema(_committed())


def test_forces_organisations_and_sources_show_their_names():
    schema = _committed()
    plain, markdown = _described(_vocab_node(schema, "forces"), "kent")
    assert plain.startswith("Kent: ") and "Kent" in plain.split(": ", 1)[1]
    assert markdown.startswith("**Kent**")
    orgs = _vocab_node(schema, "organisations")
    slug, entry = next(iter(VOCAB["organisations"].items()))
    assert _described(orgs, slug)[0].startswith(entry["name"] + ":")
    sources = _vocab_node(schema, "sources")
    sid, source = next(iter(VOCAB["sources"].items()))
    plain, _ = _described(sources, sid)
    assert plain.startswith(source["title"]) and source["publisher"] in plain
    # every vocabulary-backed field: one description per allowed value
    for node in _all_vocab_nodes(schema):
        assert len(node["enumDescriptions"]) == len(node["markdownEnumDescriptions"]) == len(node["enum"])


def _all_vocab_nodes(schema):
    out = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("x-vocabulary"):
                out.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return out


def test_every_entry_is_valid_against_the_committed_schema():
    validator = jsonschema.Draft7Validator(_committed())
    for scheme in SCHEMES:
        errors = [e.message for e in validator.iter_errors(scheme.data)]
        assert errors == [], scheme.slug
    wrong = dict(SCHEMES[0].data, forces=["kent-police"])
    assert any("kent-police" in e.message for e in validator.iter_errors(wrong))


def test_every_entry_names_the_committed_schema_on_its_first_line():
    paths = sorted((ROOT / "schemes").glob("*.yaml"))
    assert paths
    for path in paths:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == SCHEMA_LINE, path.name
    assert (ROOT / "schemes" / SCHEMA_REF).resolve() == EDITOR_SCHEMA.resolve()


def test_vscode_maps_scheme_files_to_the_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping == {"./schema/scheme.schema.json": ["schemes/*.yaml"]}
    assert (ROOT / "schema" / "scheme.schema.json").is_file()
    assert "redhat.vscode-yaml" in json.loads((ROOT / ".vscode" / "extensions.json").read_text())["recommendations"]


def test_a_vocabulary_change_makes_the_committed_file_stale(tmp_path):
    vocab_dir = tmp_path / "vocabularies"
    shutil.copytree(ROOT / "vocabularies", vocab_dir)
    groups = yaml.safe_load((vocab_dir / "target_groups.yaml").read_text(encoding="utf-8"))
    groups.append({"slug": "veterans", "name": "Armed forces veterans", "description": "People who served."})
    (vocab_dir / "target_groups.yaml").write_text(yaml.safe_dump(groups, sort_keys=False), encoding="utf-8")
    changed = load_vocabularies(vocab_dir)
    text = render(changed)
    assert text != EDITOR_SCHEMA.read_text(encoding="utf-8")
    node = _vocab_node(editor_schema(changed), "target_groups")
    assert _described(node, "veterans")[0] == "Armed forces veterans: People who served."


def _schema_cli(*args):
    """`python -m generator schema ARGS`, in this process (conftest.run_cli)."""
    return run_cli(["schema", *args])


def test_the_command_writes_the_file_and_check_fails_when_stale(tmp_path):
    out = tmp_path / "scheme.schema.json"
    result = _schema_cli("--output", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == EDITOR_SCHEMA.read_text(encoding="utf-8")
    assert _schema_cli("--check", "--output", str(out)).returncode == 0
    out.write_text(out.read_text(encoding="utf-8").replace('"kent"', '"kent-old"', 1), encoding="utf-8")
    stale = _schema_cli("--check", "--format", "github", "--output", str(out))
    assert stale.returncode == 1
    assert stale.stdout.startswith("::error file=") and "make schema" in stale.stdout
    assert _schema_cli("--check").returncode == 0  # the committed file


@pytest.mark.parametrize("target", ["schema"])
def test_make_has_the_target(target):
    assert f"\n{target}:" in (ROOT / "Makefile").read_text(encoding="utf-8")
