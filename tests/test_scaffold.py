"""`python -m generator new`: a new user's first file, from the command line to the built site."""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import types

import pytest
import yaml

from conftest import NEW_ARGS, ROOT, run_cli
from generator.loader import SchemeLoader, load_all
from generator.yaml_safety import SafeLoader  # libyaml's, as the generator reads files
from generator.scaffold import ScaffoldError, collect
from generator.skeleton import PLACEHOLDER, Skeleton, yaml_scalar
from generator.slugs import propose_slug, slugify

@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global LOADER, SCHEMES, VOCAB
    LOADER, SCHEMES, VOCAB = register.loader, register.schemes, register.vocab
MINIMAL = (ROOT / "tests" / "valid" / "minimal-scheme.yaml").read_text(encoding="utf-8")
DEFAULT_SCHEMA_LINE = "# yaml-language-server: $schema=../schema/scheme.schema.json"


def run(args, schemes_dir, extra_env=None, cwd=ROOT):
    """The command as a contributor types it, without a terminal (so it never prompts), run in this process."""
    return run_cli(args, env=dict(extra_env or {}, RRS_SCHEMES_DIR=str(schemes_dir)), cwd=cwd)


def validate(path, schemes_dir):
    return run(["validate", str(path)], schemes_dir)


NEW = NEW_ARGS  # conftest's fixture site holds the file this writes, filled in as below


def fill_as_the_comments_say(text: str) -> str:
    """What a newcomer does: replace each TODO left in the required fields, as its comment says."""
    replacements = [
        ("summary: TODO", 'summary: "A mentoring scheme for women leaving prison, run with local partners in Durham."'),
        ("description: |\n  TODO", "description: |\n  First paragraph in our own words.\n\n  Second paragraph."),
        ("stages: [TODO]", "stages: [release-and-resettlement]"),
        ("status: TODO", "status: pilot"),
        ("  - document: TODO", "  - document: durham-pcp-2015-10-20-restorative-justice-update"),
        ('    section: "TODO"', '    section: "1"'),  # text with a comment after it is in quotes
        ("as_of: TODO", 'as_of: "2015-10-20"'),
    ]
    for old, new in replacements:
        text, count = re.subn("^" + re.escape(old) + "(?=  #|$)", new.replace("\\", "\\\\"), text, flags=re.M)
        assert count == 1, old
    return text


@pytest.fixture
def schemes_dir(tmp_path):
    d = tmp_path / "schemes"
    d.mkdir()
    return d


def test_new_writes_every_field_in_schema_order(schemes_dir):
    result = run(NEW, schemes_dir)
    assert result.returncode == 0, result.stderr
    path = schemes_dir / "durham-womens-pathway-new-start.yaml"
    assert path.is_file()
    assert "Traceback" not in result.stderr
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == DEFAULT_SCHEMA_LINE
    # every top-level field, in schema order: required ones as `name:`, optional ones as `# name:`
    required = set(LOADER.schema["required"])
    order = []
    for line in lines:
        m = re.match(r"^(# )?([a-z_]+):( |$)", line)
        if m:
            order.append(m.group(2))
            assert (m.group(1) is None) == (m.group(2) in required), line
    assert order == list(LOADER.schema["properties"])
    # each field has a one-line explanation from the schema just above it
    for name, node in LOADER.schema["properties"].items():
        desc = node.get("description", "")
        assert f"# {name} ({'required' if name in required else 'optional'}): {desc}" in text
    data = yaml.safe_load(text)
    assert data["title"] == "Women's Pathway: New Start"
    assert data["forces"] == ["durham"]
    assert data["target_groups"] == ["women", "prison-leavers"]
    assert data["intervention_types"] == ["mentoring"]
    assert set(data) == required  # optional fields are commented out


def test_unfilled_file_fails_with_a_message_per_placeholder(schemes_dir):
    assert run(NEW, schemes_dir).returncode == 0
    result = validate(schemes_dir / "durham-womens-pathway-new-start.yaml", schemes_dir)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    fields = {line.split(": ", 2)[1]: line for line in result.stdout.splitlines()}
    assert set(fields) == {"summary", "description", "stages[0]", "status", "sources[0].document",
                           "sources[0].section", "as_of"}
    for line in fields.values():
        assert "replace the placeholder TODO" in line, line
    assert "one of: planned, pilot, running, ended" in fields["status"] or all(
        s in fields["status"] for s in VOCAB.values("statuses"))
    assert all(s in fields["sources[0].document"] for s in VOCAB.values("sources"))
    assert '"YYYY-MM-DD", "YYYY-MM" or "YYYY"' in fields["as_of"]
    assert '"page 12"' in fields["sources[0].section"]  # required: says what a section may be


def test_filled_file_validates_and_appears_on_the_site(tmp_path, fixture_site):
    schemes = tmp_path / "schemes"
    shutil.copytree(ROOT / "schemes", schemes)
    result = run(NEW, schemes)
    assert result.returncode == 0, result.stderr
    path = schemes / "durham-womens-pathway-new-start.yaml"
    path.write_text(fill_as_the_comments_say(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = validate(path, schemes)
    assert result.returncode == 0, result.stdout
    # an optional field uncommented but not filled is caught too
    text = path.read_text(encoding="utf-8")
    broken = tmp_path / "broken" / path.name
    broken.parent.mkdir()
    broken.write_text(text.replace("# start: TODO", "start: TODO"), encoding="utf-8")
    scheme, problems = SchemeLoader().load_file(broken)
    assert scheme is None
    assert [p.field for p in problems] == ["start"]
    assert "replace the placeholder TODO with a date" in problems[0].message
    # and the new scheme gets its page: the session's fixture site (conftest) holds the same file, made the same way
    assert fixture_site.new_entry.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    page = (fixture_site.site / "schemes" / "durham-womens-pathway-new-start" / "index.html").read_text(encoding="utf-8")
    assert "Women's Pathway: New Start" in html.unescape(page)  # however the apostrophe is escaped


def test_refuses_a_slug_used_by_a_file(schemes_dir):
    existing = schemes_dir / "durham-womens-pathway-new-start.yaml"
    existing.write_text(MINIMAL.replace("slug: minimal-scheme", f"slug: {existing.stem}"), encoding="utf-8")
    before = existing.read_text(encoding="utf-8")
    result = run(NEW, schemes_dir)
    assert result.returncode == 1
    assert "already exists" in result.stderr and "--slug" in result.stderr
    assert existing.read_text(encoding="utf-8") == before


def test_refuses_a_slug_kept_as_an_alias(schemes_dir):
    (schemes_dir / "durham-renamed.yaml").write_text(
        MINIMAL.replace("slug: minimal-scheme", "slug: durham-renamed") + "aliases: [durham-old-name]\n",
        encoding="utf-8")
    result = run(["new", "--title", "Anything at all", "--force", "durham", "--slug", "durham-old-name"], schemes_dir)
    assert result.returncode == 1
    assert "former slug (alias) of schemes/durham-renamed.yaml" in result.stderr
    assert not (schemes_dir / "durham-old-name.yaml").exists()
    # the proposed slug is refused the same way
    result = run(["new", "--title", "Old name", "--force", "durham", "--yes"], schemes_dir)
    assert result.returncode == 1 and "alias" in result.stderr


def test_refuses_unknown_vocabulary_values_with_a_suggestion(schemes_dir):
    result = run(["new", "--title", "Something", "--force", "durhamm", "--yes"], schemes_dir)
    assert result.returncode == 1
    assert "did you mean 'Durham'?" in result.stderr or "did you mean 'durham'?" in result.stderr
    result = run(["new", "--title", "Something", "--force", "durham", "--target-group", "womens", "--yes"], schemes_dir)
    assert result.returncode == 1
    assert "did you mean" in result.stderr and "vocabularies/target_groups.yaml" in result.stderr
    assert list(schemes_dir.iterdir()) == []


def test_without_a_terminal_missing_options_are_an_error_not_a_prompt(schemes_dir):
    result = run(["new", "--force", "durham"], schemes_dir)
    assert result.returncode == 1
    assert "--title" in result.stderr and "Traceback" not in result.stderr


def test_schema_line_points_at_the_committed_schema_whatever_the_site_url(schemes_dir):
    """Relative to schemes/, so it resolves in a fresh clone or a fork, never at a placeholder address."""
    result = run(NEW, schemes_dir, extra_env={"SITE_URL": "https://schemes.example.org/register"})
    assert result.returncode == 0, result.stderr
    text = (schemes_dir / "durham-womens-pathway-new-start.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == DEFAULT_SCHEMA_LINE
    assert (ROOT / "schemes" / "../schema/scheme.schema.json").resolve().is_file()
    # the pointer to the field reference still follows SITE_URL
    assert "https://schemes.example.org/register/contribute/" in text


def test_asks_for_what_is_missing_in_a_terminal(tmp_path):
    answers = iter(["  A Very Good Scheme ", "Durhamm", "Durham", "women, prison leavers", "", ""])
    asked, said = [], []

    def ask(question):
        asked.append(question)
        return next(answers)

    args = types.SimpleNamespace(title=None, force=None, target_group=None, intervention_type=None, slug=None, yes=False)
    values = collect(args, VOCAB, tmp_path, interactive=True, ask=ask, say=said.append)
    assert values["title"] == "A Very Good Scheme"
    assert values["forces"] == ["durham"]
    assert values["target_groups"] == ["women", "prison-leavers"]
    assert values["intervention_types"] is None  # left for later: written as [TODO]
    assert values["slug"] == "durham-a-very-good-scheme"
    assert any("did you mean" in s for s in said)
    assert asked[-1].startswith("Slug") and "[durham-a-very-good-scheme]" in asked[-1]


def test_collect_refuses_a_bad_slug(tmp_path):
    args = types.SimpleNamespace(title="Title", force="durham", target_group=None, intervention_type=None,
                                 slug="Not A Slug", yes=True)
    with pytest.raises(ScaffoldError, match="not a valid slug"):
        collect(args, VOCAB, tmp_path, interactive=False)


@pytest.mark.parametrize("force,title,slug", [
    ("durham", "Women's Pathway: New Start", "durham-womens-pathway-new-start"),
    ("durham", "Durham Restorative Hub", "durham-restorative-hub"),
    ("west-midlands", "Café & Co-op (2021)", "west-midlands-cafe-and-co-op-2021"),
    ("surrey", "x" * 100, "surrey-" + "x" * 73),
])
def test_proposed_slug(force, title, slug):
    assert propose_slug(force, title)[:80] == slug[:80]
    assert len(propose_slug(force, title)) <= 80


def test_slugify():
    assert slugify("  Checkpoint — Plus!  ") == "checkpoint-plus"


@pytest.mark.parametrize("value", ["yes", "no", "on", "null", "2021", "2021-03", "08", "1e3", "TODO: x",
                                   'say "hi"', "a: b", "# not a comment", "- dash", "ünïcode", "women"])
def test_yaml_scalar_round_trips(value):
    assert yaml.safe_load(f"k: {yaml_scalar(value)}")["k"] == value


def test_every_real_entry_renders_back_to_the_same_data():
    """The annotated example on /contribute/ is written by the scaffold's code: it must be exact."""
    skeleton = Skeleton(VOCAB, LOADER.schema)
    for scheme in SCHEMES:
        text = skeleton.render(scheme.data, kind="example")
        assert yaml.load(text, Loader=SafeLoader) == scheme.data, scheme.slug


def test_blank_skeleton_fails_only_on_placeholders(tmp_path):
    text = Skeleton(VOCAB, LOADER.schema).render({}, kind="blank")
    path = tmp_path / "blank-entry.yaml"
    path.write_text(text, encoding="utf-8")
    scheme, problems = SchemeLoader().load_file(path)
    assert scheme is None
    assert problems and all("placeholder TODO" in p.message for p in problems), problems
    assert PLACEHOLDER in text
