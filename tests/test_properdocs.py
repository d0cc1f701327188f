"""ProperDocs (a drop-in fork of MkDocs 1.x, README: Toolchain) builds the same site as MkDocs.

`properdocs build --strict -f mkdocs.yml`, with the hook and plugins as they are: the session's one extra
build of the real site (conftest: second_site_build, in two processes), against its MkDocs build. Every
file is the same apart from the sitemap (it carries the build date) and the generator meta tag.
ProperDocs comes with mkdocs-redirects (requirements.lock); where it is missing the test fails in CI and
skips elsewhere (conftest: properdocs).
"""
from __future__ import annotations

import filecmp
import re

GENERATOR_META = re.compile(r'<meta name="generator" content="([^"]*)">')


def test_properdocs_builds_the_same_site(site_build, second_site_build):
    assert second_site_build.returncode == 0, second_site_build.output[-4000:]
    output = second_site_build.output
    assert "Generated " in output and "Indexed the site for search" in output  # the hook ran
    site, made = second_site_build.site, site_build.site
    engines = {GENERATOR_META.search((root / "index.html").read_text(encoding="utf-8"))[1] for root in (made, site)}
    assert any("properdocs" in e.lower() for e in engines), engines  # the second build is ProperDocs'

    skip = {"sitemap.xml", "sitemap.xml.gz"}

    def files(root):
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name not in skip}

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
