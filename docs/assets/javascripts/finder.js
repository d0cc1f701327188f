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
    else if (kind === "recent") idx.sort(function (a, b) { return schemes[b].y < schemes[a].y ? -1 : schemes[b].y > schemes[a].y ? 1 : byTitle(a, b); });
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

  /* --- reading the page address leniently ---------------------------------------
     readParams(facets, params, sorts): params is [[key, value], ...] as in the address
     (a key may repeat); sorts the finder's sort orders, the first being the default.
     Returns {selection, q, sort, notices, canonical}:
       - facet keys, q and sort as the finder writes them are read as they are;
       - obvious synonyms are read silently: any case, hyphens, spaces or underscores,
         singular or plural, the facet's label (target_group, Target-Group, force,
         force_area, provider), and a few plain words (area, group, organisation, search);
       - near misses (a letter or two out: traget_groups, woman) are read as the
         nearest facet or value, with a notice saying so;
       - anything else is left out, with a notice naming it;
       - canonical is false when the address should be rewritten as the finder writes it.
     Values may be separated by commas, semicolons or bars, or given in repeated keys;
     a value matches a facet value's slug or name, ignoring case and punctuation. */
  var KEY_ALIASES = {
    area: "forces", police: "forces", policeforce: "forces", policeforces: "forces", pcc: "forces",
    group: "target_groups", groups: "target_groups", target: "target_groups", targets: "target_groups",
    cohort: "target_groups", intervention: "intervention_types", interventions: "intervention_types",
    type: "intervention_types", types: "intervention_types", approach: "intervention_types",
    pathway: "stages", evidencestep: "evidence", evidencelevel: "evidence", ladder: "evidence",
    fundingband: "funding", money: "funding", comparedwith: "comparison", reoffendingcomparison: "comparison",
    organisation: "providers", organisations: "providers", organization: "providers",
    organizations: "providers", org: "providers", orgs: "providers", deliveredby: "providers",
  };
  var TEXT_KEYS = ["q", "query", "search", "text", "keyword", "keywords"];
  var SORT_KEYS = ["sort", "order", "sortby", "orderby"];
  var SORT_ALIASES = { az: "title", name: "title", alphabetical: "title", area: "force", forces: "force",
    date: "newest", new: "newest", information: "recent", age: "recent", latest: "newest", money: "funding", amount: "funding" };
  var IGNORED = /^(utm_.*|fbclid|gclid|_ga)$/;

  function norm(s) { return String(s).toLowerCase().replace(/[^a-z0-9]/g, ""); }

  /* Levenshtein distance, stopping early once it is over max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [], cur = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (var k = 1; k <= b.length; k++) {
        var v = Math.min(prev[k] + 1, cur[k - 1] + 1, prev[k - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(k - 1) ? 0 : 1));
        cur.push(v);
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  }

  /* The one candidate (a list of [normalised name, answer]) within a letter or two of
     word, or null when there is none or two answers are equally near. Words and names
     under four letters are never guessed at. */
  function nearest(word, candidates) {
    if (word.length < 4) return null;
    var max = word.length <= 5 ? 1 : 2, best = null, bestD = max + 1, tie = false;
    candidates.forEach(function (c) {
      if (c[0].length < 4) return;
      var d = distance(word, c[0], max);
      if (d < bestD) { bestD = d; best = c[1]; tie = false; }
      else if (d === bestD && c[1] !== best) tie = true;
    });
    return bestD <= max && !tie ? best : null;
  }

  function quote(s) { return "\u201c" + s + "\u201d"; }

  function readParams(facets, params, sorts) {
    var keyNames = [];  // [normalised name, facet index]: the facet's own names
    facets.forEach(function (f, fi) {
      var k = norm(f.key), l = norm(f.label || f.key);
      [k, k.replace(/s$/, ""), k.replace(/es$/, ""), k + "s", k + "es", l, l + "s"].forEach(function (n) { keyNames.push([n, fi]); });
    });
    Object.keys(KEY_ALIASES).forEach(function (alias) {
      var fi = facetIndex(facets, KEY_ALIASES[alias]);
      if (fi >= 0) keyNames.push([alias, fi]);
    });
    TEXT_KEYS.forEach(function (k) { keyNames.push([k, "q"]); });
    SORT_KEYS.forEach(function (k) { keyNames.push([k, "sort"]); });

    var out = { selection: emptySelection(facets), q: "", sort: sorts[0], notices: [], canonical: true };
    params.forEach(function (kv) {
      var key = kv[0], value = kv[1] == null ? "" : String(kv[1]);
      if (IGNORED.test(key)) return;
      var n = norm(key), target = null;
      for (var i = 0; i < keyNames.length; i++) if (keyNames[i][0] === n) { target = keyNames[i][1]; break; }
      var label;
      if (target === null && n) {
        target = nearest(n, keyNames);
        if (target !== null) {
          label = target === "q" ? "the search" : target === "sort" ? "the sort order" : facets[target].label;
          out.notices.push(quote(key) + " was read as " + (typeof target === "number" ? quote(label) : label) + ".");
        }
      }
      if (target === null) {
        out.notices.push(quote(key + (value ? "=" + value : "")) + " is not a filter on this page, so it was left out.");
        out.canonical = false;
        return;
      }
      var own = typeof target === "number" ? facets[target].key : target;
      if (key !== own) out.canonical = false;
      if (target === "q") { out.q = out.q ? out.q + " " + value : value; return; }
      if (target === "sort") {
        var s = norm(value), chosen = null;
        sorts.forEach(function (o) { if (norm(o) === s) chosen = o; });
        if (chosen === null && SORT_ALIASES[s]) chosen = SORT_ALIASES[s];
        if (chosen === null || sorts.indexOf(chosen) < 0) {
          out.notices.push(quote(value) + " is not a sort order here, so the schemes are sorted by title.");
          out.canonical = false;
        } else {
          if (chosen !== value) out.canonical = false;
          out.sort = chosen;
        }
        return;
      }
      var f = facets[target];
      var names = [];
      f.values.forEach(function (v, vi) { names.push([norm(v.slug), vi]); names.push([norm(v.name), vi]); });
      value.split(/[,;|]/).forEach(function (raw) {
        var word = raw.trim();
        if (!word) return;
        var vi = -1;
        for (var j = 0; j < f.values.length; j++) if (f.values[j].slug === word) { vi = j; break; }
        if (vi < 0) {
          out.canonical = false;
          var w = norm(word);
          for (var m = 0; m < names.length; m++) if (names[m][0] === w) { vi = names[m][1]; break; }
          if (vi < 0 && w) {
            var near = nearest(w, names);
            if (near !== null) {
              vi = near;
              out.notices.push(quote(word) + " was read as " + quote(f.values[vi].name) + " (" + f.label + ").");
            }
          }
        }
        if (vi < 0) {
          out.notices.push(f.label + ": nothing is called " + quote(word) + ", so that filter was left out.");
          return;
        }
        out.selection[target].add(vi);
      });
    });
    return out;
  }

  var rrs = window.rrs = window.rrs || {};
  rrs.finderCore = {
    index: index, filter: filter, match: match, has: has, size: size, positions: positions,
    order: order, facetIndex: facetIndex, emptySelection: emptySelection,
    parseSelection: parseSelection, selectionParams: selectionParams, readParams: readParams,
  };
})();


/* --- the page ------------------------------------------------------------------
 *
 * Layout (site.css): from 60em wide the form is a column of filters beside the
 * results; narrower, the results come first and "Filter and sort" opens the
 * filters (the sort order moves into them). Each facet is a <details> whose
 * summary says how many of its values are ticked; long facets get a
 * type-to-filter box. Ticked filters are listed above the results as links that
 * each remove one (real addresses, so they also work opened in a new tab), with
 * "Clear all filters". The count is a heading in an aria-live region.
 */
(function () {
  "use strict";
  var box = document.querySelector(".rrs-finder");
  if (!box) return;
  var core = window.rrs.finderCore;
  var el = window.rrs.el;
  var compareList = window.rrs.compareList;
  var base = box.getAttribute("data-root");
  var PAGE = 50;
  var SORTS = ["title", "force", "newest", "funding", "recent"];

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

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
    var panel = box.querySelector(".rrs-finder-panel");
    var toggle = box.querySelector(".rrs-finder-toggle");
    var toggleCount = box.querySelector(".rrs-finder-toggle-count");
    var showButton = box.querySelector("[data-finder-show]");
    var countSpans = [], checkboxes = [], rows = [], sections = [], selectedSpans = [];
    facets.forEach(function (f, fi) {
      var fieldset = form.querySelector('fieldset[data-facet="' + f.key + '"]');
      var holder = fieldset.querySelector(".rrs-facet-values");
      var section = fieldset.closest("details");
      sections.push(section);
      selectedSpans.push(section.querySelector(".rrs-facet-selected"));
      countSpans.push([]);
      checkboxes.push([]);
      rows.push([]);
      var frag = document.createDocumentFragment();
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
        frag.appendChild(row);
        countSpans[fi].push(count);
        checkboxes[fi].push(input);
        rows[fi].push(row);
      });
      holder.appendChild(frag);
    });
    var q = form.querySelector("#finder-q");
    var sort = box.querySelector("#finder-sort");
    var sortBox = box.querySelector(".rrs-finder-sort");
    var list = box.querySelector(".rrs-finder-list");
    var countHeading = box.querySelector(".rrs-finder-count");
    var countNote = box.querySelector(".rrs-finder-count-note");
    var selectedBox = box.querySelector(".rrs-finder-selected");
    var selectedList = box.querySelector(".rrs-finder-selected-list");
    var clearLink = box.querySelector("[data-finder-clear]");
    var notice = box.querySelector(".rrs-finder-notice");
    var more = box.querySelector("[data-finder-more]");
    var compareLink = box.querySelector("[data-compare-link]");

    // --- URL <-> state -----------------------------------------------------
    function query(sel, text, order) {
      var params = new URLSearchParams();
      core.selectionParams(facets, sel).forEach(function (kv) { params.set(kv[0], kv[1]); });
      if (text) params.set("q", text);
      if (order !== "title") params.set("sort", order);
      var out = params.toString().replace(/%2C/g, ",");
      return location.pathname + (out ? "?" + out : "");
    }

    function readURL() {
      var params = [];
      new URLSearchParams(location.search).forEach(function (value, key) { params.push([key, value]); });
      var read = core.readParams(facets, params, SORTS);
      state.sel = read.selection;
      state.q = read.q;
      state.sort = read.sort;
      state.shown = PAGE;
      q.value = state.q;
      sort.value = state.sort;
      checkboxes.forEach(function (boxes, fi) {
        boxes.forEach(function (cb, vi) { cb.checked = state.sel[fi].has(vi); });
        if (state.sel[fi].size) sections[fi].open = true;
      });
      var items = box.querySelector(".rrs-finder-notice-list");
      items.textContent = "";
      read.notices.forEach(function (text) { items.appendChild(el("li", null, text)); });
      notice.hidden = !read.notices.length;
      if (!read.canonical) writeURL(true);
    }

    function writeURL(replace) {
      var url = query(state.sel, state.q, state.sort);
      if (url === location.pathname + location.search) return;
      if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
    }

    // --- drawing -------------------------------------------------------------
    function render() {
      var result = core.filter(ix, state.sel, state.q);
      var ticked = 0;
      result.counts.forEach(function (row, fi) {
        var chosen = state.sel[fi];
        row.forEach(function (c, vi) {
          var span = countSpans[fi][vi];
          var label = "(" + c + ")";
          if (span.textContent !== label) span.textContent = label;
          var line = rows[fi][vi];
          var zero = c === 0 && !chosen.has(vi);
          if (line.classList.contains("rrs-zero") !== zero) line.classList.toggle("rrs-zero", zero);
        });
        var said = chosen.size ? chosen.size + " selected" : "";
        if (selectedSpans[fi].textContent !== said) selectedSpans[fi].textContent = said;
        ticked += chosen.size;
      });

      var idx = core.order(ix, state.sort);
      var matched = 0, frag = document.createDocumentFragment(), chosenSlugs = compareList.read();
      for (var r = 0; r < idx.length; r++) {
        var s = idx[r];
        if (!core.has(result.match, s)) continue;
        matched++;
        if (matched <= state.shown) frag.appendChild(item(schemes[s], chosenSlugs));
      }
      list.textContent = "";
      list.appendChild(frag);
      var heading = plural(matched, "scheme");
      if (countHeading.textContent !== heading) countHeading.textContent = heading;
      var note = matched === 0 ? "No scheme matches every filter. Remove a filter to see more." :
        matched > state.shown ? "Showing the first " + state.shown + "; \u201cShow more\u201d is at the end of the list." :
        matched < n ? "Out of " + n + " in the register." : "";
      if (countNote.textContent !== note) countNote.textContent = note;
      countNote.hidden = !note;
      more.hidden = matched <= state.shown;
      showButton.textContent = "Show " + plural(matched, "scheme");
      var on = ticked + (state.q.trim() ? 1 : 0);
      toggleCount.textContent = on ? " (" + on + " on)" : "";
      drawSelected();
      updateCompareLink(chosenSlugs);
      updateFollow();
    }

    // --- "follow these results": one value of a facet that has feeds, and nothing else ---
    var followBox = box.querySelector(".rrs-finder-follow");
    var followLink = followBox && followBox.querySelector("[data-finder-follow]");
    var feedFolders = JSON.parse(box.getAttribute("data-feed-folders") || "{}");
    function updateFollow() {
      if (!followLink) return;
      var picked = [];
      state.sel.forEach(function (set, fi) { set.forEach(function (vi) { picked.push([fi, vi]); }); });
      var folder = picked.length === 1 ? feedFolders[facets[picked[0][0]].key] : null;
      if (!folder || state.q.trim()) { followBox.hidden = true; return; }
      var value = facets[picked[0][0]].values[picked[0][1]];
      followLink.setAttribute("href", base + folder + "/" + encodeURIComponent(value.slug) + "/feed.xml");
      followLink.textContent = "Follow these results: " + value.name + " (Atom feed)";
      followBox.hidden = false;
    }

    function drawSelected() {
      selectedList.textContent = "";
      var any = false;
      if (state.q.trim()) {
        any = true;
        var li = el("li");
        li.appendChild(el("span", { "class": "rrs-finder-selected-facet" }, "Search"));
        li.appendChild(removeLink(query(state.sel, "", state.sort), "\u201c" + state.q.trim() + "\u201d", { "data-remove-q": "" }));
        selectedList.appendChild(li);
      }
      facets.forEach(function (f, fi) {
        var chosen = Array.from(state.sel[fi]).sort(function (a, b) { return a - b; });
        if (!chosen.length) return;
        any = true;
        var li = el("li");
        li.appendChild(el("span", { "class": "rrs-finder-selected-facet" }, f.label));
        chosen.forEach(function (vi) {
          var without = state.sel.map(function (set, i) {
            if (i !== fi) return set;
            var copy = new Set(set);
            copy.delete(vi);
            return copy;
          });
          li.appendChild(removeLink(query(without, state.q, state.sort), f.values[vi].name,
            { "data-remove-facet": String(fi), "data-remove-value": String(vi) }));
        });
        selectedList.appendChild(li);
      });
      selectedBox.hidden = !any;
      clearLink.setAttribute("href", query(core.emptySelection(facets), "", state.sort));
    }

    function removeLink(href, text, attrs) {
      attrs.href = href;
      attrs["class"] = "rrs-tag rrs-tag--remove";
      var a = el("a", attrs);
      a.appendChild(el("span", { "class": "rrs-visually-hidden" }, "Remove filter: "));
      a.appendChild(document.createTextNode(text));
      a.appendChild(el("span", { "class": "rrs-tag-cross", "aria-hidden": "true" }, "\u00d7"));
      return a;
    }

    function item(s, chosen) {
      var li = el("li", { "class": "rrs-result", "data-slug": s.s });
      li.appendChild(el("a", { "class": "rrs-result-title", href: base + "schemes/" + s.s + "/" }, s.t));
      var where = forceFacet >= 0 ? s.f[forceFacet].map(function (vi) { return facets[forceFacet].values[vi].name; }).join(", ") : "";
      var status = statusFacet >= 0 ? facets[statusFacet].values[s.f[statusFacet][0]].name : "";
      li.appendChild(el("span", { "class": "rrs-result-meta" }, where + " \u00b7 " + status + (s.c ? " (" + s.c + ")" : "") +
        " \u00b7 information from " + String(s.y).slice(0, 4) + (s.k ? " \u00b7 " + s.k : "")));
      li.appendChild(el("span", { "class": "rrs-result-summary" }, s.u));
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

    // --- narrow screens: "Filter and sort" opens the filters, which hold the sort order
    var wide = window.matchMedia("(min-width: 60em)");
    function placeSort() {
      var slot = box.querySelector('[data-sort-slot="' + (wide.matches ? "bar" : "panel") + '"]');
      if (sortBox.parentNode !== slot) slot.appendChild(sortBox);
    }
    function openPanel(open) {
      panel.classList.toggle("rrs-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    if (wide.addEventListener) wide.addEventListener("change", placeSort); else wide.addListener(placeSort);
    toggle.addEventListener("click", function () { openPanel(toggle.getAttribute("aria-expanded") !== "true"); });
    showButton.addEventListener("click", function () {
      openPanel(false);
      countHeading.focus();
    });

    // --- events ----------------------------------------------------------------
    function changed(push) {
      state.shown = PAGE;
      writeURL(!push);
      render();
    }
    form.addEventListener("change", function (event) {
      var t = event.target;
      if (t.type !== "checkbox") return;
      var fi = +t.getAttribute("data-facet-index"), vi = +t.getAttribute("data-value-index");
      if (t.checked) state.sel[fi].add(vi); else state.sel[fi].delete(vi);
      changed(true);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function (event) {
      var t = event.target;
      var key = t.getAttribute("data-facet-filter");
      if (!key) return;
      var fi = core.facetIndex(facets, key);
      var words = t.value.trim().toLowerCase();
      var shown = 0;
      facets[fi].values.forEach(function (v, vi) {
        var hide = !!words && v.name.toLowerCase().indexOf(words) < 0;
        rows[fi][vi].hidden = hide;
        if (!hide) shown++;
      });
      t.closest("details").querySelector(".rrs-facet-nomatch").hidden = shown > 0;
    });
    q.addEventListener("input", function () {
      state.q = q.value;
      changed(false);
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
    selectedBox.addEventListener("click", function (event) {
      var link = event.target.closest("a");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
      event.preventDefault();
      var links = Array.from(selectedBox.querySelectorAll(".rrs-tag--remove"));
      var at = links.indexOf(link);
      if (link.hasAttribute("data-finder-clear")) {
        state.sel = core.emptySelection(facets);
        state.q = "";
        q.value = "";
        checkboxes.forEach(function (boxes) { boxes.forEach(function (cb) { cb.checked = false; }); });
      } else if (link.hasAttribute("data-remove-q")) {
        state.q = "";
        q.value = "";
      } else {
        var fi = +link.getAttribute("data-remove-facet"), vi = +link.getAttribute("data-remove-value");
        state.sel[fi].delete(vi);
        checkboxes[fi][vi].checked = false;
      }
      changed(true);
      // keep the keyboard where it was: the next filter's link, else the count
      var left = selectedBox.hidden ? [] : selectedBox.querySelectorAll(".rrs-tag--remove");
      var next = at >= 0 && left.length ? left[Math.min(at, left.length - 1)] : countHeading;
      next.focus();
    });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-compare-slug]");
      if (!button) return;
      var slug = button.getAttribute("data-compare-slug");
      var change = compareList.toggle(slug);
      if (change.full) { countNote.hidden = false; countNote.textContent = "You can compare up to four schemes; remove one first."; return; }
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
        var lines = splitRows(text.replace(/^\ufeff/, ""));
        var out = [lines[0]];
        for (var i = 1; i < lines.length; i++) {
          var slug = lines[i].split(",", 1)[0];
          if (keep.has(slug)) out.push(lines[i]);
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
      var out = [], start = 0, quoted = false;
      for (var i = 0; i < text.length; i++) {
        var ch = text.charCodeAt(i);
        if (ch === 34) quoted = !quoted;
        else if (!quoted && ch === 13 && text.charCodeAt(i + 1) === 10) {
          out.push(text.slice(start, i));
          start = i + 2;
          i++;
        }
      }
      if (start < text.length) out.push(text.slice(start));
      return out;
    }

    readURL();
    placeSort();
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
