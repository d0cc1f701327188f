"""Vocabulary files are checked like scheme files: own schema, strict loader, `path:line:column: field: message`.

Each file in tests/invalid_vocabularies/ named <vocabulary>--<case>.yaml stands
in for vocabularies/<vocabulary>.yaml (hyphens for underscores) beside the real
other vocabularies; its exact messages are in
tests/invalid_vocabularies/expected.yaml.
"""
from __future__ import annotations

import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import run_cli
from generator import build
from generator.vocabularies import (NAMES, SCHEMA_DIR, VOCAB_DIR, VocabularyError, check_vocabularies,
                                    load_vocabularies, vocabulary_schema)

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE / "invalid_vocabularies"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
VOCAB = load_vocabularies()


def _vocabulary_of(fixture: str) -> str:
    return fixture.split("--")[0].replace("-", "_")


def _with(tmp_path, fixture: pathlib.Path) -> pathlib.Path:
    """A copy of vocabularies/ with one file replaced by the fixture."""
    directory = tmp_path / "vocabularies"
    shutil.copytree(VOCAB_DIR, directory)
    shutil.copy(fixture, directory / f"{_vocabulary_of(fixture.name)}.yaml")
    return directory


def _fill_allowed(line: str) -> str:
    return re.sub(r"\{allowed:(\w+)\}", lambda m: ", ".join(VOCAB.values(m.group(1))), line)


def test_every_vocabulary_file_has_a_schema_and_every_schema_a_file():
    files = {p.stem for p in VOCAB_DIR.glob("*.yaml")}
    schemas = {p.name[: -len(".schema.yaml")] for p in SCHEMA_DIR.glob("*.schema.yaml")}
    assert files == set(NAMES) == schemas


def test_the_real_vocabularies_are_valid():
    vocab, problems = check_vocabularies()
    assert problems == []
    assert not vocab.unreadable


def test_every_fixture_has_an_expectation_and_every_expectation_a_fixture():
    files = {p.name for p in FIXTURES.glob("*--*.yaml")}
    assert files == set(EXPECTED)
    assert all(_vocabulary_of(name) in NAMES for name in files)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_vocabulary_gives_exact_messages(tmp_path, name):
    directory = _with(tmp_path, FIXTURES / name)
    _, problems = check_vocabularies(directory)
    shown = {pathlib.Path(p.path).name for p in problems}
    assert shown == {f"{_vocabulary_of(name)}.yaml"}, problems  # nothing reported in the files left alone
    got = [f"{p.line}:{p.column}: {p.field}: {p.message}" for p in problems]
    assert got == [_fill_allowed(line) for line in EXPECTED[name]]


def test_a_source_needs_title_publisher_date_kind_and_the_date_it_was_read():
    schema = vocabulary_schema("sources", VOCAB)
    assert set(schema["items"]["required"]) >= {"id", "title", "publisher", "date", "kind", "accessed"}
    assert schema["items"]["properties"]["kind"]["enum"] == VOCAB.values("source_kinds")


def test_an_organisation_needs_a_name_and_a_kind_from_the_list():
    schema = vocabulary_schema("organisations", VOCAB)
    assert set(schema["items"]["required"]) == {"slug", "name", "kind"}
    assert schema["items"]["properties"]["kind"]["enum"] == VOCAB.values("organisation_kinds")


def test_unquoted_dates_in_sources_read_as_dates(tmp_path):
    directory = tmp_path / "vocabularies"
    shutil.copytree(VOCAB_DIR, directory)
    path = directory / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('date: "2021"', "date: 2021", 1).replace('date: "2015-10-20"', "date: 2015-10-20", 1)
    text = text.replace('date: "2020-02"', "date: 2020-02", 1)
    path.write_text(text, encoding="utf-8")
    vocab, problems = check_vocabularies(directory)
    assert problems == []
    dates = {entry["date"] for entry in vocab["sources"].values()}
    assert {"2021", "2015-10-20", "2020-02"} <= dates


def test_a_vocabulary_problem_stops_the_build_with_its_problems(tmp_path):
    directory = _with(tmp_path, FIXTURES / "organisations--kind-capitalised.yaml")
    with pytest.raises(VocabularyError):
        load_vocabularies(directory)
    with pytest.raises(build.BuildError) as caught:
        build.load(vocabularies_dir=directory)
    problems = caught.value.problems
    assert [p.field for p in problems] == ["remedi.kind", "durham-opcc.kind"]
    assert problems[0].path.endswith("organisations.yaml") and problems[0].line == 4
    assert "did you mean 'charity'?" in str(caught.value)


def _cli(*args):
    """`python -m generator validate ARGS`, in this process (conftest.run_cli)."""
    return run_cli(["validate", *args], cwd=HERE.parent)


def test_validate_checks_the_vocabularies_with_github_annotations(tmp_path):
    directory = _with(tmp_path, FIXTURES / "organisations--kind-capitalised.yaml")
    result = _cli("--vocabularies", str(directory), "--format", "github", "tests/valid")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"::error file={directory / 'organisations.yaml'},line=4,col=9,title=remedi.kind::"
                               "'Charity' is not an allowed value; did you mean 'charity'?")
    # the scheme files are still checked against what the vocabularies hold
    assert "2 scheme file(s) valid" in result.stderr or "scheme file(s) valid" in result.stderr


def test_validate_text_format_and_an_unreadable_vocabulary(tmp_path):
    directory = _with(tmp_path, FIXTURES / "target-groups--apostrophe.yaml")
    result = _cli("--vocabularies", str(directory), "tests/valid")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{directory / 'target_groups.yaml'}:2:15: (file): " + _fill_allowed(EXPECTED["target-groups--apostrophe.yaml"][0]
                                                                           .split(": (file): ", 1)[1])]
    assert "scheme files are checked once every vocabulary file can be read" in result.stderr


def test_validate_accepts_a_vocabulary_file_as_a_path():
    result = _cli("vocabularies/organisations.yaml")
    assert result.returncode == 0, result.stdout
    assert "vocabulary file(s) valid" in result.stderr
