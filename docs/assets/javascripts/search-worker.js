/* The site search: Material's search box, answered from the Pagefind index.
 *
 * Material runs its search in a web worker named in its config (main.html
 * points it here) and talks to it in four messages: SETUP (its own index,
 * left empty on this site), READY, QUERY (the text in the box) and RESULT
 * (the result list it draws). This worker answers a QUERY from the Pagefind
 * bundle in site/pagefind/ (generator/site_search.py), which it loads at the
 * first query: a few small files, then the index chunks and the page
 * fragments each query needs. Nothing is fetched from any other host.
 *
 * Queries are answered one at a time; while one is being answered only the
 * latest new one is kept, so a fast typist's earlier prefixes are skipped.
 * Text from the index is escaped here: Material inserts titles and snippets
 * as HTML.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var SHOWN = 9;              // results drawn for a query, then a line counting the rest: Material draws 10 at once
var EXCERPT_WORDS = 30;
var ORGANISATIONS_LOADED = 3;
/* Ranking (issue 18's relevance test, tests/test_search.py, holds it to what a commissioner expects):
   - pageLength 0.2 instead of 0.75: organisation and force pages are a few words long, and at the
     default they outranked every scheme for a word in their name ("housing", "restorative");
   - a force page carries its name as the meta field "area" (force.md.j2), weighted so that the
     force's name finds its page first; the "summary" field (main.html), there for snippets, has
     no weight (Pagefind searches meta fields too, and the summary is in the page already);
   - then rank() below: a page whose title is the query itself ("Remedi", "The Nelson Trust",
     "Dorset Police") first, and other organisation pages after the schemes ("Derbyshire": the
     force, then its schemes, then the councils). */
var RANKING = { pageLength: 0.2, metaWeights: { area: 20, summary: 0 } };

var root = new URL("../../", self.location.href);  // this file is assets/javascripts/search-worker.js
var pagefind = null;        // Promise of the Pagefind module, once a query asks for it
var names = null;           // Promise of data/organisation-names.json (generator/site_search.py): name -> page and schemes
var pending = null;         // the newest query not yet answered
var busy = false;

/* Each organisation's name -> its page and first schemes: a query that is an organisation's name lists its
   page and then its schemes, however common the words of the name ("Probation Service", "NHS"). */
function loadNames() {
  if (!names) {
    names = fetch(new URL("data/organisation-names.json", root).href)
      .then(function (r) { return r.ok ? r.json() : {}; }, function () { return {}; });
  }
  return names;
}

function load() {
  if (!pagefind) {
    pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
      return pf.options({ basePath: new URL("pagefind/", root).href, baseUrl: "/", ranking: RANKING })
        .then(function () { return pf; });
    });
    pagefind.catch(function () { pagefind = null; });  // a failed load is tried again at the next query
  }
  return pagefind;
}

function escapeText(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/* The snippet under a result's title: the passage around the first match after the title, its
   matches marked; if only the title matches, the page's description (a scheme's summary; main.html
   gives it to Pagefind as "summary"), else the words after the title. The page's text starts with
   its title (the h1), as Pagefind read it. */
function snippet(page) {
  var all = page.content.split(/[\r\n\s]+/);
  var titleWords = String(page.meta.title || "").split(/\s+/).filter(Boolean).length;
  var marked = {};
  (page.locations || []).forEach(function (at) { marked[at] = true; });
  var first = (page.locations || []).filter(function (at) { return at >= titleWords; })[0];
  if (first === undefined && page.meta.summary) return escapeText(page.meta.summary);
  var start = first === undefined ? titleWords : Math.max(titleWords, first - 6);
  return all.slice(start, start + EXCERPT_WORDS).map(function (word, i) {
    return marked[start + i] ? "<mark>" + escapeText(word) + "</mark>" : escapeText(word);
  }).join(" ") + (start + EXCERPT_WORDS < all.length ? " …" : "");
}

function words(query) {
  return query.toLowerCase().split(/[\s\-]+/).filter(Boolean);
}

/* Words of a title or query, for "is this title the query itself?": lower case, no punctuation, no leading "the". */
function plain(text) {
  return String(text).toLowerCase().replace(/[\u2019']/g, "").replace(/[^a-z0-9]+/g, " ").trim().replace(/^the /, "");
}

function item(location, title, text, score, terms) {
  return [{ location: location, title: title, text: text, score: score, terms: terms }];
}

/* The results to draw, best first: a page whose title is the query itself; then Pagefind's order,
   except that organisation pages (marked with the filter kind:organisation in provider.md.j2) come
   after the other pages. Only the candidates that can be drawn are loaded: the best SHOWN pages that
   are not organisations, and the best few organisations. */
function rank(search, organisations, text) {
  var isOrganisation = {};
  organisations.results.forEach(function (r) { isOrganisation[r.id] = true; });
  var others = search.results.filter(function (r) { return !isOrganisation[r.id]; }).slice(0, SHOWN);
  var orgs = search.results.filter(function (r) { return isOrganisation[r.id]; }).slice(0, ORGANISATIONS_LOADED);
  var candidates = others.concat(orgs);
  return Promise.all(candidates.map(function (r) { return r.data(); })).then(function (pages) {
    var wanted = plain(text);
    return pages.map(function (page, i) {
      var exact = plain(page.meta.title || "") === wanted;
      return { page: page, group: exact ? 0 : (isOrganisation[candidates[i].id] ? 2 : 1), score: candidates[i].score };
    }).sort(function (a, b) { return a.group - b.group || b.score - a.score; }).slice(0, SHOWN);
  });
}

function answer(query) {
  var text = query.trim();
  if (!text) return Promise.resolve({ items: [], count: 0 });
  var pf, search;
  return load().then(function (loaded) {
    pf = loaded;
    return pf.search(text);
  }).then(function (found) {
    search = found;
    if (pending !== null) return null;  // a newer query is waiting: load no page for this one
    return pf.search(text, { filters: { kind: "organisation" } });
  }).then(function (organisations) {
    if (!organisations || pending !== null) return null;
    return rank(search, organisations, text);
  }).then(function (ranked) {
    if (!ranked) return null;
    return loadNames().then(function (table) { return [ranked, table[plain(text)]]; });
  }).then(function (both) {
    if (!both) return null;
    var ranked = both[0], named = both[1];
    var terms = {};
    words(text).forEach(function (w) { terms[w] = true; });
    var drawn = ranked.map(function (r) {
      return { location: r.page.url.replace(/^\//, ""), title: escapeText(r.page.meta.title || r.page.url), text: snippet(r.page) };
    });
    if (named) {  // the organisation's page, then its schemes, then the rest as Pagefind ranked them
      var first = [{ location: named.page, title: escapeText(named.title), text: "" }].concat(named.schemes.map(function (s) {
        return { location: s[0], title: escapeText(s[1]), text: escapeText(s[2]) };
      }));
      var taken = {};
      first.forEach(function (d) { taken[d.location] = true; });
      first.forEach(function (d) {
        var seen = drawn.filter(function (x) { return x.location === d.location; })[0];
        if (seen && seen.text) d.text = seen.text;  // Pagefind's snippet, with the query marked, where it has one
      });
      drawn = first.concat(drawn.filter(function (d) { return !taken[d.location]; })).slice(0, SHOWN);
    }
    // Material sends Enter to the highest score: the scores follow the order drawn
    var items = drawn.map(function (d, i) {
      return item(d.location, d.title, d.text, drawn.length - i, terms);
    });
    var total = search.results.length;
    if (total > items.length) {
      items.push(item("finder/?q=" + encodeURIComponent(text),
                      "Showing the best " + items.length + " of " + total.toLocaleString("en-GB") + " matches",
                      "Add a word to narrow the search, or filter every scheme in the finder.", 0, terms));
    }
    return { items: items, count: total };
  });
}

function next() {
  if (busy || pending === null) return;
  var query = pending;
  pending = null;
  busy = true;
  answer(query).then(function (result) {
    if (result && pending === null) self.postMessage({ type: RESULT, data: result });
  }, function (error) {
    if (pending === null) self.postMessage({ type: RESULT, data: { items: [], count: 0 } });
    console.error("search:", error);
  }).then(function () {
    busy = false;
    next();
  });
}

self.addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    pending = message.data;
    next();
  }
});
