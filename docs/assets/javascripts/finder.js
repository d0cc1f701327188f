/*
 * The finder (/finder/): faceted filtering of every scheme.
 *
 * Data: data/finder.json, fetched once. Each facet value holds a bitset of
 * the schemes that have it, so one filter change is a few thousand word
 * operations however many schemes there are. Only the first page of results
 * is put in the DOM. All text is set with textContent: nothing from the data
 * is ever parsed as HTML.
 *
 * State lives in the query string (?forces=a,b&target_groups=c&q=...&sort=...),
 * so a filtered view can be bookmarked and shared, and Back works.
 *
 * The file has two parts: rrs.finderCore, the filter-and-count logic as plain
 * functions that never touch the DOM (tests/test_finder_logic.py loads this
 * file into an empty page and checks them), and the page itself, which runs
 * only where there is a .rrs-finder box and uses rrs.el and rrs.compareList
 * from shared.js.
 */

/* --- rrs.finderCore: which schemes match, and the count per facet value -----
 *
 * data      {facets: [{key, values: [{slug, name}]}],
 *            schemes: [{s: slug, t: title, u: summary, a: added, m: money,
 *                       f: [[value indices] per facet]}]}  (data/finder.json)
 * selection one Set (or array) of value indices per facet, in facet order.
 *           Within a facet any selected value will do (OR); across facets
 *           every facet with a selection must match (AND); a facet with
 *           nothing selected does not filter. Indices that name no value
 *           are ignored.
 * q         free text: every word must occur (case-insensitively) in the
 *           scheme's title, summary, force names or provider names.
 */
(function () {
  "use strict";

  function popcount(x) {
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  function facetIndex(facets, key) {
    return facets.findIndex(function (f) { return f.key === key; });
  }

  /* Everything the filter needs, built once from the data. */
  function index(data) {
    var facets = data.facets;
    var schemes = data.schemes;
    var n = schemes.length;
    var words = (n + 31) >>> 5;
    var all = new Uint32Array(words);
    for (var i = 0; i < n; i++) all[i >>> 5] |= (1 << (i & 31));

    var bits = facets.map(function (f) {
      return f.values.map(function () { return new Uint32Array(words); });
    });
    schemes.forEach(function (s, i) {
      s.f.forEach(function (vals, fi) {
        vals.forEach(function (vi) { bits[fi][vi][i >>> 5] |= (1 << (i & 31)); });
      });
    });
    var forceFacet = facetIndex(facets, "forces");
    var providerFacet = facetIndex(facets, "providers");
    var haystack = schemes.map(function (s) {
      var parts = [s.t, s.u];
      if (forceFacet >= 0) s.f[forceFacet].forEach(function (vi) { parts.push(facets[forceFacet].values[vi].name); });
      if (providerFacet >= 0) s.f[providerFacet].forEach(function (vi) { parts.push(facets[providerFacet].values[vi].name); });
      return parts.join(" ").toLowerCase();
    });
    return {
      facets: facets, schemes: schemes, n: n, words: words, all: all, bits: bits,
      haystack: haystack, forceFacet: forceFacet, orders: {}, lastText: null, lastTextSet: null,
    };
  }

  function and(ix, a, b) {
    var out = new Uint32Array(ix.words);
    for (var w = 0; w < ix.words; w++) out[w] = a[w] & b[w];
    return out;
  }

  function has(set, i) {
    return (set[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  function size(set) {
    var c = 0;
    for (var w = 0; w < set.length; w++) if (set[w]) c += popcount(set[w]);
    return c;
  }

  /* Schemes whose text holds every word of q; null when q has no words. The
     last answer is kept, since q changes far less often than the facets. */
  function textSet(ix, q) {
    if (q === ix.lastText) return ix.lastTextSet;
    var text = q.trim().toLowerCase();
    var out = null;
    if (text) {
      var terms = text.split(/\s+/);
      out = new Uint32Array(ix.words);
      for (var i = 0; i < ix.n; i++) {
        var h = ix.haystack[i];
        var ok = true;
        for (var t = 0; t < terms.length; t++) { if (h.indexOf(terms[t]) < 0) { ok = false; break; } }
        if (ok) out[i >>> 5] |= (1 << (i & 31));
      }
    }
    ix.lastText = q;
    ix.lastTextSet = out;
    return out;
  }

  /* Schemes with any of the values selected in facet fi; null when none is. */
  function facetSet(ix, selection, fi) {
    var out = null;
    var valueBits = ix.bits[fi];
    (selection[fi] || []).forEach(function (vi) {
      var b = valueBits[vi];
      if (!b) return;
      if (!out) out = new Uint32Array(ix.words);
      for (var w = 0; w < ix.words; w++) out[w] |= b[w];
    });
    return out;
  }

  /* The matching schemes (a bitset over scheme positions) and, for every facet
     value, how many schemes would match with that value ticked: the count
     honours the text and every other facet, but not the facet's own selection. */
  function filter(ix, selection, q) {
    var k = ix.facets.length;
    var text = textSet(ix, q || "");
    var sets = ix.facets.map(function (_, fi) { return facetSet(ix, selection, fi); });
    // prefix[i] = AND of the text and sets before i; suffix[i] = AND of sets from i on
    var prefix = [text ? text : ix.all];
    for (var i = 0; i < k; i++) prefix.push(sets[i] ? and(ix, prefix[i], sets[i]) : prefix[i]);
    var suffix = new Array(k + 1);
    suffix[k] = ix.all;
    for (var j = k - 1; j >= 0; j--) suffix[j] = sets[j] ? and(ix, suffix[j + 1], sets[j]) : suffix[j + 1];

    var counts = [];
    for (var fi = 0; fi < k; fi++) {
      var others = and(ix, prefix[fi], suffix[fi + 1]);
      var valueBits = ix.bits[fi];
      var row = [];
      for (var vi = 0; vi < valueBits.length; vi++) {
        var b = valueBits[vi], c = 0;
        for (var w = 0; w < ix.words; w++) { var x = b[w] & others[w]; if (x) c += popcount(x); }
        row.push(c);
      }
      counts.push(row);
    }
    return { match: prefix[k], counts: counts };
  }

  /* Only the matching schemes, without the counts. */
  function match(ix, selection, q) {
    var text = textSet(ix, q || "");
    var total = text ? text : ix.all;
    ix.facets.forEach(function (_, fi) {
      var s = facetSet(ix, selection, fi);
      if (s) total = and(ix, total, s);
    });
    return total;
  }

  /* Positions of the matching schemes, in data order. */
  function positions(ix, set) {
    var out = [];
    for (var i = 0; i < ix.n; i++) if (has(set, i)) out.push(i);
    return out;
  }

  /* Scheme positions sorted by title, force, newest or funding (kept once made). */
  var collator = null;
  function order(ix, kind) {
    if (ix.orders[kind]) return ix.orders[kind];
    if (!collator) collator = new Intl.Collator("en-GB", { sensitivity: "base", numeric: true });
    var schemes = ix.schemes, facets = ix.facets, forceFacet = ix.forceFacet;
    var idx = schemes.map(function (_, i) { return i; });
    var byTitle = function (a, b) { return collator.compare(schemes[a].t, schemes[b].t); };
    if (kind === "newest") idx.sort(function (a, b) { return schemes[b].a < schemes[a].a ? -1 : schemes[b].a > schemes[a].a ? 1 : byTitle(a, b); });
    else if (kind === "funding") idx.sort(function (a, b) { return (schemes[b].m - schemes[a].m) || byTitle(a, b); });
    else if (kind === "force" && forceFacet >= 0) idx.sort(function (a, b) {
      var fa = facets[forceFacet].values[schemes[a].f[forceFacet][0]].name;
      var fb = facets[forceFacet].values[schemes[b].f[forceFacet][0]].name;
      return collator.compare(fa, fb) || byTitle(a, b);
    });
    else idx.sort(byTitle);
    ix.orders[kind] = idx;
    return idx;
  }

  function emptySelection(facets) {
    return facets.map(function () { return new Set(); });
  }

  /* A selection from the address: get(key) gives "slug,slug" or null.
     Slugs that name no value of the facet are dropped. */
  function parseSelection(facets, get) {
    return facets.map(function (f) {
      var chosen = new Set();
      (get(f.key) || "").split(",").forEach(function (slug) {
        var vi = f.values.findIndex(function (v) { return v.slug === slug; });
        if (vi >= 0) chosen.add(vi);
      });
      return chosen;
    });
  }

  /* The selection for the address: [key, "slug,slug"] for every facet with a
     selection, in facet order, values in vocabulary order. */
  function selectionParams(facets, selection) {
    var out = [];
    facets.forEach(function (f, fi) {
      var chosen = Array.from(selection[fi] || []).filter(function (vi) { return f.values[vi]; });
      if (chosen.length) {
        out.push([f.key, chosen.sort(function (a, b) { return a - b; })
          .map(function (vi) { return f.values[vi].slug; }).join(",")]);
      }
    });
    return out;
  }

  var rrs = window.rrs = window.rrs || {};
  rrs.finderCore = {
    index: index, filter: filter, match: match, has: has, size: size, positions: positions,
    order: order, facetIndex: facetIndex, emptySelection: emptySelection,
    parseSelection: parseSelection, selectionParams: selectionParams,
  };
})();

/* --- the page ------------------------------------------------------------------ */
(function () {
  "use strict";
  var box = document.querySelector(".rrs-finder");
  if (!box) return;
  var core = window.rrs.finderCore;
  var el = window.rrs.el;
  var compareList = window.rrs.compareList;
  var base = box.getAttribute("data-root");
  var PAGE = 50;
  var SORTS = ["title", "force", "newest", "funding"];

  function init(data) {
    var ix = core.index(data);
    var facets = ix.facets;
    var schemes = ix.schemes;
    var n = ix.n;
    var forceFacet = ix.forceFacet;
    var statusFacet = core.facetIndex(facets, "status");

    var state = { sel: core.emptySelection(facets), q: "", sort: "title", shown: PAGE };

    // --- the form ----------------------------------------------------------
    var form = box.querySelector(".rrs-finder-form");
    var countSpans = [];
    var checkboxes = [];
    facets.forEach(function (f, fi) {
      var holder = form.querySelector('[data-facet="' + f.key + '"] .rrs-facet-values');
      countSpans.push([]);
      checkboxes.push([]);
      f.values.forEach(function (v, vi) {
        var id = "finder-" + f.key + "-" + vi;
        var row = el("div", { "class": "rrs-facet-value" });
        var input = el("input", { type: "checkbox", id: id, value: v.slug, "data-facet-index": String(fi), "data-value-index": String(vi) });
        var label = el("label", { "for": id });
        label.appendChild(document.createTextNode(v.name + " "));
        var count = el("span", { "class": "rrs-facet-count" });
        label.appendChild(count);
        row.appendChild(input);
        row.appendChild(label);
        holder.appendChild(row);
        countSpans[fi].push(count);
        checkboxes[fi].push(input);
      });
    });
    var q = form.querySelector("#finder-q");
    var sort = box.querySelector("#finder-sort");
    var list = box.querySelector(".rrs-finder-list");
    var countLine = box.querySelector(".rrs-finder-count");
    var more = box.querySelector("[data-finder-more]");
    var compareLink = box.querySelector("[data-compare-link]");

    // --- URL <-> state -----------------------------------------------------
    function readURL() {
      var params = new URLSearchParams(location.search);
      state.sel = core.parseSelection(facets, function (key) { return params.get(key); });
      state.q = params.get("q") || "";
      state.sort = SORTS.indexOf(params.get("sort")) >= 0 ? params.get("sort") : "title";
      state.shown = PAGE;
      q.value = state.q;
      sort.value = state.sort;
      checkboxes.forEach(function (boxes, fi) {
        boxes.forEach(function (cb, vi) { cb.checked = state.sel[fi].has(vi); });
      });
    }

    function writeURL(replace) {
      var params = new URLSearchParams();
      core.selectionParams(facets, state.sel).forEach(function (kv) { params.set(kv[0], kv[1]); });
      if (state.q) params.set("q", state.q);
      if (state.sort !== "title") params.set("sort", state.sort);
      var query = params.toString().replace(/%2C/g, ",");
      var url = location.pathname + (query ? "?" + query : "");
      if (url === location.pathname + location.search) return;
      if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
    }

    // --- drawing -------------------------------------------------------------
    function render() {
      var result = core.filter(ix, state.sel, state.q);
      result.counts.forEach(function (row, fi) {
        row.forEach(function (c, vi) {
          var span = countSpans[fi][vi];
          var label = "(" + c + ")";
          if (span.textContent !== label) span.textContent = label;
          var line = span.parentNode.parentNode;
          var zero = c === 0 && !state.sel[fi].has(vi);
          if (line.classList.contains("rrs-zero") !== zero) line.classList.toggle("rrs-zero", zero);
        });
      });

      var idx = core.order(ix, state.sort);
      var matched = 0, frag = document.createDocumentFragment(), chosen = compareList.read();
      for (var r = 0; r < idx.length; r++) {
        var s = idx[r];
        if (!core.has(result.match, s)) continue;
        matched++;
        if (matched <= state.shown) frag.appendChild(item(schemes[s], chosen));
      }
      list.textContent = "";
      list.appendChild(frag);
      countLine.textContent = matched === n ? "Showing all " + n + " schemes." :
        matched + " of " + n + " schemes match." + (matched > state.shown ? " Showing the first " + state.shown + "." : "");
      more.hidden = matched <= state.shown;
      updateCompareLink(chosen);
    }

    function item(s, chosen) {
      var li = el("li", { "data-slug": s.s });
      li.appendChild(el("a", { href: base + "schemes/" + s.s + "/" }, s.t));
      var where = forceFacet >= 0 ? s.f[forceFacet].map(function (vi) { return facets[forceFacet].values[vi].name; }).join(", ") : "";
      var status = statusFacet >= 0 ? facets[statusFacet].values[s.f[statusFacet][0]].name : "";
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", { "class": "rrs-muted" }, where + " · " + status));
      li.appendChild(el("br"));
      li.appendChild(document.createTextNode(s.u + " "));
      var on = chosen.indexOf(s.s) >= 0;
      var button = el("button", { type: "button", "class": "rrs-button rrs-compare-toggle", "data-compare-slug": s.s, "aria-pressed": on ? "true" : "false" },
        on ? "Remove from compare" : "Add to compare");
      li.appendChild(button);
      return li;
    }

    function updateCompareLink(chosen) {
      compareLink.textContent = "Compare chosen (" + chosen.length + ")";
      compareLink.setAttribute("href", base + "compare/" + (chosen.length ? "?schemes=" + chosen.join(",") : ""));
    }

    // --- events ----------------------------------------------------------------
    form.addEventListener("change", function (event) {
      var t = event.target;
      if (t.type !== "checkbox") return;
      var fi = +t.getAttribute("data-facet-index"), vi = +t.getAttribute("data-value-index");
      if (t.checked) state.sel[fi].add(vi); else state.sel[fi].delete(vi);
      state.shown = PAGE;
      writeURL(false);
      render();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    q.addEventListener("input", function () {
      state.q = q.value;
      state.shown = PAGE;
      writeURL(true);
      render();
    });
    sort.addEventListener("change", function () {
      state.sort = sort.value;
      writeURL(false);
      render();
    });
    more.addEventListener("click", function () {
      state.shown += PAGE;
      render();
    });
    box.querySelector("[data-finder-clear]").addEventListener("click", function () {
      state.sel = core.emptySelection(facets);
      state.q = "";
      q.value = "";
      checkboxes.forEach(function (boxes) { boxes.forEach(function (cb) { cb.checked = false; }); });
      writeURL(false);
      render();
    });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-compare-slug]");
      if (!button) return;
      var slug = button.getAttribute("data-compare-slug");
      var change = compareList.toggle(slug);
      if (change.full) { countLine.textContent = "You can compare up to four schemes; remove one first."; return; }
      button.textContent = change.on ? "Remove from compare" : "Add to compare";
      button.setAttribute("aria-pressed", change.on ? "true" : "false");
      updateCompareLink(change.list);
    });
    box.querySelector("[data-finder-csv]").addEventListener("click", function () {
      // every matching scheme, not only the page shown
      var matching = core.match(ix, state.sel, state.q);
      var keep = new Set(core.positions(ix, matching).map(function (i) { return schemes[i].s; }));
      downloadCsv(keep);
    });
    window.addEventListener("popstate", function () { readURL(); render(); });

    function downloadCsv(keep) {
      fetch(base + "data/schemes.csv").then(function (r) { return r.text(); }).then(function (text) {
        var rows = splitRows(text.replace(/^\ufeff/, ""));
        var out = [rows[0]];
        for (var i = 1; i < rows.length; i++) {
          var slug = rows[i].split(",", 1)[0];
          if (keep.has(slug)) out.push(rows[i]);
        }
        var blob = new Blob(["\ufeff" + out.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
        var a = el("a", { href: URL.createObjectURL(blob), download: "schemes-filtered.csv" });
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      });
    }

    // CSV rows may hold line breaks inside quoted cells: split only outside quotes.
    function splitRows(text) {
      var rows = [], start = 0, quoted = false;
      for (var i = 0; i < text.length; i++) {
        var ch = text.charCodeAt(i);
        if (ch === 34) quoted = !quoted;
        else if (!quoted && ch === 13 && text.charCodeAt(i + 1) === 10) {
          rows.push(text.slice(start, i));
          start = i + 2;
          i++;
        }
      }
      if (start < text.length) rows.push(text.slice(start));
      return rows;
    }

    readURL();
    form.hidden = false;
    box.querySelector(".rrs-finder-bar").hidden = false;
    box.querySelector(".rrs-finder-nojs").hidden = true;
    render();
    box.setAttribute("data-ready", "true");
  }

  fetch(box.getAttribute("data-finder"))
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(init)
    .catch(function () {
      var p = box.querySelector(".rrs-finder-nojs");
      p.textContent = "The filters could not be loaded; every scheme is listed below.";
    });
})();
