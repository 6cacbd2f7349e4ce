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
})();
