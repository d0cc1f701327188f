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
 */
(function () {
  "use strict";
  var box = document.querySelector(".rrs-finder");
  if (!box) return;
  var base = box.getAttribute("data-root");
  var PAGE = 50;
  var COMPARE_KEY = "rrs-compare";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function popcount(x) {
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  function readCompare() {
    try { return JSON.parse(localStorage.getItem(COMPARE_KEY) || "[]").slice(0, 4); } catch (e) { return []; }
  }

  function writeCompare(list) {
    try { localStorage.setItem(COMPARE_KEY, JSON.stringify(list.slice(0, 4))); } catch (e) { /* private mode */ }
  }

  function init(data) {
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
    var forceFacet = facets.findIndex(function (f) { return f.key === "forces"; });
    var providerFacet = facets.findIndex(function (f) { return f.key === "providers"; });
    var haystack = schemes.map(function (s) {
      var words = [s.t, s.u];
      if (forceFacet >= 0) s.f[forceFacet].forEach(function (vi) { words.push(facets[forceFacet].values[vi].name); });
      if (providerFacet >= 0) s.f[providerFacet].forEach(function (vi) { words.push(facets[providerFacet].values[vi].name); });
      return words.join(" ").toLowerCase();
    });

    var collator = new Intl.Collator("en-GB", { sensitivity: "base", numeric: true });
    var orders = {};
    function order(kind) {
      if (orders[kind]) return orders[kind];
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
      orders[kind] = idx;
      return idx;
    }

    var state = { sel: facets.map(function () { return new Set(); }), q: "", sort: "title", shown: PAGE };

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
      facets.forEach(function (f, fi) {
        state.sel[fi] = new Set();
        (params.get(f.key) || "").split(",").forEach(function (slug) {
          var vi = f.values.findIndex(function (v) { return v.slug === slug; });
          if (vi >= 0) state.sel[fi].add(vi);
        });
      });
      state.q = params.get("q") || "";
      state.sort = ["title", "force", "newest", "funding"].indexOf(params.get("sort")) >= 0 ? params.get("sort") : "title";
      state.shown = PAGE;
      q.value = state.q;
      sort.value = state.sort;
      checkboxes.forEach(function (boxes, fi) {
        boxes.forEach(function (cb, vi) { cb.checked = state.sel[fi].has(vi); });
      });
    }

    function writeURL(replace) {
      var params = new URLSearchParams();
      facets.forEach(function (f, fi) {
        if (state.sel[fi].size) {
          params.set(f.key, Array.from(state.sel[fi]).sort(function (a, b) { return a - b; })
            .map(function (vi) { return f.values[vi].slug; }).join(","));
        }
      });
      if (state.q) params.set("q", state.q);
      if (state.sort !== "title") params.set("sort", state.sort);
      var query = params.toString().replace(/%2C/g, ",");
      var url = location.pathname + (query ? "?" + query : "");
      if (url === location.pathname + location.search) return;
      if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
    }

    // --- filtering -----------------------------------------------------------
    function facetSet(fi) {
      if (!state.sel[fi].size) return null;
      var out = new Uint32Array(words);
      state.sel[fi].forEach(function (vi) {
        var b = bits[fi][vi];
        for (var w = 0; w < words; w++) out[w] |= b[w];
      });
      return out;
    }

    function textSet() {
      var text = state.q.trim().toLowerCase();
      if (!text) return null;
      var terms = text.split(/\s+/);
      var out = new Uint32Array(words);
      for (var i = 0; i < n; i++) {
        var h = haystack[i];
        var ok = true;
        for (var t = 0; t < terms.length; t++) { if (h.indexOf(terms[t]) < 0) { ok = false; break; } }
        if (ok) out[i >>> 5] |= (1 << (i & 31));
      }
      return out;
    }

    function and(a, b) {
      var out = new Uint32Array(words);
      for (var w = 0; w < words; w++) out[w] = a[w] & b[w];
      return out;
    }

    var lastText = null, lastTextSet = null;

    function render() {
      var t0 = performance.now();
      if (state.q !== lastText) { lastText = state.q; lastTextSet = textSet(); }
      var sets = facets.map(function (_, fi) { return facetSet(fi); });
      // prefix[i] = AND of sets before i; suffix[i] = AND of sets from i on (with text)
      var k = facets.length;
      var prefix = [lastTextSet ? lastTextSet : all];
      for (var i = 0; i < k; i++) prefix.push(sets[i] ? and(prefix[i], sets[i]) : prefix[i]);
      var suffix = new Array(k + 1);
      suffix[k] = all;
      for (var j = k - 1; j >= 0; j--) suffix[j] = sets[j] ? and(suffix[j + 1], sets[j]) : suffix[j + 1];
      var total = prefix[k];

      for (var fi = 0; fi < k; fi++) {
        var others = and(prefix[fi], suffix[fi + 1]);
        var valueBits = bits[fi];
        for (var vi = 0; vi < valueBits.length; vi++) {
          var b = valueBits[vi], c = 0;
          for (var w = 0; w < words; w++) { var x = b[w] & others[w]; if (x) c += popcount(x); }
          var span = countSpans[fi][vi];
          var label = "(" + c + ")";
          if (span.textContent !== label) span.textContent = label;
          var row = span.parentNode.parentNode;
          var zero = c === 0 && !state.sel[fi].has(vi);
          if (row.classList.contains("rrs-zero") !== zero) row.classList.toggle("rrs-zero", zero);
        }
      }

      var idx = order(state.sort);
      var matched = 0, frag = document.createDocumentFragment(), chosen = readCompare();
      for (var r = 0; r < idx.length; r++) {
        var s = idx[r];
        if (!(total[s >>> 5] & (1 << (s & 31)))) continue;
        matched++;
        if (matched <= state.shown) frag.appendChild(item(schemes[s], chosen));
      }
      list.textContent = "";
      list.appendChild(frag);
      countLine.textContent = matched === n ? "Showing all " + n + " schemes." :
        matched + " of " + n + " schemes match." + (matched > state.shown ? " Showing the first " + state.shown + "." : "");
      more.hidden = matched <= state.shown;
      updateCompareLink(chosen);
      window.rrsFinder.lastRenderMs = performance.now() - t0;
      window.rrsFinder.renders += 1;
      window.rrsFinder.matched = matched;
    }

    function item(s, chosen) {
      var li = el("li", { "data-slug": s.s });
      li.appendChild(el("a", { href: base + "schemes/" + s.s + "/" }, s.t));
      var where = forceFacet >= 0 ? s.f[forceFacet].map(function (vi) { return facets[forceFacet].values[vi].name; }).join(", ") : "";
      var statusFacet = facets.findIndex(function (f) { return f.key === "status"; });
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
      state.sel = facets.map(function () { return new Set(); });
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
      var chosen = readCompare();
      var at = chosen.indexOf(slug);
      if (at >= 0) chosen.splice(at, 1);
      else if (chosen.length < 4) chosen.push(slug);
      else { countLine.textContent = "You can compare up to four schemes; remove one first."; return; }
      writeCompare(chosen);
      var on = chosen.indexOf(slug) >= 0;
      button.textContent = on ? "Remove from compare" : "Add to compare";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      updateCompareLink(chosen);
    });
    box.querySelector("[data-finder-csv]").addEventListener("click", function () {
      var keep = new Set();
      // every matching scheme, not only the page shown
      var sets = facets.map(function (_, fi) { return facetSet(fi); });
      var total = lastTextSet ? lastTextSet : all;
      sets.forEach(function (s) { if (s) total = and(total, s); });
      for (var i = 0; i < n; i++) if (total[i >>> 5] & (1 << (i & 31))) keep.add(schemes[i].s);
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

  window.rrsFinder = { lastRenderMs: null, renders: 0, matched: null };
  fetch(box.getAttribute("data-finder"))
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(init)
    .catch(function () {
      var p = box.querySelector(".rrs-finder-nojs");
      p.textContent = "The filters could not be loaded; every scheme is listed below.";
    });
})();
