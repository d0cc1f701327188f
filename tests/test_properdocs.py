"""ProperDocs (a drop-in fork of MkDocs 1.x, README: Toolchain) builds the same site as MkDocs.

`properdocs build --strict -f mkdocs.yml`, with the hook and plugins as they are, against the
session's MkDocs build: every file the same apart from the sitemap (it carries the build date)
and the generator meta tag. ProperDocs comes with mkdocs-redirects (requirements.lock); where it
is missing the test fails in CI and skips elsewhere.
"""
from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import IN_CI, QUIET_ENV, ROOT

GENERATOR_META = re.compile(r'<meta name="generator" content="[^"]*">')


def _properdocs() -> list[str]:
    found = shutil.which("properdocs", path=os.path.dirname(sys.executable)) or shutil.which("properdocs")
    if not found:
        if IN_CI:
            pytest.fail("properdocs is not installed: it comes with requirements.lock")
        pytest.skip("properdocs is not installed (in CI this fails)")
    return [found]


def test_properdocs_builds_the_same_site(site_build, tmp_path):
    env = dict(os.environ, **QUIET_ENV, RRS_SCHEMES_DIR=str(site_build.schemes_dir), RRS_WORKERS="1",
               SOURCE_DATE_EPOCH=site_build.epoch)
    env.pop("RRS_PREVIEW", None)
    site = tmp_path / "site"
    result = subprocess.run([*_properdocs(), "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Generated " in result.stderr and "Indexed the site for search" in result.stderr  # the hook ran

    skip = {"sitemap.xml", "sitemap.xml.gz"}

    def files(root):
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name not in skip}

    made = site_build.site
    assert files(site) == files(made)
    different = []
    for path in sorted(files(made)):
        a, b = made / path, site / path
        if filecmp.cmp(a, b, shallow=False):
            continue
        if path.endswith(".html") and GENERATOR_META.sub("", a.read_text(encoding="utf-8")) == \
                GENERATOR_META.sub("", b.read_text(encoding="utf-8")):
            continue
        different.append(path)
    assert different == []
