/*
 * Compare (/compare/?schemes=a,b,c): two to four schemes side by side.
 * Each scheme's data comes from data/schemes/<slug>.json. Text is set with
 * textContent only. Unknown slugs get a clear message, not a blank page.
 * The choice is also kept with rrs.compareList (shared.js), so the finder and
 * scheme pages see it.
 */
(function () {
  "use strict";
  var box = document.querySelector(".rrs-compare");
  if (!box) return;
  var base = box.getAttribute("data-root");
  var output = box.querySelector(".rrs-compare-output");
  var messages = box.querySelector(".rrs-compare-messages");
  var form = box.querySelector(".rrs-compare-form");
  var input = box.querySelector("#compare-add");
  var options = Array.from(box.querySelectorAll("#compare-options option"));
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var NOT_REPORTED = "Not reported in the sources";
  var el = window.rrs.el;
  var compareList = window.rrs.compareList;

  /* The rows after the scheme's headline panel (s.headline: the same rows, in the same
     order, as the top of its page): results first, then who it is for and what it does.
     Each gives a list of lines; an empty list reads NOT_REPORTED. */
  var ROWS = [
    ["Reoffending result", function (s) {
      return s.reoffending.map(function (r) {
        return r.measure + ": " + r.figure + (r.cohort ? " (" + r.cohort + ")" : "") + ". Measured as: " + r.form +
          "; follow-up: " + r.follow_up + "; compared with: " + r.comparison + "; measured by: " + r.measured_by +
          (r.caveat ? ". Caveat: " + r.caveat : "");
      });
    }],
    ["Other results", function (s) {
      return s.results.filter(function (o) { return !s.reoffending.some(function (r) { return r.measure === o.measure; }); }).map(figure);
    }],
    ["Activity", function (s) { return s.activity.map(figure); }],
    ["Target groups", function (s) { return s.target_groups; }],
    ["Intervention types", function (s) { return s.intervention_types; }],
    ["Stage", function (s) { return s.stages; }],
    ["Providers and partners", function (s) { return s.organisations.map(function (o) { return o.name + " (" + o.role + ")"; }); }],
    ["Dates of the information", function (s) { return [s.checked]; }],
  ];

  function figure(o) {
    return o.measure + ": " + o.figure + (o.cohort ? " (" + o.cohort + ")" : "") + (o.period ? ", " + o.period : "") +
      " [" + o.evidence + "]" + (o.caveat ? " Caveat: " + o.caveat : "");
  }

  function chosen() {
    var raw = new URLSearchParams(location.search).get("schemes") || "";
    var seen = [];
    raw.split(",").map(function (s) { return s.trim(); }).filter(Boolean).forEach(function (s) {
      if (seen.indexOf(s) < 0) seen.push(s);
    });
    return seen;
  }

  function setChosen(list, push) {
    var url = location.pathname + (list.length ? "?schemes=" + list.join(",") : "");
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
    compareList.write(list);
    show();
  }

  function message(lines) {
    messages.textContent = "";
    lines.forEach(function (line) { messages.appendChild(el("p", { "class": "rrs-compare-message" }, line)); });
  }

  function show() {
    var slugs = chosen();
    var notes = [];
    if (slugs.length > 4) {
      notes.push("You can compare up to four schemes; showing the first four.");
      slugs = slugs.slice(0, 4);
    }
    var bad = slugs.filter(function (s) { return !SLUG.test(s); });
    slugs = slugs.filter(function (s) { return SLUG.test(s); });
    bad.forEach(function (s) { notes.push("\u201c" + s + "\u201d is not a scheme identifier."); });
    Promise.all(slugs.map(function (slug) {
      return fetch(base + "data/schemes/" + slug + ".json")
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    })).then(function (results) {
      var found = [];
      results.forEach(function (data, i) {
        if (data) found.push(data);
        else notes.push("No scheme has the identifier \u201c" + slugs[i] + "\u201d. It may have been mistyped; choose schemes from the list above.");
      });
      if (found.length < 2) notes.push(found.length === 1 ? "Choose at least one more scheme to compare." : "Choose two to four schemes to compare.");
      message(notes);
      draw(found);
    });
  }

  /* One cell: a line of text, or a list when there are several; a quieter note below. */
  function cell(td, lines, note, reported) {
    if (!reported) {
      td.appendChild(el("span", { "class": "rrs-not-reported" }, NOT_REPORTED));
      return td;
    }
    if (lines.length > 1) {
      var ul = el("ul", { "class": "rrs-cell-list" });
      lines.forEach(function (v) { ul.appendChild(el("li", null, v)); });
      td.appendChild(ul);
    } else {
      td.appendChild(document.createTextNode(lines[0] || ""));
    }
    if (note) td.appendChild(el("span", { "class": "rrs-summary-note" }, note));
    return td;
  }

  function scale(reached) {
    var span = el("span", { "class": "rrs-scale", "aria-hidden": "true" });
    reached.forEach(function (on) { span.appendChild(el("span", { "class": "rrs-scale-step" + (on ? " rrs-scale-step--on" : "") })); });
    return span;
  }

  function draw(list) {
    output.textContent = "";
    if (!list.length) return;
    var wrap = el("div", { "class": "rrs-table-wrap rrs-compare-wrap", role: "region", tabindex: "0",
      "aria-labelledby": "compare-caption" });
    var table = el("table", { "class": "rrs-table rrs-compare-table" });
    table.appendChild(el("caption", { id: "compare-caption" }, "Schemes side by side"));
    var head = el("tr");
    head.appendChild(el("td", { "class": "rrs-compare-corner" }));
    list.forEach(function (s) {
      var th = el("th", { scope: "col", "data-slug": s.slug });
      th.appendChild(el("a", { href: base + "schemes/" + s.slug + "/" }, s.title));
      var remove = el("button", { type: "button", "class": "rrs-button rrs-compare-remove", "data-remove": s.slug }, "Remove");
      remove.setAttribute("aria-label", "Remove " + s.title + " from the comparison");
      th.appendChild(remove);
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    function row(label, fill, key) {
      var tr = el("tr", key ? { "data-row": key } : null);
      tr.appendChild(el("th", { scope: "row" }, label));
      list.forEach(function (s) { tr.appendChild(fill(s, el("td"))); });
      body.appendChild(tr);
    }
    row("Summary", function (s, td) { return cell(td, [s.summary], "", true); });
    (list[0].headline || []).forEach(function (first, i) {
      row(first.label, function (s, td) {
        var h = s.headline[i];
        if (h.key === "evidence" && h.reported) {
          td.appendChild(scale(s.evidence_scale));
          td.appendChild(document.createTextNode(" "));
        }
        return cell(td, h.lines, h.note, h.reported);
      }, first.key);
    });
    ROWS.forEach(function (r) {
      row(r[0], function (s, td) {
        var lines = r[1](s);
        return cell(td, lines, "", lines.length > 0);
      });
    });
    table.appendChild(body);
    wrap.appendChild(table);
    output.appendChild(wrap);
  }

  /* The scheme the chooser's text names: an option's exact text, else the only option
     (title and force areas) holding every word typed. */
  function pick(text) {
    var t = text.trim().toLowerCase();
    if (!t) return { slug: null, matches: 0 };
    for (var i = 0; i < options.length; i++) if (options[i].value.toLowerCase() === t) return { slug: options[i].getAttribute("data-slug"), matches: 1 };
    var words = t.split(/\s+/);
    var found = options.filter(function (o) {
      var v = o.value.toLowerCase();
      return words.every(function (w) { return v.indexOf(w) >= 0; });
    });
    return { slug: found.length === 1 ? found[0].getAttribute("data-slug") : null, matches: found.length };
  }

  function add(slug) {
    var list = chosen();
    if (list.indexOf(slug) >= 0) { message(["That scheme is already in the comparison."]); return; }
    if (list.length >= 4) { message(["You can compare up to four schemes; remove one first."]); return; }
    list.push(slug);
    input.value = "";
    setChosen(list, true);
  }

  // Choosing from the list fills in an option's exact text: add it at once.
  input.addEventListener("input", function () {
    var exact = options.find(function (o) { return o.value === input.value; });
    if (exact) add(exact.getAttribute("data-slug"));
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var found = pick(input.value);
    if (found.slug) add(found.slug);
    else if (!input.value.trim()) message(["Type part of a scheme's title or force area first."]);
    else if (!found.matches) message(["No scheme matches \u201c" + input.value.trim() + "\u201d."]);
    else message([found.matches + " schemes match \u201c" + input.value.trim() + "\u201d; type more of the title, or choose one from the list."]);
  });
  box.querySelector("[data-compare-print]").addEventListener("click", function () { window.print(); });
  output.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove]");
    if (!button) return;
    setChosen(chosen().filter(function (s) { return s !== button.getAttribute("data-remove"); }), true);
  });
  box.querySelector("[data-compare-clear]").addEventListener("click", function () { setChosen([], true); });
  window.addEventListener("popstate", show);

  // Arriving with no choice in the address: use what was picked elsewhere.
  if (!chosen().length) {
    var stored = compareList.read();
    if (stored.length) history.replaceState(null, "", location.pathname + "?schemes=" + stored.join(","));
  }
  form.hidden = false;
  box.querySelector(".rrs-compare-nojs").hidden = true;
  show();
})();
