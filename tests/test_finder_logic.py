"""The finder's filter-and-count logic (rrs.finderCore in finder.js) and the shared
compare list (rrs.compareList in shared.js), checked in headless Chromium on a
small hand-made data set. No site build: the two files are loaded into an empty
page served from a made-up origin (so localStorage works).

Semantics (as the finder page states them): within a facet any ticked value
will do (OR); across facets every facet with a tick must match (AND); the count
beside a value is how many schemes would match with it ticked, i.e. honouring
the text and every other facet but not the value's own facet.
"""
from __future__ import annotations

import itertools

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

JS = ROOT / "docs" / "assets" / "javascripts"
ORIGIN = "http://finder-logic.test"

FACETS = [
    {"key": "forces", "label": "Force area", "values": [
        {"slug": "kent", "name": "Kent"}, {"slug": "surrey", "name": "Surrey"}, {"slug": "essex", "name": "Essex"}]},
    {"key": "target_groups", "label": "Target group", "values": [
        {"slug": "women", "name": "Women"}, {"slug": "young-adults", "name": "Young adults"},
        {"slug": "veterans", "name": "Veterans"}]},
    {"key": "status", "label": "Status", "values": [
        {"slug": "running", "name": "Running"}, {"slug": "ended", "name": "Ended"}]},
    {"key": "providers", "label": "Provider", "values": [
        {"slug": "acme", "name": "Acme Trust"}, {"slug": "beacon", "name": "Beacon CIC"}]},
]
# (slug, title, summary, added, money, forces, target groups, status, providers)
ROWS = [
    ("alpha", "Alpha women's centre", "Support at a centre.", "2024-01", 5000, ["kent"], ["women"], "running", ["acme"]),
    ("bravo", "Bravo mentoring", "Mentors for prison leavers.", "2025-03", 0, ["surrey"], ["women", "young-adults"], "running", ["beacon"]),
    ("charlie", "Charlie diversion", "Out-of-court diversion.", "2023-07", 12000, ["kent", "surrey"], ["young-adults"], "ended", []),
    ("delta", "Delta housing", "Homes for veterans leaving prison.", "2025-09", 800, ["surrey"], ["veterans"], "running", ["acme"]),
    ("echo", "Echo restorative justice", "Meetings between victims and offenders.", "2022-11", 12000, ["kent"], ["women", "veterans"], "ended", ["beacon"]),
]
SLUGS = [r[0] for r in ROWS]


def _index(facet_key: str, slug: str) -> int:
    facet = next(f for f in FACETS if f["key"] == facet_key)
    return [v["slug"] for v in facet["values"]].index(slug)


def _record(row) -> dict:
    slug, title, summary, added, money, forces, groups, status, providers = row
    return {"s": slug, "t": title, "u": summary, "a": added, "m": money, "f": [
        [_index("forces", x) for x in forces], [_index("target_groups", x) for x in groups],
        [_index("status", status)], [_index("providers", x) for x in providers]]}


DATA = {"facets": FACETS, "schemes": [_record(r) for r in ROWS]}

# run(selection, q): selection is {facet key: "slug,slug"} as in the page address;
# it goes through parseSelection like the finder's own readURL.
HELPERS = """
window.ix = rrs.finderCore.index(window.DATA);
window.run = function (selection, q) {
  var core = rrs.finderCore;
  var sel = core.parseSelection(ix.facets, function (key) { return selection[key] || null; });
  var r = core.filter(ix, sel, q || "");
  var counts = {};
  ix.facets.forEach(function (f, fi) {
    counts[f.key] = {};
    f.values.forEach(function (v, vi) { counts[f.key][v.slug] = r.counts[fi][vi]; });
  });
  var slugs = core.positions(ix, r.match).map(function (i) { return ix.schemes[i].s; });
  var matchOnly = core.positions(ix, core.match(ix, sel, q || "")).map(function (i) { return ix.schemes[i].s; });
  return {slugs: slugs, size: core.size(r.match), matchOnly: matchOnly, counts: counts,
          params: core.selectionParams(ix.facets, sel)};
};
"""


@pytest.fixture(scope="module")
def core(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.route(ORIGIN + "/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><html lang=en><title>t</title><body></body></html>"))
    page.goto(ORIGIN + "/")
    page.add_script_tag(path=str(JS / "shared.js"))
    page.add_script_tag(path=str(JS / "finder.js"))
    page.evaluate("data => { window.DATA = data; }", DATA)
    page.add_script_tag(content=HELPERS)
    page.errors = errors
    yield page
    context.close()


def run(page, selection=None, q=""):
    return page.evaluate("([s, q]) => run(s, q)", [selection or {}, q])


def reference(selection: dict[str, set[str]], q: str = "") -> tuple[list[str], dict]:
    """The same semantics written out plainly in Python, for the exhaustive check."""
    def values(row, key):
        _, _, _, _, _, forces, groups, status, providers = row
        return {"forces": forces, "target_groups": groups, "status": [status], "providers": providers}[key]

    def text_ok(row):
        names = {v["slug"]: v["name"] for f in FACETS for v in f["values"]}
        hay = " ".join([row[1], row[2]] + [names[x] for x in row[5]] + [names[x] for x in row[8]]).lower()
        return all(term in hay for term in q.lower().split())

    def ok(row, skip=None):
        return text_ok(row) and all(
            not chosen or set(values(row, key)) & chosen
            for key, chosen in selection.items() if key != skip)

    slugs = [r[0] for r in ROWS if ok(r)]
    counts = {f["key"]: {v["slug"]: sum(1 for r in ROWS if ok(r, skip=f["key"]) and v["slug"] in values(r, f["key"]))
                         for v in f["values"]} for f in FACETS}
    return slugs, counts


def test_nothing_selected_gives_every_scheme_and_plain_counts(core):
    r = run(core)
    assert r["slugs"] == SLUGS and r["size"] == 5 and r["matchOnly"] == SLUGS
    assert r["counts"]["forces"] == {"kent": 3, "surrey": 3, "essex": 0}
    assert r["counts"]["target_groups"] == {"women": 3, "young-adults": 2, "veterans": 2}
    assert r["counts"]["status"] == {"running": 3, "ended": 2}
    assert r["counts"]["providers"] == {"acme": 2, "beacon": 2}
    assert r["params"] == []
    assert run(core, q="   ")["slugs"] == SLUGS


def test_values_within_a_facet_are_or(core):
    r = run(core, {"target_groups": "women,veterans"})
    assert r["slugs"] == ["alpha", "bravo", "delta", "echo"]
    # a facet's own counts ignore its own selection...
    assert r["counts"]["target_groups"] == {"women": 3, "young-adults": 2, "veterans": 2}
    # ...while the other facets count within the match
    assert r["counts"]["forces"] == {"kent": 2, "surrey": 2, "essex": 0}
    assert r["counts"]["status"] == {"running": 3, "ended": 1}


def test_facets_are_and(core):
    r = run(core, {"forces": "kent", "target_groups": "women"})
    assert r["slugs"] == ["alpha", "echo"]
    assert r["counts"]["forces"] == {"kent": 2, "surrey": 1, "essex": 0}  # among the women's schemes
    assert r["counts"]["target_groups"] == {"women": 2, "young-adults": 1, "veterans": 1}  # among Kent's
    assert r["counts"]["status"] == {"running": 1, "ended": 1}
    assert r["counts"]["providers"] == {"acme": 1, "beacon": 1}
    assert run(core, {"forces": "kent,surrey", "status": "ended"})["slugs"] == ["charlie", "echo"]
    assert run(core, {"forces": "kent", "target_groups": "women", "status": "running"})["slugs"] == ["alpha"]


def test_a_value_no_scheme_has_matches_nothing(core):
    r = run(core, {"forces": "essex"})
    assert r["slugs"] == [] and r["size"] == 0 and r["matchOnly"] == []
    assert r["counts"]["forces"] == {"kent": 3, "surrey": 3, "essex": 0}
    assert r["counts"]["target_groups"] == {"women": 0, "young-adults": 0, "veterans": 0}
    assert r["params"] == [["forces", "essex"]]


def test_unknown_values_and_facets_are_ignored(core):
    assert run(core, {"forces": "atlantis"})["slugs"] == SLUGS
    assert run(core, {"forces": "atlantis"})["params"] == []
    r = run(core, {"forces": "atlantis,kent,", "colour": "blue"})
    assert r["slugs"] == ["alpha", "charlie", "echo"]
    assert r["params"] == [["forces", "kent"]]
    # value positions that name no value (straight into filter) do not filter either
    slugs = core.evaluate("""() => {
      const sel = rrs.finderCore.emptySelection(ix.facets);
      sel[0].add(99);
      const r = rrs.finderCore.filter(ix, sel, "");
      return rrs.finderCore.positions(ix, r.match).map(i => ix.schemes[i].s);
    }""")
    assert slugs == SLUGS


def test_address_round_trip_keeps_vocabulary_order(core):
    r = run(core, {"status": "ended", "forces": "surrey,kent"})
    assert r["params"] == [["forces", "kent,surrey"], ["status", "ended"]]
    again = run(core, dict(r["params"]))
    assert again["slugs"] == r["slugs"] == ["charlie", "echo"]


def test_text_needs_every_word_in_title_summary_force_or_provider(core):
    assert run(core, q="trust")["slugs"] == ["alpha", "delta"]          # provider name
    assert run(core, q="ACME surrey")["slugs"] == ["delta"]             # both words, any case
    assert run(core, q="prison")["slugs"] == ["bravo", "delta"]         # summaries
    assert run(core, q="kent diversion")["slugs"] == ["charlie"]        # force name + title
    assert run(core, q="nowhere")["slugs"] == []
    r = run(core, {"status": "running"}, q="prison")
    assert r["slugs"] == ["bravo", "delta"]
    assert r["counts"]["status"] == {"running": 2, "ended": 0}         # counts honour the text
    assert r["counts"]["forces"] == {"kent": 0, "surrey": 2, "essex": 0}
    # the cached text answer is not reused for a different text
    assert run(core, q="echo")["slugs"] == ["echo"]


def test_every_selection_of_up_to_three_values_matches_the_reference(core):
    choices = [(f["key"], v["slug"]) for f in FACETS for v in f["values"]]
    checked = 0
    for n in (1, 2, 3):
        for combo in itertools.combinations(choices, n):
            selection: dict[str, set[str]] = {}
            for key, slug in combo:
                selection.setdefault(key, set()).add(slug)
            for q in ("", "prison"):
                got = run(core, {k: ",".join(sorted(v)) for k, v in selection.items()}, q)
                slugs, counts = reference(selection, q)
                assert got["slugs"] == slugs == got["matchOnly"], (selection, q)
                assert got["counts"] == counts, (selection, q)
                checked += 1
    assert checked == 2 * (10 + 45 + 120)


def test_sort_orders(core):
    order = lambda kind: core.evaluate("k => rrs.finderCore.order(ix, k).map(i => ix.schemes[i].s)", kind)  # noqa: E731
    assert order("title") == ["alpha", "bravo", "charlie", "delta", "echo"]
    assert order("newest") == ["delta", "bravo", "alpha", "charlie", "echo"]
    assert order("funding") == ["charlie", "echo", "alpha", "delta", "bravo"]  # ties by title
    assert order("force") == ["alpha", "charlie", "echo", "bravo", "delta"]  # first force, then title


def test_no_page_code_and_no_benchmark_hooks_without_a_finder(core):
    assert core.errors == []
    assert core.evaluate("() => typeof window.rrsFinder") == "undefined"
    assert core.evaluate("() => Object.keys(window.rrs).sort()") == ["compareList", "el", "finderCore"]


def test_compare_list_keeps_at_most_four(core):
    core.evaluate("() => localStorage.clear()")
    cl = "rrs.compareList"
    assert core.evaluate(f"() => {cl}.read()") == []
    for slug in ["a", "b", "c", "d"]:
        assert core.evaluate(f"s => {cl}.toggle(s)", slug)["on"] is True
    full = core.evaluate(f"() => {cl}.toggle('e')")
    assert full == {"list": ["a", "b", "c", "d"], "on": False, "full": True}
    assert core.evaluate(f"() => {cl}.toggle('b')") == {"list": ["a", "c", "d"], "on": False, "full": False}
    assert core.evaluate("() => JSON.parse(localStorage.getItem('rrs-compare'))") == ["a", "c", "d"]
    assert core.evaluate(f"() => {cl}.write(['p', 'q', 'r', 's', 't'])") == ["p", "q", "r", "s"]
    assert core.evaluate(f"() => {cl}.read()") == ["p", "q", "r", "s"]
    for garbled in ["{not json", "5", '{"a": 1}', '["x", 3, null, "y"]']:
        core.evaluate("v => localStorage.setItem('rrs-compare', v)", garbled)
        assert core.evaluate(f"() => {cl}.read()") == (["x", "y"] if garbled.startswith("[") else [])
    core.evaluate("() => localStorage.clear()")


def test_el_sets_text_never_html(core):
    html = core.evaluate("""() => {
      const node = rrs.el("a", {href: "/x/", "class": "c"}, "<b>bold</b>");
      return [node.outerHTML, node.children.length];
    }""")
    assert html == ['<a href="/x/" class="c">&lt;b&gt;bold&lt;/b&gt;</a>', 0]


# ---- reading the page address: synonyms, near misses and unknown parameters ---------

SORTS = ["title", "force", "newest", "funding"]


def read(page, params):
    """readParams on [[key, value], ...]; the selection comes back as {facet key: [slugs]}."""
    return page.evaluate("""([params, sorts]) => {
      const r = rrs.finderCore.readParams(ix.facets, params, sorts);
      const sel = {};
      ix.facets.forEach((f, fi) => { const v = [...r.selection[fi]].sort((a, b) => a - b).map(i => f.values[i].slug);
                                     if (v.length) sel[f.key] = v; });
      return {sel, q: r.q, sort: r.sort, notices: r.notices, canonical: r.canonical};
    }""", [params, SORTS])


def test_the_finders_own_address_is_read_as_it_is(core):
    r = read(core, [["forces", "kent,surrey"], ["status", "ended"], ["q", "prison"], ["sort", "newest"]])
    assert r == {"sel": {"forces": ["kent", "surrey"], "status": ["ended"]}, "q": "prison", "sort": "newest",
                 "notices": [], "canonical": True}
    assert read(core, []) == {"sel": {}, "q": "", "sort": "title", "notices": [], "canonical": True}


def test_obvious_synonyms_are_read_silently(core):
    for key in ("target_group", "Target-Group", "target groups", "TARGET_GROUPS", "group"):
        r = read(core, [[key, "women"]])
        assert r["sel"] == {"target_groups": ["women"]} and r["notices"] == [], key
        assert r["canonical"] is (key == "target_groups"), key
    assert read(core, [["force", "kent"]])["sel"] == {"forces": ["kent"]}
    assert read(core, [["force_area", "Kent"]])["sel"] == {"forces": ["kent"]}  # the label, a value's name
    assert read(core, [["provider", "Acme Trust"]])["sel"] == {"providers": ["acme"]}
    assert read(core, [["organisation", "beacon"]])["sel"] == {"providers": ["beacon"]}
    assert read(core, [["statuses", "Ended"]])["sel"] == {"status": ["ended"]}
    assert read(core, [["target_groups", "young_adults"]])["sel"] == {"target_groups": ["young-adults"]}
    # repeated keys and other separators add up
    r = read(core, [["target_groups", "women"], ["target_group", "veterans;young-adults"]])
    assert r["sel"] == {"target_groups": ["women", "young-adults", "veterans"]} and r["notices"] == []
    r = read(core, [["search", "prison"], ["order", "date"]])
    assert (r["q"], r["sort"], r["notices"], r["canonical"]) == ("prison", "newest", [], False)


def test_near_misses_are_read_with_a_notice(core):
    r = read(core, [["traget_groups", "women"]])
    assert r["sel"] == {"target_groups": ["women"]}
    assert r["notices"] == ["\u201ctraget_groups\u201d was read as \u201cTarget group\u201d."]
    r = read(core, [["target_groups", "woman"]])
    assert r["sel"] == {"target_groups": ["women"]}
    assert r["notices"] == ["\u201cwoman\u201d was read as \u201cWomen\u201d (Target group)."]
    assert not r["canonical"]


def test_unknown_parameters_and_values_are_named_not_ignored(core):
    r = read(core, [["colour", "blue"], ["forces", "kent,atlantis"], ["sort", "zzz"], ["x", ""]])
    assert r["sel"] == {"forces": ["kent"]} and r["sort"] == "title" and not r["canonical"]
    assert r["notices"] == [
        "\u201ccolour=blue\u201d is not a filter on this page, so it was left out.",
        "Force area: nothing is called \u201catlantis\u201d, so that filter was left out.",
        "\u201czzz\u201d is not a sort order here, so the schemes are sorted by title.",
        "\u201cx\u201d is not a filter on this page, so it was left out.",
    ]
    # short words are never guessed at; tracking parameters are passed over
    assert read(core, [["q", "x"], ["men", "women"]])["notices"] == [
        "\u201cmen=women\u201d is not a filter on this page, so it was left out."]
    assert read(core, [["utm_source", "mail"], ["fbclid", "abc"]]) == {
        "sel": {}, "q": "", "sort": "title", "notices": [], "canonical": True}
