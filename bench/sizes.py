"""What the built site's data files weigh: the search index and the finder data.

The search index is Pagefind's bundle (site/pagefind/, generator/site_search.py):
split into chunks, of which a query fetches only a few (bench/search.py
measures what it transfers). Its metadata file is the part that every first
query loads and that grows with the number of pages. Material's own index
(site/search/search_index.json) is left empty by the hook and sized too.
"""
from __future__ import annotations

import pathlib

from bench.measure import gz_len, kb


def search_figures(site_dir: pathlib.Path) -> dict:
    """Sizes of the Pagefind bundle in site_dir/pagefind/ (empty if the build has none)."""
    bundle = site_dir / "pagefind"
    if not bundle.is_dir():
        return {}
    files = [p for p in bundle.rglob("*") if p.is_file()]
    meta = next(bundle.glob("pagefind.*.pf_meta"), None)
    material = site_dir / "search" / "search_index.json"
    return {
        "search_index_kb": kb(sum(p.stat().st_size for p in files)),
        "search_index_files": len(files),
        "search_index_chunks": sum(1 for p in files if p.suffix == ".pf_index"),
        "search_meta_kb": kb(meta.stat().st_size) if meta else None,
        "material_index_kb": kb(material.stat().st_size) if material.exists() else None,
        "material_index_gz_kb": kb(gz_len(material.read_bytes())) if material.exists() else None,
    }


def finder_figures(site_dir: pathlib.Path) -> dict:
    """Size of site/data/finder.json, plain and gzipped (None if the build has none)."""
    path = site_dir / "data" / "finder.json"
    if not path.exists():
        return {"finder_data_kb": None, "finder_data_gz_kb": None}
    data = path.read_bytes()
    return {"finder_data_kb": kb(len(data)), "finder_data_gz_kb": kb(gz_len(data))}
