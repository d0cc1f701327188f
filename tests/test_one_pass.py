"""Every problem in one run: a contributor fixes everything in one pass.

One message per mistake, each at the mistake's own line; rules that compare
fields still run when other fields have problems; nothing YAML would drop
silently (text after ` #`) gets through; YAML syntax errors are explained
in plain words and say that other problems may follow.
"""
from __future__ import annotations

import pathlib
import subprocess
import sys
import types

import pytest
import yaml

from conftest import run_cli
from generator.loader import SchemeLoader
from generator.scaffold import ScaffoldError, collect, match_value
from generator.yaml_errors import MORE_MAY_FOLLOW

HERE = pathlib.Path(__file__).resolve().parent
INVALID = HERE / "invalid"
VALID = HERE / "valid"
MINIMAL = (VALID / "minimal-scheme.yaml").read_text(encoding="utf-8")
EXPECTED = yaml.safe_load((INVALID / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loader():
    return SchemeLoader()


def _write(tmp_path, text, name="minimal-scheme"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.replace("slug: minimal-scheme", f"slug: {name}"), encoding="utf-8")
    return path


def _load(loader, tmp_path, text, name="minimal-scheme"):
    return loader.load_file(_write(tmp_path, text, name))


def test_a_real_entry_with_a_dozen_mistakes_gets_one_message_each_at_its_own_line(loader):
    """tests/invalid/many-faults.yaml: schemes/derbyshire-remedi-restorative-mentoring.yaml with planted faults."""
    _, problems = loader.load_file(INVALID / "many-faults.yaml")
    planted = {
        3: "slug",                      # slug is not the file name
        4: "title",                     # text after ' #'
        14: "forces[0]",                # 'Derbyshire Police' -> derbyshire
        23: "organisations[2].organisation",  # a name, not the slug
        29: "target_groups[4]",         # 'womens' -> women
        32: "stages",                   # missing: reported where it belongs (after intervention_types)
        33: "status",                   # given twice
        34: "start",                    # 2020-02-30
        37: "funding[0].amount",        # '£10,000'
        41: "funding[0].period_end",    # before period_start
        50: "outcomes[0].evidence",     # blank
        55: "outcomes[1].value",        # 0.45 per cent
        63: "outcomes[2].value",        # 120 per cent
        79: "contact.website",          # unknown field
    }
    assert {p.line: p.field for p in problems} == planted
    assert len(problems) == len(planted) >= 12
    assert "did you mean 'derbyshire'?" in problems[2].message
    assert "did you mean 'derbyshire-county-council'?" in problems[3].message


def test_the_cli_reports_them_all_in_one_run_as_annotations():
    result = run_cli(["validate", "--format", "github", "tests/invalid/many-faults.yaml"], cwd=HERE.parent)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(EXPECTED["many-faults.yaml"])
    # GitHub shows 10 annotations a step: the rest are plain log lines (and all are in the job summary)
    annotations = [line for line in lines if line.startswith("::error ")]
    assert len(annotations) == min(10, len(lines))
    assert all(line.startswith("::error file=tests/invalid/many-faults.yaml,line=") for line in annotations)


def test_a_duplicate_field_hides_nothing(loader, tmp_path):
    text = MINIMAL.replace("title: Minimal test scheme\n", "title: Minimal test scheme\ntitle: Again\n")
    text = text.replace("forces: [durham]", "forces: [durhamm]").replace('start: "2015-04"', 'start: "2015-04"\nend: "2014-01"')
    text = text.replace("    role: delivers\n", "    role: delivers\n    role: funds\n")
    _, problems = _load(loader, tmp_path, text)
    assert [(p.line, p.field) for p in problems] == [
        (3, "title"), (9, "forces[0]"), (13, "organisations[0].role"), (19, "end")]
    assert "duplicate field 'title' (first given on line 2)" in problems[0].message
    assert "ends (2014-01) before it starts (2015-04)" in problems[3].message


def test_rules_that_compare_fields_run_despite_schema_errors_elsewhere(loader, tmp_path):
    text = MINIMAL.replace("title: Minimal test scheme", "title: Minimal test scheme\nwebsite: https://example.org/")
    text = text.replace("slug: minimal-scheme", "slug: another-slug")
    text = text.replace('start: "2015-04"', 'start: "2015-04"\nend: "2014-12"')
    text = text.replace("    value: 12\n    unit: people", "    value: 120\n    unit: percent")
    text = text.replace("    purpose: Test grant", "    purpose: Test grant\n    part_of: no-such-fund")
    path = tmp_path / "minimal-scheme.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = loader.load_file(path)
    fields = [p.field for p in problems]
    assert fields == ["slug", "website", "end", "funding[0].part_of", "outcomes[0].value"]


def test_a_comparison_skips_a_value_that_has_its_own_problem(loader, tmp_path):
    # start is not a date: 'end before start' cannot be judged, so only the date itself is reported
    text = MINIMAL.replace('start: "2015-04"', 'start: "April 2019"\nend: "2018-12"')
    _, problems = _load(loader, tmp_path, text)
    assert [p.field for p in problems] == ["start"]
    # a percentage with a unit that is not in the list: the range rule does not guess
    text = MINIMAL.replace("    value: 12\n    unit: people", "    value: 120\n    unit: per-cent")
    _, problems = _load(loader, tmp_path, text)
    assert [p.field for p in problems] == ["outcomes[0].unit"]


def test_cross_file_rules_include_files_with_other_problems(loader, tmp_path):
    (tmp_path / "scheme-a.yaml").write_text(
        MINIMAL.replace("slug: minimal-scheme", "slug: scheme-a") + "aliases: [old-name]\n", encoding="utf-8")
    (tmp_path / "scheme-b.yaml").write_text(
        MINIMAL.replace("slug: minimal-scheme", "slug: scheme-b").replace("forces: [durham]", "forces: [durhamm]")
        + "aliases: [old-name, scheme-a]\n", encoding="utf-8")
    schemes, problems = loader.load_many(sorted(tmp_path.glob("*.yaml")))
    got = [(pathlib.Path(p.path).name, p.line, p.field) for p in problems]
    assert got == [("scheme-b.yaml", 8, "forces[0]"), ("scheme-b.yaml", 33, "aliases[0]"), ("scheme-b.yaml", 33, "aliases[1]")]
    assert [s.slug for s in schemes] == ["scheme-a"]


def test_text_after_space_hash_is_refused_and_survives_once_quoted(loader, tmp_path):
    text = MINIMAL.replace("    purpose: Test grant", "    purpose: First year of the pilot #1 of 2")
    _, problems = _load(loader, tmp_path, text)
    assert [(p.line, p.column, p.field) for p in problems] == [(21, 38, "funding[0].purpose")]
    assert '"First year of the pilot #1 of 2"' in problems[0].message
    scheme, problems = loader.load_file(VALID / "value-hash-comment-quoted.yaml")
    assert problems == []
    assert scheme.data["funding"][0]["purpose"] == "First year of the pilot #1 of 2"


@pytest.mark.parametrize("edit", [
    ("forces: [durham]", "forces: [durham]  # the lead area"),               # after a structural line
    ("    role: delivers", "    role: delivers  # from the list of roles"),  # after a value from a list
    ("  - amount: 1000", "  - amount: 1000  # about"),                       # after a number
    ("organisations:", "organisations:  # who does what"),                   # after a field name
    ("title: Minimal test scheme", 'title: "Minimal test scheme"  # as published'),  # after a quoted value
    ("title: Minimal test scheme", "# the name as published\ntitle: Minimal test scheme"),  # on its own line
    ("title: Minimal test scheme", "title: Minimal test scheme#1"),           # no space before '#': part of the text
])
def test_comments_that_lose_nothing_stay_allowed(loader, tmp_path, edit):
    text = MINIMAL.replace(*edit)
    assert text != MINIMAL
    scheme, problems = _load(loader, tmp_path, text)
    assert problems == []


@pytest.mark.parametrize("written,read", [
    ("start: 2021-03", "2021-03"), ("start: 2021-03-05", "2021-03-05"), ("start: 2021", "2021"),
    ('start: "2021"', "2021"),
])
def test_dates_read_the_same_quoted_or_not_everywhere(loader, tmp_path, written, read):
    text = MINIMAL.replace('start: "2015-04"', written)
    text = text.replace('as_of: "2015-10-20"', "as_of: 2022-10-20").replace('last_reviewed: "2026-11-25"', "last_reviewed: 2026-11-25")
    text = text.replace("    purpose: Test grant", f"    purpose: Test grant\n    period_{written}")
    scheme, problems = _load(loader, tmp_path, text)
    assert problems == []
    assert scheme.data["start"] == read
    assert scheme.data["funding"][0]["period_start"] == read
    assert scheme.data["as_of"] == "2022-10-20" and scheme.data["last_reviewed"] == "2026-11-25"


def test_an_unquoted_year_as_of_is_accepted_like_an_unquoted_month_start(loader, tmp_path):
    text = MINIMAL.replace('as_of: "2015-10-20"', "as_of: 2022").replace('start: "2015-04"', "start: 2021-03")
    scheme, problems = _load(loader, tmp_path, text)
    assert problems == []
    assert (scheme.data["as_of"], scheme.data["start"]) == ("2022", "2021-03")
    # where text is expected, a number is still a number
    _, problems = _load(loader, tmp_path, MINIMAL.replace("title: Minimal test scheme", "title: 2022"))
    assert [p.message for p in problems] == ["expected text, but found the number 2022; put it in quotes"]


def test_a_blank_value_says_what_to_write(loader, tmp_path):
    _, problems = _load(loader, tmp_path, MINIMAL.replace("status: running", "status:"))
    assert [p.message.split(";")[0] for p in problems] == ["'status' is empty"]
    assert "write one of: planned, pilot, running, ended" in problems[0].message
    _, problems = _load(loader, tmp_path, MINIMAL.replace('start: "2015-04"', "start:"))
    assert problems[0].message == ("'start' is empty; write a date in quotes: \"YYYY-MM-DD\", \"YYYY-MM\" or \"YYYY\", "
                                   "or delete the line, as this field is optional")
    _, problems = _load(loader, tmp_path, MINIMAL.replace("forces: [durham]", "forces:"))
    assert problems[0].message.startswith("'forces' is empty; write a list, like [a, b], of values from")


@pytest.mark.parametrize("value,hint", [
    ("Kent Police", "kent"), ("kent police", "kent"), ("Kent", "kent"), ("Metropolitan Police Service", "metropolitan"),
    ("Avon and Somerset Constabulary", "avon-and-somerset"), ("durhamm", "durham"),
])
def test_force_names_get_the_slug_they_name(loader, tmp_path, value, hint):
    _, problems = _load(loader, tmp_path, MINIMAL.replace("forces: [durham]", f"forces: [{value}]"))
    assert f"did you mean '{hint}'?" in problems[0].message


def test_organisation_names_get_the_slug_they_name(loader, tmp_path):
    text = MINIMAL.replace("  - organisation: remedi", "  - organisation: Remedi").replace(
        "    funder: durham-opcc", "    funder: Office of the Durham Police and Crime Commissioner")
    _, problems = _load(loader, tmp_path, text)
    assert ["did you mean 'remedi'?" in problems[0].message, "did you mean 'durham-opcc'?" in problems[1].message] == [True, True]


def test_a_percentage_written_as_a_fraction_is_flagged_unless_a_caveat_explains_it(loader, tmp_path):
    text = MINIMAL.replace("    value: 12\n    unit: people", "    value: 0.45\n    unit: percent")
    _, problems = _load(loader, tmp_path, text)
    assert [p.field for p in problems] == ["outcomes[0].value"]
    assert "write 45" in problems[0].message
    text = text.replace("    evidence: monitoring-data", "    evidence: monitoring-data\n    caveat: Less than 1% as the source says.")
    _, problems = _load(loader, tmp_path, text)
    assert problems == []


@pytest.mark.parametrize("name,field", [("summary", "summary"), ("stages", "stages"), ("slug", "slug")])
def test_a_missing_field_is_reported_where_it_belongs(loader, tmp_path, name, field):
    lines = MINIMAL.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
    text = "".join(lines[:index] + lines[index + 1:])
    path = tmp_path / "minimal-scheme.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = loader.load_file(path)
    assert [(p.field, p.line, p.column) for p in problems] == [(field, index + 1, 1)]  # the line the field was on


def test_a_missing_nested_field_is_reported_after_the_field_before_it(loader):
    _, problems = loader.load_file(INVALID / "evidence-missing.yaml")
    lines = (INVALID / "evidence-missing.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[problems[0].line - 2].strip() == "unit: people"  # evidence comes after unit


UNREADABLE = sorted(n for n in EXPECTED if n.startswith("yaml-") and ": (file): " in EXPECTED[n][0])


def test_every_common_syntax_mistake_has_a_fixture():
    assert {"yaml-indent-one-more.yaml", "yaml-indent-one-less.yaml", "yaml-indent-top-level.yaml",
            "yaml-block-not-indented.yaml", "yaml-apostrophe-in-single-quotes.yaml", "yaml-colon-in-value.yaml",
            "yaml-hash-in-list.yaml", "yaml-tab-indent.yaml", "yaml-dash-no-space.yaml",
            "yaml-colon-no-space.yaml", "yaml-syntax-error.yaml"} <= set(UNREADABLE)


@pytest.mark.parametrize("name", UNREADABLE)
def test_a_file_yaml_cannot_read_says_other_problems_may_follow(name):
    assert len(EXPECTED[name]) == 1 and EXPECTED[name][0].endswith(MORE_MAY_FOLLOW)
    assert "did not find expected" not in EXPECTED[name][0] and "mapping values" not in EXPECTED[name][0]


def test_a_tab_yaml_can_read_is_one_problem_among_others(loader, tmp_path):
    text = MINIMAL.replace("title: Minimal test scheme", "title: Minimal\ttest scheme").replace(
        "status: running", "status: active")
    _, problems = _load(loader, tmp_path, text)
    assert [(p.line, p.field) for p in problems] == [(2, "title"), (15, "status")]


def test_an_alias_is_reported_where_it_is_written(loader, tmp_path):
    text = MINIMAL.replace("stages: [out-of-court]", "stages: &s [out-of-court]").replace(
        "status: running", "status: running\nplaces: *s")
    _, problems = _load(loader, tmp_path, text)
    assert [(p.line, p.column, p.field) for p in problems] == [(16, 9, "places")]


def test_the_scaffold_resolves_a_force_written_as_a_name(loader):
    assert match_value(loader.vocab, "forces", "Kent Police", "force") == "kent"
    assert match_value(loader.vocab, "forces", "kent police", "force") == "kent"
    with pytest.raises(ScaffoldError, match="did you mean 'durham'"):
        match_value(loader.vocab, "forces", "Durhamm", "force")


def test_new_with_a_force_name_on_the_command_line(tmp_path):
    schemes = tmp_path / "schemes"
    schemes.mkdir()
    result = run_cli(["new", "--title", "Women's housing pilot", "--force", "Kent Police", "--yes"],
                     env={"RRS_SCHEMES_DIR": str(schemes)}, cwd=HERE.parent)
    assert result.returncode == 0, result.stderr
    assert (schemes / "kent-womens-housing-pilot.yaml").is_file()


@pytest.mark.parametrize("answers", [["n", ""], ["y"], ["x", "kent-womens-housing"], ["no", "ab", "kent-pilot"]])
def test_the_slug_prompt_refuses_a_one_letter_answer_and_asks_again(loader, tmp_path, answers):
    asked, said = [], []
    replies = iter(answers)

    def ask(question):
        asked.append(question)
        return next(replies)

    args = types.SimpleNamespace(title="Women's housing pilot", force="Kent Police", target_group=["women"],
                                 intervention_type=["accommodation"], slug=None, yes=False)
    values = collect(args, loader.vocab, tmp_path, interactive=True, ask=ask, say=said.append)
    last = answers[-1]
    assert values["slug"] == (last if len(last) >= 3 else "kent-womens-housing-pilot")
    assert len(asked) == len(answers) and all(q.startswith("Slug") for q in asked)
    assert not list(tmp_path.iterdir())
    if len(answers) > 1:
        assert said  # told why the answer was not taken


def test_a_one_letter_slug_on_the_command_line_is_refused(loader, tmp_path):
    args = types.SimpleNamespace(title="Women's housing pilot", force="kent", target_group=None,
                                 intervention_type=None, slug="n", yes=True)
    with pytest.raises(ScaffoldError, match="too short"):
        collect(args, loader.vocab, tmp_path, interactive=False)
