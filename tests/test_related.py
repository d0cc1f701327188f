"""Related schemes on every page really share a target group or intervention type."""
from __future__ import annotations

import re

from generator.loader import load_all

LOADER, SCHEMES, _ = load_all()
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
