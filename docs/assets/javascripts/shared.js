/*
 * Helpers shared by site.js, finder.js and compare.js, under window.rrs.
 * Loaded on every page before them (docs/overrides/main.html).
 *
 *   rrs.el(tag, attrs, text)     a new element; text is set with textContent,
 *                                never parsed as HTML
 *   rrs.compareList.read()       the chosen slugs (at most four), [] if none
 *                                or if localStorage is unavailable or garbled
 *   rrs.compareList.write(list)  keeps the first four; returns what was kept
 *   rrs.compareList.toggle(slug) removes slug if chosen, else adds it if fewer
 *                                than four are chosen; returns
 *                                {list, on: slug is now chosen, full: refused}
 *   rrs.compareList.MAX          4
 */
(function () {
  "use strict";
  var rrs = window.rrs = window.rrs || {};
  var KEY = "rrs-compare";
  var MAX = 4;

  rrs.el = function (tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  };

  function read() {
    try {
      var list = JSON.parse(localStorage.getItem(KEY) || "[]");
      if (!Array.isArray(list)) return [];
      return list.filter(function (s) { return typeof s === "string"; }).slice(0, MAX);
    } catch (e) { return []; }
  }

  function write(list) {
    var kept = list.slice(0, MAX);
    try { localStorage.setItem(KEY, JSON.stringify(kept)); } catch (e) { /* private mode */ }
    return kept;
  }

  function toggle(slug) {
    var list = read();
    var at = list.indexOf(slug);
    if (at >= 0) list.splice(at, 1);
    else if (list.length < MAX) list.push(slug);
    else return { list: list, on: false, full: true };
    return { list: write(list), on: at < 0, full: false };
  }

  rrs.compareList = { MAX: MAX, read: read, write: write, toggle: toggle };
})();
