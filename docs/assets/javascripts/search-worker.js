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
var SHOWN = 10;             // results drawn for a query; the rest are counted in a last line
var EXCERPT_WORDS = 30;
/* Ranking (issue 18's relevance test, tests/test_search.py, holds it to what a commissioner expects):
   - pageLength 0.2 instead of 0.75: an organisation page is a few words long, and at the default it
     outranked every scheme for a word in its name ("housing", "restorative");
   - a force page carries its name as the meta field "area" (force.md.j2), weighted so that the
     force's name finds its page first;
   - then, among the results drawn, a page whose title is the query itself ("Remedi", "The Nelson
     Trust", "Dorset Police") comes first. */
var RANKING = { pageLength: 0.2, metaWeights: { area: 20 } };

var root = new URL("../../", self.location.href);  // this file is assets/javascripts/search-worker.js
var pagefind = null;        // Promise of the Pagefind module, once a query asks for it
var pending = null;         // the newest query not yet answered
var busy = false;

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
   matches marked; if only the title matches, the words that follow it (a scheme's summary).
   The page's text starts with its title (the h1), as Pagefind read it. */
function snippet(page) {
  var all = page.content.split(/[\r\n\s]+/);
  var titleWords = String(page.meta.title || "").split(/\s+/).filter(Boolean).length;
  var marked = {};
  (page.locations || []).forEach(function (at) { marked[at] = true; });
  var first = (page.locations || []).filter(function (at) { return at >= titleWords; })[0];
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

function answer(query) {
  var text = query.trim();
  if (!text) return Promise.resolve({ items: [], count: 0 });
  return load().then(function (pf) {
    return pf.search(text);
  }).then(function (search) {
    if (pending !== null) return null;  // a newer query is waiting: load no page for this one
    var shown = search.results.slice(0, SHOWN);
    return Promise.all(shown.map(function (r) { return r.data(); })).then(function (pages) {
      var terms = {};
      words(text).forEach(function (w) { terms[w] = true; });
      var wanted = plain(text), top = shown.length ? shown[0].score : 0;
      var items = pages.map(function (page, i) {
        var exact = plain(page.meta.title || "") === wanted;
        return item(page.url.replace(/^\//, ""), escapeText(page.meta.title || page.url),
                    snippet(page), exact ? top + 1 : shown[i].score, terms);
      });
      items.sort(function (a, b) { return b[0].score - a[0].score; });  // stable: Pagefind's order otherwise
      var total = search.results.length;
      if (total > shown.length) {
        items.push(item("finder/?q=" + encodeURIComponent(text),
                        "Showing the best " + shown.length + " of " + total.toLocaleString("en-GB") + " matches",
                        "Add a word to narrow the search, or filter every scheme in the finder.", 0, terms));
      }
      return { items: items, count: total };
    });
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
