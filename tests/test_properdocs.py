"""ProperDocs (a drop-in fork of MkDocs 1.x, README: Toolchain) builds the same site as MkDocs.

`properdocs build --strict -f mkdocs.yml`, with the hook and plugins as they are: the session's one extra
build of the real site (conftest: second_site_build, in two processes), against its MkDocs build. Every
file is the same apart from the sitemap (it carries the build date) and the generator meta tag.
ProperDocs comes with mkdocs-redirects (requirements.lock); where it is missing the test fails in CI and
skips elsewhere (conftest: properdocs).
"""
from __future__ import annotations

from conftest import GENERATOR_META, differences


def test_properdocs_builds_the_same_site(site_build, second_site_build):
    assert second_site_build.returncode == 0, second_site_build.output[-4000:]
    output = second_site_build.output
    assert "Generated " in output and "Indexed the site for search" in output  # the hook ran
    site, made = second_site_build.site, site_build.site
    engines = {GENERATOR_META.search((root / "index.html").read_text(encoding="utf-8"))[1] for root in (made, site)}
    assert any("properdocs" in e.lower() for e in engines), engines  # the second build is ProperDocs'
    assert differences(made, site) == (set(), set(), [])
