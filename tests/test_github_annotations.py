"""All problems visible on GitHub (issue 27): annotations escaped as the workflow-command format requires;
over 10 problems the 10th annotation says how many more, and the job summary lists every one."""
from __future__ import annotations

import pathlib
import re

from conftest import ROOT


def test_escaping_of_message_and_properties():
    from generator.github_annotations import annotation, escape_data, escape_property
    from generator.problems import Problem

    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("schemes/a,b:c.yaml") == "schemes/a%2Cb%3Ac.yaml"
    assert annotation(Problem("schemes/a,b:c.yaml", 3, 5, "outcomes[0].value", "is 50%: check\nit")) == (
        "::error file=schemes/a%2Cb%3Ac.yaml,line=3,col=5,title=outcomes[0].value::is 50%25: check%0Ait")


def _plant(directory: pathlib.Path, count: int) -> None:
    text = (ROOT / "schemes" / "essex-horizons.yaml").read_text(encoding="utf-8")
    for i in range(count):
        slug = f"essex-planted-{i:02d}"
        body = text.replace("slug: essex-horizons", f"slug: {slug}").replace("status: running", "status: runing")
        (directory / f"{slug}.yaml").write_text(body, encoding="utf-8")


def test_41_planted_problems_all_in_the_summary_and_the_10th_annotation_says_how_many_more(tmp_path, monkeypatch, capsys):
    from generator.cli import main

    planted = tmp_path / "planted"
    planted.mkdir()
    _plant(planted, 41)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["validate", str(planted), "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    annotations = [line for line in out if line.startswith("::error ")]
    assert len(annotations) == 10
    assert annotations[9].endswith(
        " (and 31 more problem(s) not shown as annotations: all 41 are listed in the job summary and in the log)")
    assert len(out) == 41  # the other 31 as plain lines in the log
    listed = summary.read_text(encoding="utf-8").splitlines()
    assert listed[0] == "## 41 problem(s) to fix"
    items = [line for line in listed if line.startswith("- ")]
    assert len(items) == 41
    assert len({re.search(r"essex-planted-\d\d", line).group(0) for line in items}) == 41


def test_ten_or_fewer_problems_are_all_annotations_with_no_note():
    from generator.github_annotations import annotation_lines
    from generator.problems import Problem

    lines = annotation_lines([Problem("schemes/x.yaml", i, 1, "title", "too short") for i in range(1, 11)])
    assert len(lines) == 10 and all(line.endswith("::too short") for line in lines)


def test_the_summary_never_holds_live_markup():
    from generator.github_annotations import summary
    from generator.problems import Problem

    text = summary([Problem("schemes/x.yaml", 1, 1, "title", "'<img src=x onerror=alert(1)>' [link](javascript:x) `c`")])
    assert "<img" not in text and "[link]" not in text and "`c`" not in text
