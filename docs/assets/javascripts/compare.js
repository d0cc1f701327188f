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
  var select = box.querySelector("#compare-add");
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var el = window.rrs.el;
  var compareList = window.rrs.compareList;

  var ROWS = [
    ["Commissioner's office", function (s) { return s.offices; }],
    ["Force area", function (s) { return s.forces; }],
    ["Status", function (s) { return [s.status_text].concat(s.time_note ? [s.time_note] : []); }],
    ["Dates", function (s) { return s.dates ? [s.dates] : ["Not reported"]; }],
    ["Providers and partners", function (s) { return s.organisations.length ? s.organisations.map(function (o) { return o.name + " (" + o.role + ")"; }) : ["Not reported"]; }],
    ["Target groups", function (s) { return s.target_groups; }],
    ["Intervention types", function (s) { return s.intervention_types; }],
    ["Stage", function (s) { return s.stages; }],
    ["Funding", function (s) { return s.funding.length ? s.funding.concat(["Counted once in totals: " + s.funding_total]) : ["Not reported in the sources"]; }],
    ["Reoffending result", function (s) {
      return s.reoffending.length ? s.reoffending.map(function (r) {
        return r.measure + ": " + r.figure + (r.cohort ? " (" + r.cohort + ")" : "") + ". Measured as: " + r.form +
          "; follow-up: " + r.follow_up + "; compared with: " + r.comparison + "; measured by: " + r.measured_by +
          (r.caveat ? ". Caveat: " + r.caveat : "");
      }) : ["Not reported in the sources"];
    }],
    ["Other results", function (s) {
      var other = s.results.filter(function (o) { return !s.reoffending.some(function (r) { return r.measure === o.measure; }); });
      return other.length ? other.map(figure) : ["Not reported in the sources"];
    }],
    ["Activity", function (s) { return s.activity.length ? s.activity.map(figure) : ["Not reported in the sources"]; }],
    ["Evidence", function (s) { return [s.evidence_step]; }],
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

  function draw(list) {
    output.textContent = "";
    if (!list.length) return;
    var wrap = el("div", { "class": "rrs-table-wrap" });
    var table = el("table", { "class": "rrs-compare-table" });
    table.appendChild(el("caption", null, "Schemes side by side"));
    var head = el("tr");
    head.appendChild(el("th", { scope: "col" }, "Field"));
    list.forEach(function (s) {
      var th = el("th", { scope: "col", "data-slug": s.slug });
      th.appendChild(el("a", { href: base + "schemes/" + s.slug + "/" }, s.title));
      th.appendChild(el("br"));
      var remove = el("button", { type: "button", "class": "rrs-button", "data-remove": s.slug }, "Remove");
      remove.setAttribute("aria-label", "Remove " + s.title + " from the comparison");
      th.appendChild(remove);
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    var summary = el("tr");
    summary.appendChild(el("th", { scope: "row" }, "Summary"));
    list.forEach(function (s) { summary.appendChild(el("td", null, s.summary)); });
    body.appendChild(summary);
    ROWS.forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, row[0]));
      list.forEach(function (s) {
        var td = el("td");
        var values = row[1](s);
        if (values.length > 1) {
          var ul = el("ul");
          values.forEach(function (v) { ul.appendChild(el("li", null, v)); });
          td.appendChild(ul);
        } else {
          td.textContent = values[0] || "";
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    wrap.appendChild(table);
    output.appendChild(wrap);
  }

  select.addEventListener("change", function () {
    var slug = select.value;
    select.value = "";
    if (!slug) return;
    var list = chosen();
    if (list.indexOf(slug) >= 0) return;
    if (list.length >= 4) { message(["You can compare up to four schemes; remove one first."]); return; }
    list.push(slug);
    setChosen(list, true);
  });
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
