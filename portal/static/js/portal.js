// Small progressive enhancements shared by every page (no inline script: the CSP forbids it).
(function () {
  "use strict";
  // Buttons that ask before a destructive or sensitive action: <button data-confirm="…">
  document.addEventListener("submit", function (ev) {
    var btn = ev.submitter;
    var question = (btn && btn.getAttribute("data-confirm")) || ev.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { ev.preventDefault(); }
  });
  // <select data-autosubmit> submits its filter form when changed
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // A table wider than the window scrolls sideways in its .table-responsive box: the box takes the
  // keyboard focus (arrow keys scroll it) and is named by the table's caption (WCAG 2.1.1).
  function focusableWhenScrolling() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      }
    });
  }
  focusableWhenScrolling();
  window.addEventListener("resize", focusableWhenScrolling);
})();
