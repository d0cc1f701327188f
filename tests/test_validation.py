"""Validation: every kind of bad input gets one exact, actionable message.

Each file in tests/invalid/ has its expected messages in
tests/invalid/expected.yaml, and every expectation has a file.
"""
from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest
import yaml

from conftest import run_cli

from generator.loader import SchemeLoader

HERE = pathlib.Path(__file__).resolve().parent
INVALID = HERE / "invalid"
VALID = HERE / "valid"
EXPECTED = yaml.safe_load((INVALID / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loader():
    return SchemeLoader()


def test_every_fixture_has_an_expectation_and_every_expectation_a_fixture():
    files = {p.name for p in INVALID.glob("*.yaml") if p.name != "expected.yaml"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_file_gives_exact_messages(loader, name):
    scheme, problems = loader.load_file(INVALID / name)
    assert scheme is None
    got = [f"{p.line}:{p.column}: {p.field}: {p.message}" for p in problems]
    assert got == [_fill_allowed(line, loader) for line in EXPECTED[name]]


def _fill_allowed(line: str, loader) -> str:
    return re.sub(r"\{allowed:(\w+)\}", lambda m: ", ".join(loader.vocab.values(m.group(1))), line)


@pytest.mark.parametrize("path", sorted(VALID.glob("*.yaml")), ids=lambda p: p.name)
def test_valid_fixture_loads(loader, path):
    scheme, problems = loader.load_file(path)
    assert problems == []
    assert scheme.slug == path.stem


def test_byte_order_mark_is_accepted(loader):
    path = VALID / "bom-accepted.yaml"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    scheme, problems = loader.load_file(path)
    assert not problems and scheme.data["slug"] == "bom-accepted"


def test_unquoted_date_is_fine_where_a_date_is_expected(loader, tmp_path):
    text = (VALID / "minimal-scheme.yaml").read_text().replace('start: "2015-04"', "start: 2015-04-01")
    path = tmp_path / "minimal-scheme.yaml"
    path.write_text(text)
    scheme, problems = loader.load_file(path)
    assert not problems
    assert scheme.data["start"] == "2015-04-01"


def _cli(*args):
    """`python -m generator validate ARGS`, in this process (conftest.run_cli)."""
    return run_cli(["validate", *args], cwd=HERE.parent)


def test_cli_reports_every_file_at_once_without_traceback():
    """The one run of `python -m generator validate` as its own process: exit code, output, no traceback."""
    files = sorted(str(p.relative_to(HERE.parent)) for p in INVALID.glob("*.yaml") if p.name != "expected.yaml")
    result = subprocess.run([sys.executable, "-m", "generator", "validate", *files],
                            cwd=HERE.parent, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    expected_count = sum(len(v) for v in EXPECTED.values())
    assert len(lines) == expected_count
    for f in files:
        assert any(line.startswith(f + ":") for line in lines), f
    # path:line:column: field: message
    for line in lines:
        path, lineno, col, rest = line.split(":", 3)
        assert lineno.isdigit() and col.isdigit() and ": " in rest


def test_cli_with_valid_files_exits_zero():
    result = _cli("tests/valid")
    assert result.returncode == 0, result.stdout


def test_cli_github_annotations():
    result = _cli("--format", "github", "tests/invalid/forces-unknown.yaml")
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=tests/invalid/forces-unknown.yaml,line=8,col=10,title=forces[0]::")


def test_the_real_schemes_validate():
    result = _cli()
    assert result.returncode == 0, result.stdout


def test_cross_file_rules(loader, tmp_path):
    base = (VALID / "minimal-scheme.yaml").read_text()
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "scheme-a.yaml").write_text(base.replace("slug: minimal-scheme", "slug: scheme-a"))
    (tmp_path / "two" / "scheme-a.yaml").write_text(base.replace("slug: minimal-scheme", "slug: scheme-a"))
    (tmp_path / "one" / "scheme-b.yaml").write_text(
        base.replace("slug: minimal-scheme", "slug: scheme-b") + "aliases: [scheme-a, old-name]\n")
    (tmp_path / "one" / "scheme-c.yaml").write_text(
        base.replace("slug: minimal-scheme", "slug: scheme-c") + "aliases: [old-name]\n")
    schemes, problems = loader.load_many(sorted(tmp_path.rglob("*.yaml")))
    messages = [f"{pathlib.Path(p.path).parent.name}/{pathlib.Path(p.path).name}:{p.line}: {p.field}: {p.message}" for p in problems]
    assert any("two/scheme-a.yaml:1: slug: slug 'scheme-a' is also used by" in m for m in messages), messages
    assert any("one/scheme-b.yaml:33: aliases[0]: alias 'scheme-a' is the slug of another scheme" in m for m in messages), messages
    assert any("one/scheme-c.yaml:33: aliases[0]: alias 'old-name' is already an alias of" in m for m in messages), messages
    assert len(problems) == 3
