"""The engine-neutral pipeline: `python -m generator write DIR` writes every generated page and data file,
and a build of docs/ plus DIR with no hook gives the same pages as `make site`; Pagefind runs on its own.

What only the hook does (generator/hook.py, the one engine-specific part; README: Toolchain) is
left out of the comparison, and checked to be all that differs: the former slugs' redirect pages,
"Edit this page" pointing at the YAML file and docs/, Pagefind's page marks and Material's empty index.
"""
from __future__ import annotations

import filecmp
import re
import shutil

import pytest

from conftest import ROOT, build_site, run_cli

EDIT_LINK = re.compile(r'<a href="[^"]*" title="Edit this page" class="md-content__button md-icon" rel="edit">.*?</a>', re.S)
SEARCH_MARK = " data-pagefind-body"


def _without_hook_marks(html: str) -> str:
    """The page without its "Edit this page" link (the hook points it at the YAML file, or leaves it out
    on generated pages with no file behind them), whitespace collapsed."""
    return re.sub(r"\s+", " ", EDIT_LINK.sub("", html))


def _hookless_config(docs) -> str:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    config = re.sub(r"\nhooks:\n  - generator/hook.py\n", "\n", config)
    config = config.replace("\n  - schemes\n  - vocabularies\n  - generator\n", "\n  - docs\n")
    assert "hook" not in config.split("hooks:")[0] or "hooks:" not in config
    return config + f"\ndocs_dir: {docs}\n"


@pytest.fixture(scope="module")
def hookless_site(tmp_path_factory, site_build, clean_schemes):
    root = tmp_path_factory.mktemp("hookless")
    docs = root / "docs"
    shutil.copytree(ROOT / "docs", docs)
    written = run_cli(["write", docs], env={"RRS_SCHEMES_DIR": str(clean_schemes),
                                            "SOURCE_DATE_EPOCH": site_build.epoch})
    assert written.returncode == 0, written.stderr
    assert "Wrote " in written.stderr
    (root / "mkdocs.yml").write_text(_hookless_config(docs), encoding="utf-8")
    result = build_site(root / "site", cwd=root, extra_env={"SOURCE_DATE_EPOCH": site_build.epoch})
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Generated" not in result.stderr  # no hook ran
    return root / "site"


def test_write_refuses_a_folder_that_holds_generated_files(tmp_path, clean_schemes):
    (tmp_path / "index.md").write_text("# mine\n", encoding="utf-8")
    result = run_cli(["write", tmp_path], env={"RRS_SCHEMES_DIR": str(clean_schemes)})
    assert result.returncode == 1 and "already in" in result.stderr
    assert (tmp_path / "index.md").read_text(encoding="utf-8") == "# mine\n"


def test_a_hookless_build_of_the_written_folder_gives_the_same_pages(built_site, hookless_site, prepared):
    skip_dirs = {"pagefind", "search"}
    skip = {"sitemap.xml", "sitemap.xml.gz"}

    def files(site):
        return {p.relative_to(site).as_posix() for p in site.rglob("*")
                if p.is_file() and p.relative_to(site).parts[0] not in skip_dirs and p.name not in skip}

    made, hookless = files(built_site), files(hookless_site)
    redirects = {f"schemes/{alias}/index.html" for v in prepared.schemes for alias in v["aliases"]}
    assert made - hookless == redirects  # the redirects plugin's pages: fed by the hook
    assert hookless - made == set()
    different = []
    for path in sorted(made & hookless):
        a, b = built_site / path, hookless_site / path
        if filecmp.cmp(a, b, shallow=False):
            continue
        if path.endswith(".html"):
            text_a = _without_hook_marks(a.read_text(encoding="utf-8").replace(SEARCH_MARK, ""))
            text_b = _without_hook_marks(b.read_text(encoding="utf-8"))
            if text_a == text_b:
                continue
        different.append(path)
    assert different == []


def test_pagefind_runs_as_its_own_step(hookless_site):
    result = run_cli(["search", hookless_site])
    assert result.returncode == 0, result.stderr
    assert (hookless_site / "pagefind" / "pagefind.js").is_file()
    assert list((hookless_site / "pagefind" / "fragment").iterdir())
