"""Schema never stale by hand (issue 27): a vocabulary-only difference passes the pull-request check with a
notice (the file is regenerated on main); a change to the schema's shape still fails."""
from __future__ import annotations

import json

from conftest import ROOT

COMMITTED = ROOT / "schema" / "scheme.schema.json"


def _run(*args):
    from generator.cli import main

    return main(["schema", "--check", "--format", "github", *args])


def test_a_vocabulary_only_difference_passes_with_a_notice(tmp_path, capsys):
    out = tmp_path / "scheme.schema.json"
    data = json.loads(COMMITTED.read_text(encoding="utf-8"))
    node = data["properties"]["target_groups"]["items"]
    for key in ("enum", "enumDescriptions", "markdownEnumDescriptions"):
        node[key] = node[key][:-1]  # as if the last target group were added after the file was written
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert _run("--output", str(out)) == 1
    capsys.readouterr()
    assert _run("--allow-vocabulary-only", "--output", str(out)) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("::notice file=") and "regenerated on main after the merge" in printed


def test_a_change_to_the_shape_still_fails(tmp_path, capsys):
    out = tmp_path / "scheme.schema.json"
    data = json.loads(COMMITTED.read_text(encoding="utf-8"))
    data["properties"]["title"]["maxLength"] = 10
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert _run("--allow-vocabulary-only", "--output", str(out)) == 1
    assert "make schema" in capsys.readouterr().out


def test_the_workflows_regenerate_it():
    pr = (ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8")
    assert "schema --check --format github --allow-vocabulary-only" in pr
    main = (ROOT / ".github" / "workflows" / "schema.yml").read_text(encoding="utf-8")
    assert ".venv/bin/python -m generator schema\n" in main and "git push" in main
    assert "generator schema" in (ROOT / ".github" / "workflows" / "suggestion.yml").read_text(encoding="utf-8")


def test_vocabulary_files_get_editor_completion():
    """Each vocabulary file has a committed editor schema (current, or behind only in vocabulary values),
    mapped in .vscode/settings.json; a wrong kind in organisations.yaml is caught by it."""
    import jsonschema
    import yaml

    from generator.editor_schema import vocabulary_only_difference, vocabulary_schemas
    from generator.vocabularies import NAMES

    files = vocabulary_schemas()
    assert len(files) == len(NAMES)
    mapping = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for path, text in files.items():
        assert path.read_text(encoding="utf-8") == text or vocabulary_only_difference(path, text), path.name
        name = path.name.removesuffix(".schema.json")
        assert mapping[f"./schema/vocabularies/{path.name}"] == [f"vocabularies/{name}.yaml"]
    organisations = json.loads((ROOT / "schema" / "vocabularies" / "organisations.schema.json").read_text())
    kind = organisations["items"]["properties"]["kind"]
    assert "charity" in kind["enum"] and kind["enumDescriptions"][kind["enum"].index("charity")] == "Charity"
    data = yaml.safe_load((ROOT / "vocabularies" / "organisations.yaml").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(organisations)
    assert list(validator.iter_errors(data)) == []
    assert list(validator.iter_errors([{"slug": "x", "name": "X", "kind": "charaty"}]))
