"""The benchmark's report: the Markdown table of every figure, and the targets of issues 9, 17 (the preview) and 18 (search) met or missed.

Targets are checked on the largest size measured (5,000 if present), and the
growth target compares 5,000 with 1,000 when both were measured.
"""
from __future__ import annotations

TARGET_SHARE = 0.05  # load + validate + generate, as a share of the whole build
TARGET_OVER_FLOOR = 1.5  # build / plain MkDocs floor
TARGET_GROWTH = 5.5  # any figure at 5,000 / the same at 1,000
TARGET_RSS_MB = 1024
TARGET_FINDER_GZ_KB = 1.5 * 1024
TARGET_PAGE_GZ_KB = 150
TARGET_FILTER_MS = 16
TARGET_PREVIEW_S = 3  # issue 17: save to page under `make preview`, at 5,000 schemes
TARGET_SEARCH_GZ_KB = 300  # issue 18: all search transfers for a first query
TARGET_SEARCH_FIRST_MS = 1000  # issue 18: last keystroke to the first result on screen, first visit
TARGET_SEARCH_WARM_MS = 100  # issue 18: a further query

ROWS = [
    ("load_validate_s", "Load + validate (s)"),
    ("generate_s", "Generate: prepare + outputs, in process (s)"),
    ("generator_share_pct", "Load + validate + generate, % of build"),
    ("hook_in_build_s", "Hook time inside the build, incl. load (s)"),
    ("build_s", "Whole `mkdocs build` (s)"),
    ("floor_build_s", "Plain MkDocs floor (s)"),
    ("build_over_floor", "Build / floor"),
    ("build_cpu_s", "CPU time of the build (s)"),
    ("floor_cpu_s", "CPU time of the floor (s)"),
    ("build_over_floor_cpu", "Build / floor, CPU time"),
    ("peak_rss_mb", "Peak RSS of the build (MB)"),
    ("floor_peak_rss_mb", "Peak RSS of the floor (MB)"),
    ("search_index_kb", "Search index on disk: Pagefind's bundle (KB)"),
    ("search_index_files", "Files in it"),
    ("search_meta_kb", "Its metadata file, which every first query loads (KB)"),
    ("search_index_build_s", "Pagefind's indexing inside the build (s)"),
    ("search_payload_gz_kb", "Search: transferred for a first query, gzipped (KB)"),
    ("search_first_result_ms", "Search: last keystroke to first result, first visit, median (ms)"),
    ("search_warm_ms", "Search: a further query, median (ms)"),
    ("search_warm_max_ms", "Same, slowest (ms)"),
    ("search_lean_material_index_gz_kb", "Other option, Material's worker and a lean index: the index, gzipped (KB)"),
    ("search_lean_material_payload_gz_kb", "Other option: transferred for a first query, gzipped (KB)"),
    ("search_lean_material_first_result_ms", "Other option: last keystroke to first result, first visit, median (ms)"),
    ("search_lean_material_warm_ms", "Other option: a further query, median (ms)"),
    ("finder_data_kb", "Finder data (KB)"),
    ("finder_data_gz_kb", "Finder data, gzipped (KB)"),
    ("page_weight_kb", "One scheme page with all it loads (KB)"),
    ("page_weight_gz_kb", "Same, gzipped (KB)"),
    ("finder_filter_ms", "Finder: one filter change to DOM updated, median (ms)"),
    ("finder_filter_max_ms", "Same, slowest (ms)"),
    ("finder_filter_layout_ms", "Same, with style and layout forced, median (ms)"),
    ("cards_count", "Picture cards (issue 28)"),
    ("cards_off_s", "`generator write` without cards (s)"),
    ("cards_cold_s", "Same with cards, empty card cache: every card drawn (s)"),
    ("cards_warm_s", "Same with cards, warm card cache (s)"),
    ("cards_max_kb", "Largest card (KB)"),
    ("rebuild_s", "Rebuild under `mkdocs serve` after saving one YAML (s)"),
    ("preview_s", "Same under `make preview` of that entry (s)"),
]
OPTIONAL_ROWS = ("rebuild_s", "preview_s", "search_lean_material_index_gz_kb", "search_lean_material_payload_gz_kb",
                 "search_lean_material_first_result_ms", "search_lean_material_warm_ms")  # left out when no size measured them
GROWTH_KEYS = ["load_validate_s", "generate_s", "build_s", "floor_build_s", "peak_rss_mb",
               "search_index_kb", "finder_data_gz_kb", "page_weight_gz_kb"]


def _fmt(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,}"


def table(results: list[dict]) -> str:
    """One row per figure, one column per size (and 5,000 / 1,000 for the growth figures)."""
    by_n = {r["n"]: r for r in results}
    ratio = 5000 in by_n and 1000 in by_n
    head = ["Figure"] + [f"N = {r['n']:,}" for r in results] + (["5,000 / 1,000"] if ratio else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, label in ROWS:
        if key in OPTIONAL_ROWS and all(r.get(key) is None for r in results):
            continue
        cells = [label] + [_fmt(r.get(key)) for r in results]
        if ratio:
            a, b = by_n[5000].get(key), by_n[1000].get(key)
            cells.append(f"{a / b:.2f}" if key in GROWTH_KEYS and a is not None and b else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(results: list[dict]) -> list[tuple[str, bool | None, str]]:
    """(target, met? (None: not measured), detail) for each of the targets of issues 9 and 18."""
    by_n = {r["n"]: r for r in results}
    big = by_n.get(5000) or results[-1]
    out = []

    def check(name, ok, detail):
        out.append((name, ok, detail))

    share = big["generator_share_pct"]
    check(f"Load + validate + generate <= 5% of the build (N={big['n']:,})", share <= 100 * TARGET_SHARE,
          f"{share}% ({big['load_validate_s']} + {big['generate_s']} s of {big['build_s']} s;"
          f" the hook inside the build: {big.get('hook_in_build_share_pct')}%; each run: "
          f"{', '.join(f'{x}%' for x in big.get('generator_share_runs_pct', []))})")
    check(f"Build <= 1.5 x floor (N={big['n']:,})", big["build_s"] <= TARGET_OVER_FLOOR * big["floor_build_s"],
          f"{big['build_s']} s / {big['floor_build_s']} s = {big['build_s'] / big['floor_build_s']:.2f}")
    if 5000 in by_n and 1000 in by_n:
        worst = []
        for key in GROWTH_KEYS:
            a, b = by_n[5000].get(key), by_n[1000].get(key)
            if a is not None and b:
                worst.append((a / b, key))
        bad = [f"{k} {r:.2f}" for r, k in worst if r > TARGET_GROWTH]
        check("Linear: 5,000 figure <= 5.5 x 1,000 figure, every row", not bad,
              ", ".join(bad) if bad else "max " + (f"{max(worst)[0]:.2f} ({max(worst)[1]})" if worst else "n/a"))
    check(f"Peak RSS of the build <= 1 GB (N={big['n']:,})", big["peak_rss_mb"] <= TARGET_RSS_MB, f"{big['peak_rss_mb']} MB")
    fz = big.get("finder_data_gz_kb")
    check(f"Finder data <= 1.5 MB gzipped (N={big['n']:,})", None if fz is None else fz <= TARGET_FINDER_GZ_KB,
          "no site/data/finder.json in the build" if fz is None else f"{fz} KB")
    pz = big.get("page_weight_gz_kb")
    check("One scheme page with all it loads <= 150 KB gzipped", None if pz is None else pz <= TARGET_PAGE_GZ_KB,
          f"{pz} KB ({big.get('page_requests')} requests, {big.get('page_weight_method')})")
    fm = big.get("finder_filter_ms")
    check(f"Finder: one filter change <= 16 ms in headless Chromium (N={big['n']:,}, median)",
          None if fm is None else fm <= TARGET_FILTER_MS,
          "no finder page in the build" if fm is None else f"median {fm} ms, slowest {big.get('finder_filter_max_ms')} ms"
          f" over {big.get('finder_filter_samples')} changes, click to DOM updated;"
          f" {big.get('finder_filter_layout_ms')} ms with style and layout forced")
    previewed = [r for r in results if r.get("preview_s") is not None]
    if previewed:
        pr = max(previewed, key=lambda r: r["n"])
        full = next((f" (the whole site under `make serve`: {r['rebuild_s']} s at N={r['n']:,})"
                     for r in sorted(results, key=lambda r: -r["n"]) if r.get("rebuild_s") is not None), "")
        check(f"Save to page under the preview <= {TARGET_PREVIEW_S} s (N={pr['n']:,}, issue 17)",
              pr["preview_s"] <= TARGET_PREVIEW_S, f"median {pr['preview_s']} s of {pr['preview_runs_s']}{full}")
    sz, sf, sw = big.get("search_payload_gz_kb"), big.get("search_first_result_ms"), big.get("search_warm_ms")
    check(f"Search: a first query transfers <= 300 KB gzipped in all (N={big['n']:,}, issue 18)",
          None if sz is None else sz <= TARGET_SEARCH_GZ_KB,
          "not measured" if sz is None else f"{sz} KB in {big.get('search_requests')} requests for {big.get('search_query')!r}")
    check(f"Search: first result <= 1 s after the last keystroke, first visit (N={big['n']:,}, issue 18)",
          None if sf is None else sf <= TARGET_SEARCH_FIRST_MS,
          "not measured" if sf is None else f"median {sf} ms; runs {big.get('search_first_result_runs_ms')}")
    check(f"Search: a further query <= 100 ms (N={big['n']:,}, median, issue 18)",
          None if sw is None else sw <= TARGET_SEARCH_WARM_MS,
          "not measured" if sw is None else f"median {sw} ms, slowest {big.get('search_warm_max_ms')} ms")
    return out


def print_report(results: list[dict], out_path) -> None:
    """The table, the targets and the rebuild figures, on standard output."""
    print(table(results))
    print()
    print("Targets (issue 9; the preview: issue 17; search: issue 18):")
    for name, ok, detail in targets(results):
        mark = "n/a " if ok is None else ("met " if ok else "MISSED")
        print(f"- {mark} {name}: {detail}")
    for r in results:
        if r.get("rebuild_s") is not None:
            print(f"- rebuild under mkdocs serve at N={r['n']:,}: {r['rebuild_s']} s median of {r['rebuild_runs_s']}"
                  f" (MkDocs reported builds of {r['rebuild_mkdocs_reported_s']} s)")
        if r.get("preview_s") is not None:
            print(f"- preview_s (save to page under make preview) at N={r['n']:,}: {r['preview_s']} s median of"
                  f" {r['preview_runs_s']} (MkDocs reported builds of {r['preview_mkdocs_reported_s']} s)")
    print(f"\nJSON written to {out_path}")
