"""A normal build prints a handful of lines: no "not included in the nav" notices, no third-party banners."""
from __future__ import annotations

import os
import subprocess
import sys

import yaml

from conftest import ROOT
from generator import mkdocs_yml

PTH = ROOT / "generator" / "quiet_mkdocs.pth"
BANNER_VARS = ("NO_MKDOCS_2_WARNING", "DISABLE_MKDOCS_2_WARNING")
NOISE = ("not included in the", "Material for MkDocs reaches", "ProperDocs", "MkDocs 2", "MkDocs may break")


def _env_without_banner_vars() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in BANNER_VARS and k not in ("RRS_SCHEMES_DIR", "RRS_PREVIEW")}
    return env


def test_mkdocs_yml_turns_off_the_nav_notice_but_keeps_link_checks():
    validation = mkdocs_yml.read()["validation"]
    assert validation["omitted_files"] == "ignore"
    assert validation["unrecognized_links"] == "warn"
    assert validation["absolute_links"] in ("info", "warn")


def test_the_pth_file_sets_both_variables_at_start():
    lines = [line for line in PTH.read_text(encoding="utf-8").splitlines() if line.strip()]
    # Python runs a .pth line that starts with "import " at start-up, before any MkDocs code.
    assert len(lines) == 1 and lines[0].startswith("import os;")
    namespace: dict = {}
    saved = {k: os.environ.pop(k, None) for k in BANNER_VARS}
    try:
        exec(lines[0], namespace)
        assert os.environ["NO_MKDOCS_2_WARNING"] == "1"
        assert os.environ["DISABLE_MKDOCS_2_WARNING"] == "true"
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None)
            if v is not None:
                os.environ[k] = v


def test_make_installs_the_pth_file_into_the_virtual_environment():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "generator/quiet_mkdocs.pth" in makefile and 'get_path("purelib")' in makefile
    for target in ("serve", "site", "preview", "test", "bench", "validate", "schema"):
        assert f"\n{target}: $(QUIET)" in makefile, target


def test_a_real_mkdocs_build_prints_fewer_than_20_lines(tmp_path):
    """`python -m mkdocs build --strict` as a contributor runs it in .venv: no variables set by hand.

    The .pth file is read the way Python reads it from site-packages at start-up
    (site.addsitedir), so the test does not depend on this machine's .venv.
    """
    sitedir = tmp_path / "sitedir"
    sitedir.mkdir()
    (sitedir / "rrs_quiet_mkdocs.pth").write_bytes(PTH.read_bytes())
    code = ("import runpy, site, sys; site.addsitedir(sys.argv[1]); sys.argv = ['mkdocs'] + sys.argv[2:]; "
            "runpy.run_module('mkdocs', run_name='__main__', alter_sys=True)")
    result = subprocess.run(
        [sys.executable, "-c", code, str(sitedir), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, env=_env_without_banner_vars(), capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
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
