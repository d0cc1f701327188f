"""The "Suggest a scheme" form becomes an entry, or every problem in plain words (issue 27).

Saved issue bodies in tests/suggestions/: `<name>.md` converts either to
`<name>.expected.yaml` (with the records `<name>.organisations.yaml` and
`<name>.sources.yaml` appended to the vocabularies) or to exactly the problems in
`<name>.problems.txt`. In process, against the repository's vocabularies.
"""
from __future__ import annotations

import pathlib
import shutil

import pytest
import yaml

from conftest import ROOT

HERE = pathlib.Path(__file__).parent / "suggestions"
BODIES = sorted(HERE.glob("*.md"))
TODAY = "2026-12-06"


def _convert(path: pathlib.Path, root: pathlib.Path = ROOT):
    from generator.suggestion import convert

    return convert(path.read_text(encoding="utf-8"), root, TODAY)


@pytest.mark.parametrize("path", BODIES, ids=lambda p: p.stem)
def test_saved_body_converts_to_what_is_expected(path):
    result = _convert(path)
    expected_yaml = path.with_name(f"{path.stem}.expected.yaml")
    if expected_yaml.exists():
        assert [str(i) for i in result.issues] == []
        assert result.scheme_text() == expected_yaml.read_text(encoding="utf-8")
        from generator.suggestion import _dump
        for name, records in (("organisations", result.organisations), ("sources", result.sources)):
            saved = path.with_name(f"{path.stem}.{name}.yaml")
            assert (_dump(records) if records else "") == (saved.read_text(encoding="utf-8") if saved.exists() else "")
    else:
        expected = path.with_name(f"{path.stem}.problems.txt").read_text(encoding="utf-8").splitlines()
        assert [str(i) for i in result.issues] == expected


def test_complete_suggestion_writes_a_valid_entry_with_its_records(tmp_path):
    from generator.loader import SchemeLoader
    from generator.suggestion import write_files
    from generator.vocabularies import check_vocabularies

    shutil.copytree(ROOT / "vocabularies", tmp_path / "vocabularies")
    (tmp_path / "schemes").mkdir()
    result = _convert(HERE / "complete.md", tmp_path)
    written = write_files(result, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "schemes/durham-example-mentoring-for-women.yaml", "vocabularies/organisations.yaml", "vocabularies/sources.yaml"]
    vocab, problems = check_vocabularies(tmp_path / "vocabularies")
    assert problems == []
    scheme, problems = SchemeLoader(vocab).load_file(written[0])
    assert problems == []
    source = vocab["sources"][scheme.data["sources"][0]["document"]]
    assert source["url"].startswith("https://") and source["accessed"] == "2026-12-01"
    assert scheme.data["funding"][0] | {} == {
        "amount": 25000, "basis": "per-year", "period_start": "2023-04", "period_end": "2024-03",
        "funder": "durham-opcc", "purpose": "Mentor salaries for one year",
        "source": {"document": source["id"], "section": "p. 2"}}
    assert [o["kind"] for o in scheme.data["outcomes"]] == ["activity", "result"]


@pytest.mark.parametrize("name", ["partial", "hostile"])
def test_a_suggestion_with_problems_writes_nothing_and_lists_them_as_inert_markdown(tmp_path, name):
    from generator.cli import main

    shutil.copytree(ROOT / "vocabularies", tmp_path / "vocabularies")
    (tmp_path / "schemes").mkdir()
    before = {p: p.read_bytes() for p in (tmp_path / "vocabularies").iterdir()}
    problems = tmp_path / "problems.md"
    code = main(["suggestion", str(HERE / f"{name}.md"), "--out", str(tmp_path), "--problems", str(problems),
                 "--today", TODAY])
    assert code == 1
    assert list((tmp_path / "schemes").iterdir()) == []
    assert {p: p.read_bytes() for p in (tmp_path / "vocabularies").iterdir()} == before
    comment = problems.read_text(encoding="utf-8")
    expected = (HERE / f"{name}.problems.txt").read_text(encoding="utf-8").splitlines()
    assert comment.count("\n- **") == len(expected)
    for line in comment.splitlines()[2:]:
        # every value from the issue is quoted back inside a code span, never as live markup
        outside = "".join(part for i, part in enumerate(line.split("`")) if i % 2 == 0)
        assert "<script" not in outside and "javascript:" not in outside.replace("such as javascript:", "")


def test_over_long_and_odd_amounts():
    from generator.suggestion_form import parse_amount, parse_number

    assert [parse_amount(t) for t in ["£150,000", "£25k", "£1.2m", "£1.2 million", "150000", "£1,50", "lots"]] == \
        [150000, 25000, 1200000, 1200000, 150000, None, None]
    assert [parse_number(t) for t in ["62%", "1,200", "4.5", "many"]] == [62, 1200, 4.5, None]


def test_the_form_lists_the_vocabularies_names():
    """The dropdowns offer exactly the names in the vocabularies (a value added there is added here)."""
    from generator.suggestion_form import form_fields

    fields = form_fields()
    for question, vocabulary in (("stages", "stages"), ("status", "statuses"), ("source-kind", "source_kinds")):
        names = [e["name"] for e in yaml.safe_load((ROOT / "vocabularies" / f"{vocabulary}.yaml").read_text())]
        assert fields[question]["options"] == names, question


def test_the_form_asks_for_what_an_entry_needs():
    from generator.suggestion import FIELD_QUESTION, SOURCE_QUESTION
    from generator.suggestion_form import form_fields

    fields = form_fields()
    assert set(FIELD_QUESTION.values()) | set(SOURCE_QUESTION.values()) <= set(fields)
    for required in ("title", "force", "summary", "description", "target-groups", "intervention-types", "stages",
                     "status", "source-url", "source-title", "source-publisher", "source-date", "source-kind",
                     "source-section", "source-accessed"):
        assert fields[required]["required"], required


def test_the_workflow_runs_on_a_maintainers_label_and_passes_the_issue_text_only_through_files():
    text = (ROOT / ".github" / "workflows" / "suggestion.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data[True] == {"issues": {"types": ["labeled"]}}
    job = data["jobs"]["convert"]
    assert "github.event.label.name == 'make pull request'" in job["if"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    for step in job["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]
    saved = next(s for s in job["steps"] if s["name"] == "Save the issue body to a file")
    assert saved["env"] == {"ISSUE_BODY": "${{ github.event.issue.body }}"}
    assert "python -m generator suggestion" in text and "gh pr create --draft" in text
    assert "gh issue comment" in text and "--body-file" in text


def test_the_front_door_points_contributors_to_the_guide_and_the_form():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = "\n".join(readme.splitlines()[:25])
    assert "[`CONTRIBUTING.md`](CONTRIBUTING.md)" in first_screen
    assert "issues/new?template=suggest-a-scheme.yml" in first_screen
    assert first_screen.index("CONTRIBUTING.md") < readme.index("## Quick start")
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    sections = [line for line in guide.splitlines() if line.startswith("## ")]
    assert sections[0] == "## Suggest a scheme with the form (no git needed)"
    assert guide.index("Suggest a scheme with the form") < guide.index("## Correct a scheme in your browser") \
        < guide.index("## Add a scheme on your computer")
    assert "make pull request" in guide
