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
  document.querySelectorAll(".md-content article a[href]").forEach(function (a) {
    if (a.getAttribute("href").charAt(0) !== "#") a.setAttribute("data-print-url", a.href);
  });
});
