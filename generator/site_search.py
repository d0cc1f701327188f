"""The site search: which pages and parts of pages it indexes, and the Pagefind run that indexes them.

Material's search box, `/` shortcut and result list stay; the answers come
from Pagefind (PyPI `pagefind-bin`), a static search whose index is split
into small chunks that the browser fetches per query, so a query transfers
about the same few hundred kilobytes at 58 schemes as at 5,000 (issue 18
compared it with a lean Material index; the figures are in the README).

- Which pages: every page except those whose front matter says
  `search: {exclude: true}` (generator/pages.py declares it for the listing
  pages: tag pages, the indexes, the finder, the compare page; a hand-written
  page can say it too). The hook marks the article of each indexed page with
  `data-pagefind-body`, and leaves Material's own index empty.
- Which parts: IGNORE below, on every indexed page, and the sections that
  templates mark `data-pagefind-ignore` (a scheme page's money, results,
  contact, sources, citation, embed code and related schemes; the tables of
  schemes on force and organisation pages).
- The browser side: docs/assets/javascripts/search-worker.js answers
  Material's search box from the Pagefind bundle written to site/pagefind/.
"""
from __future__ import annotations

import logging
import pathlib
import re
import subprocess
import time

from .formatting import compact_json

log = logging.getLogger("mkdocs.hooks.generator")

BUNDLE_DIR = "pagefind"  # site/pagefind/: the index, its chunks and Pagefind's own script

# Never searched, on any indexed page: theme furniture, print-only and screen-reader-only
# words, labels repeated on every page (field names, table headers, captions), notes.
IGNORE = (
    ".headerlink",              # the ¶ after each heading
    ".md-content__button",      # "Edit this page"
    ".rrs-print-only",          # "Page address: ... · Entry checked ..." (printed pages only)
    ".rrs-no-print",            # buttons
    ".rrs-visually-hidden",     # " then" in the commissioning chain, for screen readers
    ".rrs-keyfacts",            # a scheme's key facts, repeated in its sections below ...
    ".rrs-headline",            # ... and its "At a glance" panel (issue 19), the same again
    ".rrs-chain",               # the commissioning chain: its offices, money and providers are indexed already
    ".rrs-fields dt",           # "Force area", "Eligibility": the same labels on every page
    ".rrs-muted",               # notes beside a value ("(Police and Crime Commissioner (PCC))")
    ".rrs-review-notice",       # "This entry may be out of date ...": the same note on many pages, not what they are about
    "thead",
    "caption",
)

# Pagefind's own search interfaces: the site uses Material's search box instead.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")

_ARTICLE = '<article class="md-content__inner md-typeset">'


class SearchIndexError(Exception):
    """Pagefind is missing or failed."""


def search_key(name: str) -> str:
    """A name as the search worker compares a query with it (plain() in search-worker.js): lower case,
    no apostrophes, other punctuation as spaces, no leading "the"."""
    text = re.sub(r"[\u2019']", "", str(name).lower())
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


ORGANISATION_SCHEMES_SHOWN = 3  # schemes the search lists right after an organisation's page


def organisation_names(providers: list[dict]) -> bytes:
    """data/organisation-names.json, read by search-worker.js: each organisation's name (as search_key gives it)
    -> its page and its first few schemes, so a query that is an organisation's name lists its page and then
    its schemes, however common the words of the name are ("Probation Service", "NHS")."""
    table = {}
    for p in providers:
        table[search_key(p["name"])] = {
            "page": f"providers/{p['slug']}/", "title": p["name"],
            "schemes": [[f"schemes/{r['view']['slug']}/", r["view"]["title"], r["view"]["summary"]]
                        for r in p["rows"][:ORGANISATION_SCHEMES_SHOWN]],
        }
    return compact_json(table)


def indexed(meta: dict) -> bool:
    """Whether a page with this front matter is searched."""
    search = meta.get("search") or {}
    return not (isinstance(search, dict) and search.get("exclude"))


def mark_body(html: str) -> str:
    """The page's article marked as what Pagefind indexes (the first one: Material has one)."""
    return html.replace(_ARTICLE, _ARTICLE[:-1] + " data-pagefind-body>", 1)


def executable() -> str:
    try:
        import pagefind_bin
    except ImportError:
        raise SearchIndexError("the site search needs the pagefind-bin package: run `make serve` or "
                               "`make site`, which install requirements.lock") from None
    return str(pagefind_bin.get_executable())


def command(site_dir: pathlib.Path) -> list[str]:
    cmd = [executable(), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR, "--quiet"]
    for selector in IGNORE:
        cmd += ["--exclude-selectors", selector]
    return cmd


def index_site(site_dir: pathlib.Path) -> float:
    """Index the built site into site_dir/pagefind/; the seconds it took. SearchIndexError if it fails."""
    start = time.perf_counter()
    run = subprocess.run(command(site_dir), capture_output=True, text=True)
    if run.returncode != 0:
        raise SearchIndexError(f"pagefind failed ({run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    for name in UNUSED:
        (site_dir / BUNDLE_DIR / name).unlink(missing_ok=True)
    return time.perf_counter() - start
