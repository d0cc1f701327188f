"""No third-party requests: the built site asks nothing of any host but its own."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, load, material_search, settle

def _pages(scheme) -> list[str]:
    return ["/", f"/schemes/{scheme.slug}/", "/finder/", "/map/", f"/forces/{scheme.data['forces'][0]}/",
            f"/tags/{scheme.data['target_groups'][0]}/", "/compare/", "/schemes/", "/about/data/"]

EXTERNAL_ATTR = re.compile(r'<(script|img|iframe|link|source|video|audio|embed|object)\b[^>]*\b(?:src|href|data)\s*=\s*["\']?(?:https?:)?//', re.I)
CSS_URL = re.compile(r'url\(\s*["\']?(?:https?:)?//', re.I)
CSS_IMPORT = re.compile(r'@import\s+(?:url\()?\s*["\']?(?:https?:)?//', re.I)


@pytest.mark.browser
def test_pages_and_search_request_only_the_local_server(page, site_url, register):
    S = register.schemes[0]
    for path in _pages(S):
        load(page, site_url + path)
    material_search(page.page, S.data["title"].split()[0])
    settle(page)
    assert page.requests, "the recorder saw no requests at all"
    assert page.foreign_requests(site_url) == []


def test_no_external_references_in_built_files(built_site):
    problems = []
    for path in built_site.rglob("*"):
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            for m in EXTERNAL_ATTR.finditer(text):
                tag = text[m.start(): text.find(">", m.start()) + 1]
                # canonical and alternate links name the site's own public address; they load nothing
                if re.search(r'rel="(canonical|alternate)"', tag):
                    continue
                problems.append(f"{path.relative_to(built_site)}: {tag[:120]}")
            for m in CSS_URL.finditer(text):
                problems.append(f"{path.relative_to(built_site)}: inline style {text[m.start():m.start() + 80]}")
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8")
            for pattern in (CSS_URL, CSS_IMPORT):
                for m in pattern.finditer(text):
                    problems.append(f"{path.relative_to(built_site)}: {text[m.start():m.start() + 80]}")
    assert problems == []


def test_theme_fonts_are_off_and_no_cdn_in_config():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "font: false" in config
    assert "!!python" not in config
    assert not re.search(r"https?://(cdn|unpkg|fonts\.googleapis|cdnjs)", config)
