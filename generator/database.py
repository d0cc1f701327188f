"""The register as an SQLite database (data/register.sqlite), built from the same views as the CSV and JSON.

One table per kind of thing, with foreign keys and indexes, so the register
can be queried (or opened in Datasette) without reading YAML. The file is
made in memory with a fixed page size, no timestamps and rows in a fixed
order, and serialised whole: the same entries give the same bytes (with the
same SQLite library). TABLES documents each table for /about/data/.
"""
from __future__ import annotations

import sqlite3

from .schema import SCHEMA_VERSION

PAGE_SIZE = 4096

SCHEMA = """
CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE schemes (
  slug TEXT PRIMARY KEY, title TEXT NOT NULL, summary TEXT NOT NULL, description TEXT NOT NULL,
  status TEXT NOT NULL, status_name TEXT NOT NULL, lead_force TEXT NOT NULL REFERENCES forces(slug),
  start TEXT, "end" TEXT, as_of TEXT NOT NULL, added TEXT NOT NULL, last_reviewed TEXT NOT NULL,
  information_date TEXT NOT NULL, evidence_step TEXT NOT NULL, evidence_step_name TEXT NOT NULL,
  results_reported TEXT NOT NULL, headline_caveat TEXT NOT NULL,
  funding_total_gbp REAL NOT NULL, funding_per_year_gbp REAL NOT NULL, funding_total_text TEXT NOT NULL,
  funding_band TEXT NOT NULL, url TEXT NOT NULL, citation TEXT NOT NULL);
CREATE TABLE forces (slug TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL, region_name TEXT NOT NULL,
  office TEXT NOT NULL);
CREATE TABLE scheme_forces (scheme TEXT NOT NULL REFERENCES schemes(slug), force TEXT NOT NULL REFERENCES forces(slug),
  position INTEGER NOT NULL, office_at_the_time TEXT NOT NULL, PRIMARY KEY (scheme, force));
CREATE TABLE scheme_tags (scheme TEXT NOT NULL REFERENCES schemes(slug), vocabulary TEXT NOT NULL, tag TEXT NOT NULL,
  name TEXT NOT NULL, PRIMARY KEY (scheme, vocabulary, tag));
CREATE TABLE organisations (slug TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, kind_name TEXT NOT NULL,
  website TEXT, page_url TEXT);
CREATE TABLE scheme_organisations (scheme TEXT NOT NULL REFERENCES schemes(slug),
  organisation TEXT NOT NULL REFERENCES organisations(slug), position INTEGER NOT NULL, role TEXT NOT NULL,
  role_name TEXT NOT NULL, name_at_the_time TEXT NOT NULL, note TEXT NOT NULL, PRIMARY KEY (scheme, organisation, role));
CREATE TABLE sources (id TEXT PRIMARY KEY, title TEXT NOT NULL, publisher TEXT NOT NULL, date TEXT, kind TEXT NOT NULL,
  kind_name TEXT NOT NULL, url TEXT, no_url_reason TEXT, accessed TEXT);
CREATE TABLE scheme_sources (scheme TEXT NOT NULL REFERENCES schemes(slug), source TEXT NOT NULL REFERENCES sources(id),
  position INTEGER NOT NULL, section TEXT, PRIMARY KEY (scheme, position));
CREATE TABLE funding (id TEXT PRIMARY KEY, scheme TEXT NOT NULL REFERENCES schemes(slug), position INTEGER NOT NULL,
  amount REAL NOT NULL, qualifier TEXT NOT NULL, basis TEXT NOT NULL, amount_text TEXT NOT NULL, purpose TEXT NOT NULL,
  funder TEXT REFERENCES organisations(slug), recipient TEXT REFERENCES organisations(slug),
  period_start TEXT, period_end TEXT, counted INTEGER NOT NULL, not_counted_reason TEXT NOT NULL,
  part_of TEXT REFERENCES schemes(slug), source TEXT REFERENCES sources(id));
CREATE TABLE grants (id TEXT PRIMARY KEY, fund TEXT NOT NULL REFERENCES schemes(slug), position INTEGER NOT NULL,
  recipient TEXT NOT NULL REFERENCES organisations(slug), amount REAL, qualifier TEXT, amount_text TEXT NOT NULL,
  purpose TEXT NOT NULL, decided TEXT, period_start TEXT, period_end TEXT, scheme TEXT REFERENCES schemes(slug),
  source TEXT REFERENCES sources(id));
CREATE TABLE outcomes (id TEXT PRIMARY KEY, scheme TEXT NOT NULL REFERENCES schemes(slug), position INTEGER NOT NULL,
  kind TEXT NOT NULL, measure TEXT NOT NULL, figure TEXT NOT NULL, value REAL, unit TEXT, cohort INTEGER,
  evidence TEXT NOT NULL, evidence_name TEXT NOT NULL, period_start TEXT, period_end TEXT,
  reoffending_measure TEXT, reoffending_comparison TEXT, follow_up_months INTEGER, caveat TEXT,
  source TEXT REFERENCES sources(id));
CREATE INDEX schemes_status ON schemes(status);
CREATE INDEX schemes_lead_force ON schemes(lead_force);
CREATE INDEX scheme_forces_force ON scheme_forces(force);
CREATE INDEX scheme_tags_tag ON scheme_tags(vocabulary, tag);
CREATE INDEX scheme_organisations_organisation ON scheme_organisations(organisation);
CREATE INDEX scheme_sources_source ON scheme_sources(source);
CREATE INDEX funding_scheme ON funding(scheme);
CREATE INDEX funding_funder ON funding(funder);
CREATE INDEX funding_recipient ON funding(recipient);
CREATE INDEX grants_fund ON grants(fund);
CREATE INDEX grants_recipient ON grants(recipient);
CREATE INDEX outcomes_scheme ON outcomes(scheme);
CREATE INDEX outcomes_kind ON outcomes(kind);
"""

# (table, what a row is) for /about/data/
TABLES = [
    ("schemes", "one scheme: its text, status, dates, evidence step, counted funding totals and page address"),
    ("forces", "the force areas the register's schemes cover, with region and commissioner's office"),
    ("scheme_forces", "which force areas each scheme covers (position 0 is the lead area)"),
    ("scheme_tags", "target groups, intervention types and stages of each scheme"),
    ("organisations", "organisations named by a scheme (role, funding or grant); page_url when it has a page"),
    ("scheme_organisations", "who delivers, funds or supports each scheme, named as at the date of the information"),
    ("sources", "source documents cited by the schemes"),
    ("scheme_sources", "each scheme's citations, with the section cited"),
    ("funding", "each funding record, id as in grants.csv; counted says whether totals add it"),
    ("grants", "grants a fund's entry lists (never added to totals)"),
    ("outcomes", "every figure: results, activity, plans, context and estimates, with evidence and caveat"),
]

EXAMPLE_QUERIES = [
    ("Schemes per force area",
     "SELECT f.name, count(*) AS schemes FROM scheme_forces sf JOIN forces f ON f.slug = sf.force "
     "GROUP BY f.slug ORDER BY schemes DESC;"),
    ("Counted funding by funder",
     "SELECT o.name, sum(amount) AS pounds FROM funding JOIN organisations o ON o.slug = funding.funder "
     "WHERE counted AND basis != 'per-year' GROUP BY o.slug ORDER BY pounds DESC;"),
    ("Reoffending results with their caveats",
     "SELECT s.title, o.measure, o.figure, o.caveat FROM outcomes o JOIN schemes s ON s.slug = o.scheme "
     "WHERE o.reoffending_measure IS NOT NULL;"),
    ("Running schemes for women",
     "SELECT s.title FROM schemes s JOIN scheme_tags t ON t.scheme = s.slug "
     "WHERE t.vocabulary = 'target_groups' AND t.tag = 'women' AND s.status = 'running';"),
]


def _s(value) -> str | None:
    return None if value in (None, "") else str(value)


def _rows(views: list[dict], vocab, page_slugs: set[str], build_date: str) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {name: [] for name, _ in TABLES}
    rows["about"] = [("build_date", build_date), ("schema_version", str(SCHEMA_VERSION)),
                     ("licence", "Open Government Licence v3.0")]
    forces: dict[str, tuple] = {}
    orgs: set[str] = set()
    docs: set[str] = set()
    for v in views:
        d, slug = v["data"], v["slug"]
        rows["schemes"].append((
            slug, v["title"], v["summary"], d["description"].strip(), v["status"], v["status_name"],
            v["forces"][0]["slug"], _s(d.get("start")), _s(d.get("end")), str(v["as_of"]), str(v["added"]),
            str(v["last_reviewed"]), str(v["information_date"]), v["evidence_step"]["slug"],
            v["evidence_step"]["name"], v["reported"]["slug"], v["headline_caveat"], v["funding_total"],
            v["funding_per_year"], v["funding_total_text"], v["funding_band"], v["url"], v["citation"]))
        for i, f in enumerate(v["forces"]):
            forces[f["slug"]] = (f["slug"], f["name"], f["region"], f["region_name"], vocab["forces"][f["slug"]]["office"])
            rows["scheme_forces"].append((slug, f["slug"], i, f["office"]))
        for name in ("target_groups", "intervention_types", "stages"):
            rows["scheme_tags"] += [(slug, name, t["slug"], t["name"]) for t in v[name]]
        for i, o in enumerate(v["organisations"]):
            orgs.add(o["slug"])
            rows["scheme_organisations"].append((slug, o["slug"], i, o["role"], o["role_name"], o["name"], o["note"]))
        for i, s in enumerate(v["sources"]):
            docs.add(s["document"])
            rows["scheme_sources"].append((slug, s["document"], i, _s(s.get("section"))))
        for i, f in enumerate(v["funding"]):
            orgs.update(x for x in (f.get("funder"), f.get("recipient")) if x)
            src = (f.get("source") or {}).get("document")
            docs.update([src] if src else [])
            rows["funding"].append((
                f"rrs-{slug}-{i + 1}", slug, i, f["amount"], f.get("qualifier", "exact"), f["basis"], f["amount_text"],
                f["purpose"], f.get("funder"), f.get("recipient"), _s(f.get("period_start")), _s(f.get("period_end")),
                int(f["counted"]), f["not_counted_text"], f.get("part_of"), src))
        for i, g in enumerate(v["grants"]):
            orgs.add(g["recipient"])
            src = (g.get("source") or {}).get("document")
            docs.update([src] if src else [])
            rows["grants"].append((
                f"rrs-{slug}-grant-{i + 1}", slug, i, g["recipient"], g.get("amount"), g.get("qualifier"),
                g["amount_text"], g["purpose"], _s(g.get("decided")), _s(g.get("period_start")),
                _s(g.get("period_end")), g.get("scheme") or None, src))
        for i, o in enumerate(v["outcomes"]):
            r = o.get("reoffending") or {}
            src = (o.get("source") or {}).get("document")
            docs.update([src] if src else [])
            rows["outcomes"].append((
                f"{slug}-{i + 1}", slug, i, o["kind"], o["measure"], o["figure"], o.get("value"), o.get("unit"),
                o.get("cohort"), o["evidence"], o["evidence_name"], _s(o.get("period_start")), _s(o.get("period_end")),
                r.get("measure"), r.get("comparison"), r.get("follow_up_months"), o.get("caveat"), src))
    rows["forces"] = [forces[k] for k in sorted(forces)]
    organisations = vocab["organisations"]
    rows["organisations"] = [
        (o, organisations[o]["name"], organisations[o]["kind"], vocab.label("organisation_kinds", organisations[o]["kind"]),
         organisations[o].get("website") or None, f"/providers/{o}/" if o in page_slugs else None)
        for o in sorted(orgs | page_slugs)]
    sources = vocab["sources"]
    rows["sources"] = [
        (doc, sources[doc]["title"], sources[doc]["publisher"], _s(sources[doc].get("date")), sources[doc]["kind"],
         vocab.label("source_kinds", sources[doc]["kind"]), sources[doc].get("url") or None,
         sources[doc].get("no_url_reason") or None, _s(sources[doc].get("accessed")))
        for doc in sorted(docs)]
    return rows


def register_sqlite(views: list[dict], vocab, organisation_pages: list[str], build_date: str) -> bytes:
    """The database file's bytes."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        con.executescript(SCHEMA)
        rows = _rows(views, vocab, set(organisation_pages), build_date)
        order = ["about", "forces", "organisations", "sources", "schemes", "scheme_forces", "scheme_tags",
                 "scheme_organisations", "scheme_sources", "funding", "grants", "outcomes"]
        with con:
            for table in order:
                if rows[table]:
                    marks = ", ".join("?" * len(rows[table][0]))
                    con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
        con.execute("VACUUM")
        return con.serialize()
    finally:
        con.close()
