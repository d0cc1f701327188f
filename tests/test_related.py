"""Related schemes on every page really share a target group or intervention type."""
from __future__ import annotations

import re

import pytest


@pytest.fixture(autouse=True, scope="module")
def _the_register(register, prepared):
    """The register, loaded once per session by conftest (never at import: a broken entry fails its own tests)."""
    global LOADER, SCHEMES, BY_SLUG
    LOADER, SCHEMES = register.loader, register.schemes
    BY_SLUG = {s.slug: s.data for s in SCHEMES}


def test_every_scheme_page_lists_related_schemes_that_share_tags(built_site):
    for s in SCHEMES:
        page = (built_site / "schemes" / s.slug / "index.html").read_text(encoding="utf-8")
        block = page.split('class="rrs-related"')[1].split("</ul>")[0] if 'class="rrs-related"' in page else ""
        related = re.findall(r'href="\.\./\.\./schemes/([a-z0-9-]+)/"', block)
        assert len(related) <= 5
        mine = set(s.data["target_groups"]) | set(s.data["intervention_types"])
        shared = [len(mine & (set(BY_SLUG[r]["target_groups"]) | set(BY_SLUG[r]["intervention_types"]))) for r in related]
        assert all(n > 0 for n in shared), (s.slug, related)
        assert shared == sorted(shared, reverse=True), (s.slug, shared)
        assert s.slug not in related
        others_sharing = [o for o in SCHEMES if o is not s and mine & (set(o.data["target_groups"]) | set(o.data["intervention_types"]))]
        assert len(related) == min(5, len(others_sharing))


def test_related_matches_brute_force_on_a_large_synthetic_corpus(tmp_path):
    """The fast neighbour search gives exactly the brute-force answer, also when tags are common."""
    from bench import synthetic
    from generator import build

    synthetic.write_corpus(400, tmp_path)
    site = build.prepare(build.load(tmp_path), build.Settings())
    views = site.schemes
    tags = [{"t:" + t["slug"] for t in v["target_groups"]} | {"i:" + t["slug"] for t in v["intervention_types"]} for v in views]
    for i, v in enumerate(views):
        scored = sorted(((len(tags[i] & tags[j]), j) for j in range(len(views)) if j != i and tags[i] & tags[j]),
                        key=lambda nj: (-nj[0], nj[1]))[:5]
        assert [(r["shared"], r["view"]["slug"]) for r in site.related.of(v)] == [(n, views[j]["slug"]) for n, j in scored]
