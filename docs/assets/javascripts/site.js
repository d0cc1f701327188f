/* Copy buttons: <button data-copy-target="ID"> copies the text of element ID. */
(function () {
  "use strict";
  function copyText(text, button) {
    var done = function () {
      var old = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = old; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else {
      fallback(text);
      done();
    }
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (target) copyText(target.textContent.trim(), button);
  });
})();

/* Print: remember each link's full address so print styles can show it. */
document.addEventListener("DOMContentLoaded", function () {
  // (HTML links only: an SVG link's href is an object, and print shows no address beside a map tile)
  document.querySelectorAll(".md-content article a[href]:not(svg a)").forEach(function (a) {
    if (a.getAttribute("href").charAt(0) !== "#") a.setAttribute("data-print-url", a.href);
  });
});

/* "Add to compare" on scheme pages: the choice is kept by rrs.compareList (shared.js). */
(function () {
  "use strict";
  var compareList = window.rrs.compareList;
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-compare-add]");
    if (!button) return;
    var go = document.querySelector(".rrs-compare-go");
    var slug = button.getAttribute("data-compare-add");
    var base = go.getAttribute("href");
    function sync() {
      var list = compareList.read();
      var on = list.indexOf(slug) >= 0;
      button.textContent = on ? "Remove from compare" : "Add to compare";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      go.hidden = list.length === 0;
      go.textContent = "Open comparison (" + list.length + ")";
      go.setAttribute("href", base.split("?")[0] + (list.length ? "?schemes=" + list.join(",") : ""));
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (compareList.toggle(slug).full) { button.textContent = "Four already chosen: open the comparison"; return; }
      sync();
    });
    sync();
  });
})();
