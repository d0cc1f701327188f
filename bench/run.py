"""Benchmark: how the build scales from 50 to 5,000 schemes (`make bench`).

For each N in BENCH_SIZES (default 50,1000,5000) it writes a synthetic corpus
(generator/synthetic.py) into a temporary directory and measures:

- load_validate_s: SchemeLoader().load_many over the corpus (YAML + schema + rules);
- generate_s: what the hook adds beyond loading (its on_config and on_files:
  prepare, every generated page, every data file), called in-process;
- build_s / peak_rss_mb: the whole `mkdocs build` in a subprocess with
  RRS_SCHEMES_DIR set (also the hook's own time inside that build: hook_in_build_s);
- floor_build_s: plain MkDocs + Material (search plugin, same short nav, no hook,
  no tags or redirects plugin) building the same generated pages, written
  beforehand as .md files;
- search_index_kb, and what indexing only title, summary, force, providers and
  tags would weigh (search_index_restricted_kb);
- finder_data_gz_kb: site/data/finder.json gzipped (null until the finder exists);
- page_weight_kb / page_weight_gz_kb: one scheme page with everything it loads
  except the search index, recorded in headless Chromium (static fallback).

With N = 1,000 in the sizes it also times a rebuild under `mkdocs serve`: from
saving one YAML file to the served page showing the change (rebuild_s).

Prints a Markdown table and the targets of issue 9, and writes the figures as
JSON to bench/results.json (BENCH_OUT overrides). Other settings:
BENCH_SEED (corpus seed), BENCH_REPEAT (runs of each timed step, default 3;
the median is reported and every run is in the JSON), BENCH_REBUILD_N (size
for the rebuild figure, 0 to skip), BENCH_REBUILD_RUNS (default 3),
BENCH_KEEP=1 (keep the temp dirs), BENCH_TIMEOUT (seconds allowed per build,
default 1800), CHROMIUM.
"""
from __future__ import annotations

import gc
import gzip
import http.server
import functools
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator import synthetic  # noqa: E402
from generator.loader import SchemeLoader, paused_gc, scheme_paths  # noqa: E402

PY = sys.executable
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "1800"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]

# Issue 9's targets, checked on the largest size (and 5,000 against 1,000).
TARGET_SHARE = 0.05
TARGET_OVER_FLOOR = 1.5
TARGET_GROWTH = 5.5
TARGET_RSS_MB = 1024
TARGET_FINDER_GZ_KB = 1.5 * 1024
TARGET_PAGE_GZ_KB = 150


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the generator's forked workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def kb(nbytes: int | None) -> float | None:
    return None if nbytes is None else round(nbytes / 1024, 1)


def gz_len(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


# ---- subprocess with peak memory ------------------------------------------

def run_measured(cmd, cwd, env, timeout=TIMEOUT, log_path=None):
    """Run cmd; return (seconds, peak RSS in MB, returncode, output, CPU seconds). Peak RSS from wait4."""
    out = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    text = out.read().decode("utf-8", "replace")
    out.close()
    # ru_maxrss is in KiB on Linux
    return elapsed, usage.ru_maxrss / 1024, proc.returncode, text, usage.ru_utime + usage.ru_stime


def fresh_dir(path: pathlib.Path) -> None:
    """Every timed build writes into an empty folder, as the first build of a clone does.

    MkDocs first empties an existing site folder (15,000 pages and files at
    5,000 schemes: about 2 s here), which the first run has no need to do; so
    that the runs are alike, the folder is removed, and the removal flushed,
    before the clock starts.
    """
    shutil.rmtree(path, ignore_errors=True)
    os.sync()


# ---- the hook, in-process -------------------------------------------------

def generate_in_process(loader, schemes, site_dir: pathlib.Path):
    """Call the hook's on_config and on_files as MkDocs would; return (seconds, CPU seconds, files, site, config)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from generator import hook

    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir))
    files = get_files(config)
    config.plugins._current_plugin = None  # set by MkDocs while it runs an event; File.generated reads it
    before = {f.src_uri for f in files}
    original_load_all = hook.load_all
    hook.load_all = lambda *a, **k: (loader, schemes, [])  # loading is timed on its own
    try:
        start, cpu = time.perf_counter(), cpu_seconds()
        config = hook.on_config(config) or config
        site = hook._state.get("site")  # on_files lets it go once the pages exist
        files = hook.on_files(files, config) or files
        elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    finally:
        hook.load_all = original_load_all
    generated = [f for f in files if f.src_uri not in before]
    return elapsed, cpu, generated, site, config


# ---- the floor: plain MkDocs on the same pages ------------------------------

def floor_config(site_url: str) -> dict:
    """mkdocs.yml without what this project adds: no hook, no custom theme directory, only the search plugin.

    The nav, Markdown extensions, theme features and extra CSS are taken from mkdocs.yml
    so the floor renders the same pages the same way.
    """
    import yaml

    raw = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    search = next((p for p in raw.get("plugins", []) if p == "search" or (isinstance(p, dict) and "search" in p)), "search")
    theme = raw.get("theme", {})
    return {
        "site_name": "Reducing Reoffending Schemes (floor)",
        "site_url": site_url,
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False, "features": theme.get("features", []),
                  "palette": theme.get("palette", {})},
        "extra_css": raw.get("extra_css", []),
        "nav": raw["nav"],
        "plugins": [search],
        "markdown_extensions": raw.get("markdown_extensions", []),
    }


def write_floor(generated, config, floor_dir: pathlib.Path) -> None:
    import yaml

    docs = floor_dir / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("overrides"))
    for f in generated:
        path = docs / f.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f.content_bytes)
    settings = floor_config(config.site_url or "https://example.invalid/")
    (floor_dir / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _env_loader():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    return Loader


_EnvLoader = _env_loader()


# ---- search index --------------------------------------------------------------

def search_figures(site_dir: pathlib.Path, site) -> dict:
    path = site_dir / "search" / "search_index.json"
    if not path.exists():
        return {}
    raw = path.read_bytes()
    index = json.loads(raw)
    views = {v["slug"]: v for v in site.schemes} if site else {}
    restricted, scheme_docs, scheme_bytes = [], 0, 0
    for doc in index["docs"]:
        m = re.match(r"^schemes/([a-z0-9-]+)/(#.*)?$", doc["location"])
        view = views.get(m.group(1)) if m else None
        if view is None:
            restricted.append(doc)
            continue
        scheme_docs += 1
        scheme_bytes += len(json.dumps(doc, separators=(",", ":")))
        if m.group(2):
            continue  # a section of a scheme page: not indexed in the restricted variant
        text = " ".join([view["summary"]] + [f["name"] for f in view["forces"]]
                        + [p["name"] for p in view["providers"]])
        entry = {"location": doc["location"], "title": doc["title"], "text": text}
        if "tags" in doc:
            entry["tags"] = doc["tags"]
        restricted.append(entry)
    listing = re.compile(r"^(tags|forces|providers)/[^#]*|^(finder|compare|schemes)/(#.*)?$")
    no_listings = [d for d in restricted if not listing.match(d["location"])]
    full = json.dumps(index, separators=(",", ":")).encode("utf-8")
    smallest = json.dumps({"config": index["config"], "docs": no_listings}, separators=(",", ":")).encode("utf-8")
    small = json.dumps({"config": index["config"], "docs": restricted}, separators=(",", ":")).encode("utf-8")
    return {
        "search_index_kb": kb(len(raw)),
        "search_index_gz_kb": kb(gz_len(raw)),
        "search_index_docs": len(index["docs"]),
        "search_index_scheme_share_pct": round(100 * scheme_bytes / max(1, len(full)), 1),
        "search_index_restricted_kb": kb(len(small)),
        "search_index_restricted_gz_kb": kb(gz_len(small)),
        "search_index_saving_pct": round(100 * (1 - len(small) / len(full)), 1),
        # ...and with the pages that list schemes (tags, forces, providers, finder, all schemes) left out too
        "search_index_restricted_no_listings_kb": kb(len(smallest)),
        "search_index_restricted_no_listings_gz_kb": kb(gz_len(smallest)),
    }


def finder_figures(site_dir: pathlib.Path) -> dict:
    path = site_dir / "data" / "finder.json"
    if not path.exists():
        return {"finder_data_kb": None, "finder_data_gz_kb": None}
    data = path.read_bytes()
    return {"finder_data_kb": kb(len(data)), "finder_data_gz_kb": kb(gz_len(data))}


# ---- page weight -----------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(directory: pathlib.Path):
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _excluded(url: str) -> bool:
    return url.split("?")[0].endswith("search/search_index.json")


def page_weight_browser(site_dir: pathlib.Path, slug: str) -> dict:
    from playwright.sync_api import sync_playwright

    server, base = _serve(site_dir)
    bodies: dict[str, bytes] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context(locale="en-GB", service_workers="block")
                page = context.new_page()
                responses = []
                page.on("response", lambda resp: responses.append(resp))
                page.goto(f"{base}/schemes/{slug}/", wait_until="load", timeout=60000)
                try:
                    page.wait_for_load_state("networkidle", timeout=30000)
                except Exception:  # noqa: BLE001 - a busy search worker can keep the network open
                    pass
                page.wait_for_timeout(1000)
                for resp in responses:
                    url = resp.url
                    if _excluded(url) or not url.startswith(base) or url in bodies:
                        continue
                    try:
                        bodies[url] = resp.body()
                    except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
                        continue
                context.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
    return {
        "page_weight_kb": kb(sum(len(b) for b in bodies.values())),
        "page_weight_gz_kb": kb(sum(gz_len(b) for b in bodies.values())),
        "page_requests": len(bodies),
        "page_weight_method": "chromium",
        "page_resources_gz_kb": {u[len(base):]: kb(gz_len(b)) for u, b in sorted(bodies.items())},
    }


def page_weight_static(site_dir: pathlib.Path, slug: str) -> dict:
    """Fallback: the HTML plus every local stylesheet, script, image and the search worker it names."""
    page = site_dir / "schemes" / slug / "index.html"
    html_bytes = page.read_bytes()
    html = html_bytes.decode("utf-8")
    refs = set(re.findall(r'<(?:link[^>]+rel="(?:stylesheet|icon|shortcut icon)"[^>]+href|script[^>]+src|img[^>]+src)="([^"#?]+)', html))
    refs |= set(re.findall(r'"search":\s*"([^"]+)"', html))
    bodies = [html_bytes]
    for ref in refs:
        if "://" in ref or ref.startswith("data:"):
            continue
        target = (page.parent / ref).resolve()
        if target.is_file() and not _excluded(str(target)):
            bodies.append(target.read_bytes())
    return {
        "page_weight_kb": kb(sum(len(b) for b in bodies)),
        "page_weight_gz_kb": kb(sum(gz_len(b) for b in bodies)),
        "page_requests": len(bodies),
        "page_weight_method": "static",
    }


_FINDER_JS = """async () => {
  const boxes = [...document.querySelectorAll('.rrs-finder-form input[type=checkbox]')];
  const step = Math.max(1, Math.floor(boxes.length / 20));
  const pick = boxes.filter((_, i) => i % step === 0).slice(0, 20);
  const idle = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const out = [];
  for (const box of pick) {
    for (const pass of [0, 1]) {  // tick, then untick
      await idle();
      const t0 = performance.now();
      box.click();                    // the finder filters and redraws in its change handler
      const t1 = performance.now();
      document.body.offsetHeight;     // force style and layout of the result
      out.push({ms: performance.now() - t0, script: t1 - t0,
                render: window.rrsFinder ? window.rrsFinder.lastRenderMs : null});
    }
  }
  return out;
}"""


def finder_timing(site_dir: pathlib.Path) -> dict:
    """One filter change in the finder, in headless Chromium: from the click to the DOM updated
    (the finder issue's measure), and to the page laid out again (style and layout forced)."""
    if not (site_dir / "finder" / "index.html").exists() or not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return {"finder_filter_ms": None}
    from playwright.sync_api import sync_playwright

    server, base = _serve(site_dir)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_page(locale="en-GB")
                page.goto(f"{base}/finder/", wait_until="load", timeout=60000)
                page.wait_for_selector(".rrs-finder[data-ready=true]", state="attached", timeout=60000)
                samples = page.evaluate(_FINDER_JS)
            finally:
                browser.close()
    except Exception as exc:  # noqa: BLE001 - the finder is another change's; report, do not fail the run
        log(f"finder timing failed ({exc.__class__.__name__}: {exc})")
        return {"finder_filter_ms": None}
    finally:
        server.shutdown()
    times = sorted(x["script"] for x in samples)
    if not times:
        return {"finder_filter_ms": None}
    renders = [x["render"] for x in samples if x["render"] is not None]
    return {
        "finder_filter_ms": round(statistics.median(times), 1),
        "finder_filter_max_ms": round(times[-1], 1),
        "finder_filter_samples": len(times),
        # the same change with the browser's style and layout of the page forced afterwards
        "finder_filter_layout_ms": round(statistics.median(x["ms"] for x in samples), 1),
        # the finder's own measure of its render() (window.rrsFinder.lastRenderMs)
        "finder_render_ms": round(statistics.median(renders), 1) if renders else None,
    }


def page_weight(site_dir: pathlib.Path, slug: str) -> dict:
    if os.path.exists(CHROMIUM) or shutil.which(CHROMIUM):
        try:
            return page_weight_browser(site_dir, slug)
        except Exception as exc:  # noqa: BLE001 - fall back to counting files
            log(f"browser page weight failed ({exc.__class__.__name__}: {exc}); counting files instead")
    return page_weight_static(site_dir, slug)


# ---- rebuild under mkdocs serve -------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def rebuild_figure(schemes_dir: pathlib.Path, slug: str, runs: int) -> dict:
    """Seconds from saving one YAML file to `mkdocs serve` serving the changed page."""
    import yaml

    port = _free_port()
    url = f"http://127.0.0.1:{port}/schemes/{slug}/"
    env = dict(ENV, RRS_SCHEMES_DIR=str(schemes_dir))
    logfile = tempfile.NamedTemporaryFile(prefix="rrs-serve-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [PY, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload", "-w", str(schemes_dir)],
        cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True,
    )
    path = schemes_dir / f"{slug}.yaml"
    original = path.read_bytes()
    times, built_in = [], []
    try:
        deadline = time.monotonic() + TIMEOUT
        while _get(url) is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("mkdocs serve did not start: " + pathlib.Path(logfile.name).read_text()[-2000:])
            time.sleep(0.2)
        time.sleep(2)  # let the watcher settle after the first build
        for run in range(runs):
            marker = f"Benchmark edit {run} {time.time_ns()}"
            entry = yaml.load(original, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            entry["summary"] = f"{entry['summary'][:300]} {marker}."
            log_before = len(pathlib.Path(logfile.name).read_bytes())
            start = time.monotonic()
            path.write_text(synthetic.dump(entry), encoding="utf-8")
            while True:
                body = _get(url)
                if body and marker in body:
                    break
                if proc.poll() is not None or time.monotonic() - start > 600:
                    raise RuntimeError("the rebuilt page did not appear within 600 s")
                time.sleep(0.05)
            times.append(time.monotonic() - start)
            tail = pathlib.Path(logfile.name).read_bytes()[log_before:].decode("utf-8", "replace")
            found = re.findall(r"Documentation built in ([0-9.]+) seconds", tail)
            if found:
                built_in.append(float(found[-1]))
            time.sleep(1)
    finally:
        path.write_bytes(original)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        logfile.close()
        os.unlink(logfile.name)
    return {
        "rebuild_s": round(statistics.median(times), 2),
        "rebuild_runs_s": [round(t, 2) for t in times],
        "rebuild_mkdocs_reported_s": [round(t, 2) for t in built_in],
    }


# ---- one size -------------------------------------------------------------------

def measure(n: int, seed: int, keep: bool, rebuild_n: int, rebuild_runs: int) -> dict:
    work = pathlib.Path(tempfile.mkdtemp(prefix=f"rrs-bench-{n}-"))
    try:
        schemes_dir = work / "schemes"
        log(f"N={n}: writing the corpus into {schemes_dir}")
        paths = synthetic.write_corpus(n, schemes_dir, seed)
        sample_slug = paths[0].stem  # the first entry uses every optional field
        corpus_bytes = sum(p.stat().st_size for p in paths)

        # Each timed step runs REPEAT times and the median is reported (all runs are in the JSON):
        # a shared machine's noise is several seconds on a minute-long build. Builds and floors
        # alternate, so a slow spell slows both.
        loads, gens, builds, floors = [], [], [], []
        site_dir = work / "site"
        floor_dir = work / "floor"
        site = None
        for run in range(1, REPEAT + 1):
            # Each run starts from a clean heap, as a build does in its own process: the previous
            # run's prepared site (kept for the search figures) goes, and what it left is collected.
            site = config = None
            gc.unfreeze()
            gc.collect()
            log(f"N={n}, run {run}/{REPEAT}: load and validate")
            start, cpu = time.perf_counter(), cpu_seconds()
            with paused_gc(freeze=True):  # as inside the hook, where loading is part of the build
                loader = SchemeLoader()
                schemes, problems = loader.load_many(scheme_paths(schemes_dir))
            loads.append((time.perf_counter() - start, cpu_seconds() - cpu))
            if problems:
                raise SystemExit(f"the synthetic corpus has {len(problems)} problem(s), first: {problems[0]}")

            log(f"N={n}, run {run}/{REPEAT}: generate (the hook's on_config + on_files, in-process)")
            gen_s, gen_cpu, generated, site, config = generate_in_process(loader, schemes, work / "unused-site")
            gens.append((gen_s, gen_cpu))
            if run == 1:
                write_floor(generated, config, floor_dir)
                generated_count = len(generated)
            del loader, schemes, generated

            log(f"N={n}, run {run}/{REPEAT}: whole mkdocs build")
            fresh_dir(site_dir)
            times_file = work / "hook-times.json"
            load_avg = os.getloadavg()[0]
            build_s, rss, rc, build_output, build_cpu = run_measured(
                # Not --strict: a warning (say, a page another change has not landed yet) costs no time,
                # and the figures should not wait on it; warnings are counted in build_warnings.
                [PY, str(ROOT / "bench" / "_build.py"), str(times_file), "build", "--site-dir", str(site_dir)],
                cwd=ROOT, env=dict(ENV, RRS_SCHEMES_DIR=str(schemes_dir)),
            )
            if rc != 0:
                raise SystemExit(f"mkdocs build failed at N={n}:\n{build_output[-4000:]}")
            hook_times = json.loads(times_file.read_text()) if times_file.exists() else {}
            builds.append({"s": build_s, "rss": rss, "cpu": build_cpu, "load_avg": load_avg,
                           "hook": sum(v for k, v in hook_times.items() if k.startswith("on_")) if hook_times else None,
                           "hook_load": hook_times.get("load_all"), "output": build_output})

            log(f"N={n}, run {run}/{REPEAT}: floor build (plain MkDocs + Material on the same pages)")
            fresh_dir(work / "floor-site")
            floor_s, floor_rss, rc, output, floor_cpu = run_measured(
                [PY, "-m", "mkdocs", "build", "--site-dir", str(work / "floor-site")], cwd=floor_dir, env=ENV,
            )
            if rc != 0:
                raise SystemExit(f"floor build failed at N={n}:\n{output[-4000:]}")
            floors.append({"s": floor_s, "rss": floor_rss, "cpu": floor_cpu})

        def median(values):
            values = [v for v in values if v is not None]
            return statistics.median(values) if values else None

        load_s, load_cpu = median(x[0] for x in loads), median(x[1] for x in loads)
        gen_s, gen_cpu = median(x[0] for x in gens), median(x[1] for x in gens)
        build_s, build_cpu = median(b["s"] for b in builds), median(b["cpu"] for b in builds)
        floor_s, floor_cpu = median(f["s"] for f in floors), median(f["cpu"] for f in floors)
        hook_total, in_build_load = median(b["hook"] for b in builds), median(b["hook_load"] for b in builds)
        rss, floor_rss = max(b["rss"] for b in builds), max(f["rss"] for f in floors)
        build_output, load_avg = builds[-1]["output"], builds[0]["load_avg"]
        log(f"N={n}: sizes and page weight")
        result = {
            "n": n,
            "load_validate_s": round(load_s, 2),
            "generate_s": round(gen_s, 2),
            "build_s": round(build_s, 2),
            "floor_build_s": round(floor_s, 2),
            "peak_rss_mb": round(rss, 1),
            "search_index_kb": None,
            "finder_data_gz_kb": None,
            "page_weight_gz_kb": None,
            "build_over_floor": round(build_s / floor_s, 2),
            "generator_share_pct": round(100 * (load_s + gen_s) / build_s, 1),
            "hook_in_build_s": round(hook_total, 2) if hook_total is not None else None,
            "hook_in_build_load_s": round(in_build_load, 2) if in_build_load is not None else None,
            "hook_in_build_share_pct": round(100 * hook_total / build_s, 1) if hook_total is not None else None,
            "runs": REPEAT,
            "load_validate_runs_s": [round(x[0], 2) for x in loads],
            "generate_runs_s": [round(x[0], 2) for x in gens],
            "build_runs_s": [round(b["s"], 2) for b in builds],
            # each run's own share: later builds run slower on a machine under sustained load
            "generator_share_runs_pct": [round(100 * (ld[0] + g[0]) / b["s"], 1) for ld, g, b in zip(loads, gens, builds)],
            "floor_build_runs_s": [round(f["s"], 2) for f in floors],
            "floor_peak_rss_mb": round(floor_rss, 1),
            "load_validate_cpu_s": round(load_cpu, 2),
            "generate_cpu_s": round(gen_cpu, 2),
            "build_cpu_s": round(build_cpu, 2),
            "floor_cpu_s": round(floor_cpu, 2),
            "build_over_floor_cpu": round(build_cpu / floor_cpu, 2),
            "load_avg_before_build": round(load_avg, 2),
            "build_warnings": len(re.findall(r"^WARNING", build_output, flags=re.M)),
            "generated_files": generated_count,
            "corpus_kb": kb(corpus_bytes),
            "site_pages": sum(1 for _ in site_dir.rglob("index.html")),
            "sample_page": f"schemes/{sample_slug}/",
        }
        result.update(search_figures(site_dir, site))
        result.update(finder_figures(site_dir))
        result.update(page_weight(site_dir, sample_slug))
        result.update(finder_timing(site_dir))
        if rebuild_n and n == rebuild_n:
            log(f"N={n}: rebuild under mkdocs serve ({rebuild_runs} edits)")
            result.update(rebuild_figure(schemes_dir, sample_slug, rebuild_runs))
        return result
    finally:
        if keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


# ---- report -------------------------------------------------------------------

ROWS = [
    ("load_validate_s", "Load + validate (s)"),
    ("generate_s", "Generate: hook on_config + on_files (s)"),
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
    ("search_index_kb", "Search index (KB)"),
    ("search_index_gz_kb", "Search index, gzipped (KB)"),
    ("search_index_restricted_kb", "Index of title, summary, force, providers, tags only (KB)"),
    ("search_index_restricted_gz_kb", "Same, gzipped (KB)"),
    ("search_index_saving_pct", "Saving from the restricted index (%)"),
    ("search_index_restricted_no_listings_kb", "Same, and listing pages not indexed (KB)"),
    ("search_index_restricted_no_listings_gz_kb", "Same, gzipped (KB)"),
    ("finder_data_kb", "Finder data (KB)"),
    ("finder_data_gz_kb", "Finder data, gzipped (KB)"),
    ("page_weight_kb", "One scheme page with all it loads (KB)"),
    ("page_weight_gz_kb", "Same, gzipped (KB)"),
    ("finder_filter_ms", "Finder: one filter change to DOM updated, median (ms)"),
    ("finder_filter_max_ms", "Same, slowest (ms)"),
    ("finder_filter_layout_ms", "Same, with style and layout forced, median (ms)"),
    ("finder_render_ms", "Finder: its render(), median (ms)"),
    ("rebuild_s", "Rebuild under `mkdocs serve` after saving one YAML (s)"),
]
GROWTH_KEYS = ["load_validate_s", "generate_s", "build_s", "floor_build_s", "peak_rss_mb",
               "search_index_kb", "finder_data_gz_kb", "page_weight_gz_kb"]


def _fmt(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,}"


def table(results: list[dict]) -> str:
    by_n = {r["n"]: r for r in results}
    ratio = 5000 in by_n and 1000 in by_n
    head = ["Figure"] + [f"N = {r['n']:,}" for r in results] + (["5,000 / 1,000"] if ratio else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, label in ROWS:
        if all(r.get(key) is None for r in results) and key in ("rebuild_s",):
            continue
        cells = [label] + [_fmt(r.get(key)) for r in results]
        if ratio:
            a, b = by_n[5000].get(key), by_n[1000].get(key)
            cells.append(f"{a / b:.2f}" if key in GROWTH_KEYS and a is not None and b else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(results: list[dict]) -> list[tuple[str, bool | None, str]]:
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
          None if fm is None else fm <= 16,
          "no finder page in the build" if fm is None else f"median {fm} ms, slowest {big.get('finder_filter_max_ms')} ms"
          f" over {big.get('finder_filter_samples')} changes, click to DOM updated;"
          f" {big.get('finder_filter_layout_ms')} ms with style and layout forced")
    return out


def main() -> int:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "50,1000,5000").replace(" ", "").split(",") if s]
    seed = int(os.environ.get("BENCH_SEED", synthetic.DEFAULT_SEED))
    keep = os.environ.get("BENCH_KEEP", "") not in ("", "0")
    rebuild_n = int(os.environ.get("BENCH_REBUILD_N", "1000"))
    rebuild_runs = int(os.environ.get("BENCH_REBUILD_RUNS", "3"))
    out_path = pathlib.Path(os.environ.get("BENCH_OUT") or ROOT / "bench" / "results.json")

    results = []
    for n in sizes:
        results.append(measure(n, seed, keep, rebuild_n, rebuild_runs))
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")  # partial results survive a crash

    print(table(results))
    print()
    print("Targets (issue 9):")
    for name, ok, detail in targets(results):
        mark = "n/a " if ok is None else ("met " if ok else "MISSED")
        print(f"- {mark} {name}: {detail}")
    for r in results:
        if r.get("rebuild_s") is not None:
            print(f"- rebuild under mkdocs serve at N={r['n']:,}: {r['rebuild_s']} s median of {r['rebuild_runs_s']}"
                  f" (MkDocs reported builds of {r['rebuild_mkdocs_reported_s']} s)")
    print(f"\nJSON written to {out_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
