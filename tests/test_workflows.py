"""The GitHub workflows and repository furniture: safe by construction, and audited with zizmor."""
from __future__ import annotations

import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _load(path: pathlib.Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(data):
    for job_id, job in data["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def test_both_workflows_exist():
    assert {p.name for p in WORKFLOWS} == {"pr.yml", "deploy.yml", "suggestion.yml", "schema.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_never_pull_request_target(path):
    assert "pull_request_target" not in path.read_text(encoding="utf-8")
    assert "pull_request_target" not in _load(path)["on"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_explicit_everywhere(path):
    data = _load(path)
    assert data["permissions"] == {"contents": "read"}
    for job_id, job in data["jobs"].items():
        assert "permissions" in job and isinstance(job["permissions"], dict), f"{path.name}: job {job_id}"
        assert "write-all" not in str(job["permissions"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    text = path.read_text(encoding="utf-8")
    uses = re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", text, flags=re.M)
    assert uses
    for ref, rest in uses:
        assert SHA_PIN.match(ref), f"{path.name}: {ref} is not pinned to a full commit SHA"
        assert re.search(r"#\s*v\d", rest), f"{path.name}: {ref} needs a version comment"
    for _, step in _steps(_load(path)):
        if "uses" in step:
            assert SHA_PIN.match(step["uses"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_keeps_no_credentials(path):
    checkouts = [s for _, s in _steps(_load(path)) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expressions_inside_run_scripts(path):
    for job_id, step in _steps(_load(path)):
        script = step.get("run", "")
        assert "${{" not in script, f"{path.name}: job {job_id}, step {step.get('name')}: pass values through env"
        assert "github.event" not in script


def _runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in job["steps"])


def test_pull_request_workflow_does_every_check():
    data = _load(GITHUB / "workflows" / "pr.yml")
    assert "pull_request" in data["on"]
    assert set(data["jobs"]) == {"validate", "test", "build"}
    for job in data["jobs"].values():
        assert job["permissions"] == {"contents": "read"}
    # the full jobs wait for the quick one
    assert data["jobs"]["test"]["needs"] == "validate" and data["jobs"]["build"]["needs"] == "validate"
    test = data["jobs"]["test"]
    checkout = test["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0
    runs = _runs(test)
    assert "-r requirements.lock" in runs
    assert "python -m generator validate --format github" in runs
    assert 'check-slugs --base "origin/${BASE_REF}"' in runs
    slugs = next(s for s in test["steps"] if "check-slugs" in s.get("run", ""))
    assert slugs["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert "apt-get install" in runs and "chromium" in runs
    assert "-m pytest" in runs
    # Python 3.11 on Debian (the image), as the README's quick start assumes
    assert test["container"]["image"].startswith("python:3.11-")
    assert "mkdocs build --strict" in _runs(data["jobs"]["build"])


def test_the_first_job_only_installs_python_packages_and_validates_the_changed_files():
    data = _load(GITHUB / "workflows" / "pr.yml")
    assert list(data["jobs"])[0] == "validate"
    job = data["jobs"]["validate"]
    assert "needs" not in job and "container" not in job  # starts at once, no image to pull
    assert job["timeout-minutes"] <= 10
    runs = _runs(job)
    assert "apt-get" not in runs and "apt " not in runs and "sudo" not in runs
    assert "-r requirements.lock" in runs
    assert "python -m generator validate --format github" in runs
    # only what the pull request changed: scheme files, or every scheme when a vocabulary changed
    assert "git diff --name-only" in runs and "HEAD^1 HEAD" in runs
    assert "'schemes/*.yaml'" in runs and "'vocabularies/*.yaml'" in runs
    assert job["steps"][0]["with"]["fetch-depth"] == 2  # the merge commit and its base
    # and the editor schema is current
    assert "python -m generator schema --check --format github" in runs
    uses = [s.get("uses", "") for s in job["steps"]]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert not any("browser" in u or "chromium" in u for u in uses)


def test_every_pull_request_gets_its_site_as_an_artifact_with_the_changed_pages_listed():
    data = _load(GITHUB / "workflows" / "pr.yml")
    steps = data["jobs"]["build"]["steps"]
    names = [s.get("name", "") for s in steps]
    upload_at = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/upload-artifact@"))
    upload = steps[upload_at]
    assert "if" not in upload  # every pull request, not only some
    assert upload["with"]["name"] == "site" and upload["with"]["path"].startswith("site")
    assert upload["with"]["if-no-files-found"] == "error"
    summary = next(s for s in steps[upload_at + 1:] if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    script = summary["run"]
    assert 'git diff --name-only --diff-filter=d -z HEAD^1 HEAD -- \'schemes/*.yaml\'' in script
    assert "site/schemes/${slug}/index.html" in script
    assert summary["env"]["ARTIFACT_URL"] == "${{ steps.upload.outputs.artifact-url }}" and upload["id"] == "upload"
    assert names.index(summary["name"]) > names.index(upload["name"])


def test_contributing_mentions_the_approval_wait():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").lower()
    assert "approv" in text and "first" in text and "maintainer" in text


def test_deploy_workflow_gives_pages_rights_to_the_deploy_job_only():
    data = _load(GITHUB / "workflows" / "deploy.yml")
    assert data["on"] == {"push": {"branches": ["main"]}}
    assert data["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert data["jobs"]["deploy"]["needs"] == "build"
    for job_id, job in data["jobs"].items():
        if job_id != "deploy":
            assert "pages" not in job["permissions"] and "id-token" not in job["permissions"]
    uses = [s.get("uses", "") for _, s in _steps(data)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    setup = next(s for _, s in _steps(data) if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"


def _zizmor() -> str:
    found = shutil.which("zizmor") or str(pathlib.Path(sys.executable).parent / "zizmor")
    if not pathlib.Path(found).exists():
        pytest.fail("zizmor is not installed: run `make test` (it is pinned in requirements.lock)")
    return found


def test_zizmor_finds_nothing():
    result = subprocess.run([_zizmor(), "--offline", "--no-progress", str(GITHUB / "workflows")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr, result.stdout + result.stderr


def test_codeowners_cover_build_ci_and_lock_file():
    owners = {}
    for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *teams = line.split()
            owners[pattern] = teams
    for path in ("/.github/", "/mkdocs.yml", "/generator/", "/requirements.lock"):
        assert owners.get(path), path


def test_pull_request_template_has_the_checklist():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8").lower()
    for phrase in ["one scheme per pull request", "cited source", "exactly as the source states",
                   "no personal data"]:
        assert phrase in text, phrase
    assert text.count("- [ ]") >= 4


def test_suggest_a_scheme_form_needs_no_yaml():
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "suggest-a-scheme.yml").read_text(encoding="utf-8"))
    assert form["name"] == "Suggest a scheme"
    fields = {item.get("id"): item for item in form["body"] if item.get("id")}
    for required in ("title", "force", "summary", "source-url", "source-date"):
        assert fields[required]["validations"]["required"] is True, required
    config = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))
    assert all(link["url"].startswith("https://") for link in config.get("contact_links", []))


def test_dependabot_keeps_pip_and_actions_current_and_ignores_mkdocs_2():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text(encoding="utf-8"))
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"pip", "github-actions"}
    ignored = {i["dependency-name"]: i["versions"] for i in updates["pip"]["ignore"]}
    assert ignored["mkdocs"] == [">=2"]


def test_pyproject_bounds_mkdocs_and_material_and_the_lock_pins_them():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"mkdocs>=1.6.1,<2"' in text and '"mkdocs-material>=9.7.7,<10"' in text
    assert "nh3" not in text
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    assert "mkdocs==1.6.1" in lock and any(line.startswith("mkdocs-material==9.") for line in lock)
    assert not any(line.startswith("nh3") for line in lock)


def test_pull_requests_build_with_properdocs_and_compare():
    data = _load(GITHUB / "workflows" / "pr.yml")
    runs = _runs(data["jobs"]["build"])
    assert "tests/test_properdocs.py" in runs


def test_lint_and_types_run_in_ci_and_in_make_check():
    runs = _runs(_load(GITHUB / "workflows" / "pr.yml")["jobs"]["validate"])
    assert "-m ruff check" in runs and "-m mypy" in runs
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ncheck: $(STAMP)\n", 1)[1].split("\n\n", 1)[0]
    for command in ("-m generator validate", "-m ruff check generator/", "-m mypy", '-m "not browser and not timing and not site"'):
        assert command in recipe, command
