"""Issue 18's comparison, kept in the benchmark: the built site searched the other way too.

The site answers its search box from Pagefind (generator/site_search.py). The
option it was chosen over is Material's own search with a lean index: scheme
pages by title, summary, force, providers and tags only (one entry each, no
sections), force and organisation pages by title, listing pages left out, and
Material's own worker, which downloads the whole index when a page opens.
This module makes that variant of a built site (a linked copy: only the
index and the measured page's config are written anew) and measures it with
the same browser check (bench/search.py), so `make bench` records both:

    search_lean_material_payload_gz_kb, search_lean_material_first_result_ms,
    search_lean_material_warm_ms (and the lean index's size on its own).
"""
from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess

from bench.measure import gz_len, kb, log
from bench.search import search_timing

PREFIX = "search_lean_material_"


def lean_index(views: list[dict], site_dir: pathlib.Path) -> dict:
    """Material's index of the same site, made lean: what people search for, no listing page."""
    docs = []
    for v in views:
        text = " ".join([v["summary"]] + [f["name"] for f in v["forces"]] + [p["name"] for p in v["providers"]])
        tags = [t["name"] for t in v["target_groups"]] + [t["name"] for t in v["intervention_types"]]
        docs.append({"location": f"schemes/{v['slug']}/", "title": v["title"], "text": text, "tags": tags})
    for kind in ("forces", "providers"):
        for page in sorted((site_dir / kind).glob("*/index.html")):
            title = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S)
            if title:
                docs.append({"location": f"{kind}/{page.parent.name}/", "title": title.group(1).strip(), "text": ""})
    config = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    return {"config": config, "docs": docs}


def lean_material_site(site_dir: pathlib.Path, views: list[dict], slug: str, dest: pathlib.Path) -> pathlib.Path:
    """A linked copy of site_dir whose page schemes/<slug>/ asks Material's worker and its lean index."""
    if dest.exists():
        shutil.rmtree(dest)
    subprocess.run(["cp", "-al", str(site_dir), str(dest)], check=True)
    index = dest / "search" / "search_index.json"
    data = lean_index(views, site_dir)
    index.unlink()  # a new file, not the linked original
    index.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    worker = next((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    page = dest / "schemes" / slug / "index.html"
    html = page.read_text(encoding="utf-8")
    html = re.sub(r'("search":\s*")([./]*)assets/javascripts/search-worker\.js"',
                  lambda m: f'{m.group(1)}{m.group(2)}assets/javascripts/workers/{worker.name}"', html)
    page.unlink()
    page.write_text(html, encoding="utf-8")
    return dest


def lean_material_figures(site_dir: pathlib.Path, views: list[dict], slug: str, chromium: str,
                          work: pathlib.Path) -> dict:
    """Option (a)'s figures for the same corpus, named with PREFIX."""
    try:
        dest = lean_material_site(site_dir, views, slug, work / "site-lean-material")
    except (OSError, StopIteration, subprocess.CalledProcessError) as exc:
        log(f"lean Material variant failed ({exc.__class__.__name__}: {exc})")
        return {}
    raw = (dest / "search" / "search_index.json").read_bytes()
    figures = search_timing(dest, slug, chromium)
    shutil.rmtree(dest, ignore_errors=True)
    out = {f"{PREFIX}index_kb": kb(len(raw)), f"{PREFIX}index_gz_kb": kb(gz_len(raw))}
    for key in ("search_payload_gz_kb", "search_first_result_ms", "search_first_result_runs_ms",
                "search_warm_ms", "search_warm_max_ms", "search_first_result"):
        out[PREFIX + key[len("search_"):]] = figures.get(key)
    return out
