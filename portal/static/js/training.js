/* The training feedback form: show a question only when its `relevant` expression holds (SpocExpr, the
 * same grammar the server evaluates). Progressive enhancement: without JS every question shows and the
 * server drops the answers of questions that do not apply. */
(function () {
  "use strict";
  var form = document.getElementById("feedback-form");
  if (!form || !window.SpocExpr) { return; }

  function answers() {
    var out = {};
    form.querySelectorAll("[data-qid]").forEach(function (el) {
      var qid = el.getAttribute("data-qid");
      var inputs = el.querySelectorAll('[name="a.' + qid + '"]');
      var values = [];
      inputs.forEach(function (input) {
        if ((input.type === "radio" || input.type === "checkbox")) {
          if (input.checked) { values.push(input.value); }
        } else if (input.value.trim() !== "") {
          values.push(input.value);
        }
      });
      var multi = el.getAttribute("data-type") === "multiple_choice";
      out[qid] = multi ? values : (values[0] || "");
    });
    return out;
  }

  function refresh() {
    var current = answers();
    form.querySelectorAll("[data-relevant]").forEach(function (el) {
      var shown = true;
      try { shown = window.SpocExpr.isTrue(el.getAttribute("data-relevant"), current); } catch (e) { shown = true; }
      el.classList.toggle("d-none", !shown);
    });
  }

  form.addEventListener("change", refresh);
  refresh();
}());
