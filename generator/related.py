"""Related schemes: the few that share the most target groups and intervention types with a scheme."""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

# Schemes with more tags than this are compared by counting, not by indexing every subset.
MAX_SUBSET_TAGS = 10


class RelatedSchemes:
    """Up to five schemes sharing the most target groups and intervention types, ties by title.

    Exact and near-linear: every subset of each scheme's tags is indexed, and a
    scheme's neighbours are read level by level, from the largest shared subset
    down, taking only the first few (title-ordered) schemes from each list.
    Schemes with more than MAX_SUBSET_TAGS tags fall back to counting. The
    index is built once; each scheme's list is read when its page is rendered,
    which may be in a worker process; nothing is stored in the views, so they
    hold no references to one another.
    """

    def __init__(self, views: list[dict], limit: int = 5):
        self.views = views
        self.limit = limit
        self.position = {v["slug"]: i for i, v in enumerate(views)}
        self.keys = [sorted({"t:" + t["slug"] for t in v["target_groups"]} | {"i:" + t["slug"] for t in v["intervention_types"]})
                     for v in views]
        self.index: dict[tuple, list[int]] = defaultdict(list)
        self.single: dict[str, list[int]] = defaultdict(list)
        for i, ks in enumerate(self.keys):  # views are in title order, so every list is too
            for k in ks:
                self.single[k].append(i)
            if len(ks) <= MAX_SUBSET_TAGS:
                for size in range(1, len(ks) + 1):
                    for combo in combinations(ks, size):
                        self.index[combo].append(i)

    def of(self, view: dict) -> list[dict]:
        """[{"view": related view, "shared": number of tags in common}], most shared first."""
        i = self.position[view["slug"]]
        ks, limit = self.keys[i], self.limit
        found: list[tuple[int, int]] = []
        seen = {i}
        if len(ks) > MAX_SUBSET_TAGS:
            shared: Counter = Counter()
            for k in ks:
                for j in self.single[k]:
                    if j != i:
                        shared[j] += 1
            found = sorted(((n, j) for j, n in shared.items()), key=lambda nj: (-nj[0], nj[1]))[:limit]
        else:
            for size in range(len(ks), 0, -1):
                need = limit - len(found)
                if need <= 0:
                    break
                candidates = set()
                for combo in combinations(ks, size):
                    taken = 0
                    for j in self.index.get(combo, ()):
                        if j in seen:
                            continue
                        candidates.add(j)
                        taken += 1
                        if taken >= need:
                            break
                for j in sorted(candidates)[:need]:
                    found.append((size, j))
                    seen.add(j)
        return [{"view": self.views[j], "shared": n} for n, j in found]
