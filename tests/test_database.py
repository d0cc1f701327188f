"""data/register.sqlite: opens, keeps its foreign keys, and its counts equal the site's."""
from __future__ import annotations

import json
import sqlite3

import pytest

from generator import database


@pytest.fixture(scope="module")
def db(built_site):
    con = sqlite3.connect(f"file:{built_site / 'data' / 'register.sqlite'}?mode=ro", uri=True)
    yield con
    con.close()


def count(db, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


def test_database_is_whole_and_its_keys_hold(db):
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA page_size").fetchone() == (database.PAGE_SIZE,)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {name for name, _ in database.TABLES} | {"about"} == tables
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    assert {"funding_scheme", "outcomes_scheme", "scheme_forces_force"} <= indexes


def test_counts_equal_the_sites(db, built_site, prepared):
    pages = {p.name for p in (built_site / "schemes").iterdir() if (p / "index.html").is_file()}
    assert {r[0] for r in db.execute("SELECT slug FROM schemes")} == {v["slug"] for v in prepared.schemes}
    assert count(db, "SELECT count(*) FROM schemes") == len(prepared.schemes) == len(pages)
    assert count(db, "SELECT count(*) FROM outcomes") == prepared.counts["outcomes"]
    assert count(db, "SELECT count(*) FROM outcomes WHERE kind = 'result'") == prepared.counts["results"]
    assert count(db, "SELECT count(DISTINCT force) FROM scheme_forces") == prepared.counts["forces"]
    providers = {p.name for p in (built_site / "providers").iterdir() if (p / "index.html").is_file()}
    assert {r[0] for r in db.execute("SELECT slug FROM organisations WHERE page_url IS NOT NULL")} == providers
    grants = json.loads((built_site / "data" / "grants.json").read_text(encoding="utf-8"))["grants"]
    assert {r[0] for r in db.execute("SELECT id FROM funding UNION SELECT id FROM grants")} == {g["identifier"] for g in grants}
    for force in prepared.forces:
        n = count(db, f"SELECT count(*) FROM scheme_forces WHERE force = '{force['slug']}'")
        assert n == len(prepared.by_force.get(force["slug"], [])), force["slug"]
    for v in prepared.schemes[:40]:
        total = db.execute("SELECT funding_total_gbp, title FROM schemes WHERE slug = ?", (v["slug"],)).fetchone()
        assert total == (v["funding_total"], v["title"])


def test_example_queries_run(db):
    for _, sql in database.EXAMPLE_QUERIES:
        db.execute(sql).fetchall()


def test_same_input_gives_the_same_bytes(prepared):
    args = {"views": prepared.schemes, "vocab": prepared.vocab, "build_date": "2026-01-01",
            "organisation_pages": [p["slug"] for p in prepared.providers]}
    first = database.register_sqlite(**args)
    assert first == database.register_sqlite(**args)
    assert first[:16] == b"SQLite format 3\x00"


def test_data_page_documents_the_database(built_site):
    page = (built_site / "about" / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../data/register.sqlite"' in page
    assert "datasette" in page.lower() and "pipx run datasette register.sqlite" in page
    for name, _ in database.TABLES:
        assert f"<code>{name}</code>" in page
