// Meetings: propose the Presidency from the start date (the server does the same when the field is left on "proposed").
(function () {
  "use strict";
  var form = document.getElementById("meeting-form");
  if (!form) { return; }
  var calendar = JSON.parse(form.getAttribute("data-presidencies") || "{}");
  // the page's words, in the reader's language (the template's data-texts)
  var texts = JSON.parse(form.getAttribute("data-texts") || "{}");
  var start = document.getElementById("start");
  var out = document.getElementById("presidency-proposal");
  function propose() {
    var value = start.value;  // YYYY-MM-DDTHH:MM
    if (!value) { out.textContent = ""; return; }
    var year = value.slice(0, 4), month = parseInt(value.slice(5, 7), 10);
    var name = calendar[year + "-" + (month <= 6 ? 1 : 2)];
    out.textContent = name ? (texts.found || "Presidency on that date, from the calendar: {name}.").replace("{name}", name) :
      (texts.none || "The Presidency calendar has no entry for that date.");
  }
  start.addEventListener("change", propose);
  propose();
})();
