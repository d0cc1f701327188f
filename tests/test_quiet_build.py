"""A normal build prints a handful of lines: no "not included in the nav" notices, no MkDocs 2 nag.

The nag (Material's and the redirects plugin's notice about MkDocs 2) is filtered by two variables
that `make` exports and the workflows set; nothing installs them behind a contributor's back, and
the end of life it also announces (Material, 5 May 2027) is stated in the README's Toolchain section.
"""
from __future__ import annotations

import yaml

from conftest import QUIET_ENV, ROOT
from generator import mkdocs_yml

NOISE = ("not included in the", "ProperDocs", "MkDocs 2", "MkDocs may break")


def test_mkdocs_yml_turns_off_the_nav_notice_but_keeps_link_checks():
    validation = mkdocs_yml.read()["validation"]
    assert validation["omitted_files"] == "ignore"
    assert validation["unrecognized_links"] == "warn"
    assert validation["absolute_links"] in ("info", "warn")


def test_make_exports_the_variables_and_nothing_is_installed_to_hide_notices():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for name, value in QUIET_ENV.items():
        assert f"export {name} := {value}" in makefile, name
    assert ".pth" not in makefile
    assert not list((ROOT / "generator").glob("*.pth"))


def test_the_readme_states_the_end_of_life():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "5 May 2027" in readme and "## Toolchain" in readme


def test_a_real_mkdocs_build_prints_fewer_than_20_lines(site_build):
    """The session's build (conftest), run with the variables `make` exports."""
    output = site_build.output
    assert site_build.returncode == 0, output[-4000:]
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) < 20, output
    for noise in NOISE:
        assert noise not in output, noise
    assert not any(line.startswith("WARNING") for line in lines), output
    assert any("Documentation built in" in line for line in lines), output


def test_workflows_silence_the_banners_too():
    """CI builds with the variables set (its .venv is made by pip, not make)."""
    for name in ("pr.yml", "deploy.yml"):
        data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
        for job in data["jobs"].values():
            for step in job.get("steps", []):
                if "mkdocs build" in step.get("run", ""):
                    env = step.get("env", {})
                    assert env.get("NO_MKDOCS_2_WARNING") == "1", (name, step.get("name"))
                    assert env.get("DISABLE_MKDOCS_2_WARNING") == "true", (name, step.get("name"))
