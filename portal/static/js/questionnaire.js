/* The answering page: live relevance (SpocExpr), autosave, process tables, print button.
 *
 * Progressive enhancement only: without JS the form posts and the server (which is authoritative)
 * computes the same relevance. Relevance is evaluated in document order exactly as
 * questionnaires/services/validation.py relevance() does: an irrelevant question's answer counts
 * as '' for the expressions after it.
 */
(function () {
  "use strict";

  document.querySelectorAll(".js-only").forEach(function (el) { el.classList.remove("d-none"); });
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });

  var form = document.getElementById("questionnaire-form");
  // the page's words (data-texts, in its language); {name} marks a value
  var TEXTS = {};
  try { TEXTS = JSON.parse((form && form.getAttribute("data-texts")) || "{}"); } catch (e) { TEXTS = {}; }
  function say(key, fallback, values) {
    var text = TEXTS[key] || fallback;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    return text;
  }
  if (!form) { return; }

  // A field reached with the keyboard is scrolled clear of the sticky save bar (WCAG 2.4.11).
  var saveBar = form.querySelector(".form-actions.sticky-bottom");
  if (saveBar) {
    form.addEventListener("focusin", function (event) {
      if (saveBar.contains(event.target)) { return; }
      var hidden = event.target.getBoundingClientRect().bottom - saveBar.getBoundingClientRect().top;
      if (hidden > 0) { window.scrollBy({top: hidden + 16, behavior: "instant"}); }
    });
  }
  var Expr = window.SpocExpr;
  var AUTOSAVE_DELAY_MS = 3000;
  var statusEl = document.getElementById("autosave-status");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var dirty = {};
  var timer = null;
  var saving = false;

  function questions() { return form.querySelectorAll("[data-qid]"); }

  function isEmpty(v) {
    return v === "" || v === null || v === undefined || (Array.isArray(v) && v.length === 0);
  }

  // The value of a question as the expressions see it (matrix, process and file answers are '').
  function valueOf(el) {
    var qid = el.getAttribute("data-qid");
    var type = el.getAttribute("data-type");
    var name = "a." + qid;
    var inputs, i, out;
    if (type === "single_choice" || type === "yes_no") {
      var checked = el.querySelector('input[name="' + name + '"]:checked');
      return checked ? checked.value : "";
    }
    if (type === "multiple_choice") {
      out = [];
      inputs = el.querySelectorAll('input[name="' + name + '"]:checked');
      for (i = 0; i < inputs.length; i++) { out.push(inputs[i].value); }
      return out;
    }
    if (type === "ranking") {
      out = [];
      inputs = el.querySelectorAll("select");
      for (i = 0; i < inputs.length; i++) { if (inputs[i].value) { out.push(inputs[i].value); } }
      return out;
    }
    if (type === "text" || type === "long_text" || type === "number" || type === "date" || type === "time" ||
        type === "datetime") {
      var input = el.querySelector('[name="' + name + '"]');
      return input ? input.value.trim() : "";
    }
    return "";
  }

  function relevantBy(expr, answers) {
    if (!expr) { return true; }
    try {
      return Expr.isTrue(expr, answers);
    } catch (e) {
      return true; // a definition is checked when published; never hide on an evaluator error
    }
  }

  // As validation.py calculated_value(): NaN and '' show as empty, numbers with at most 6 decimals.
  function calculatedValue(v) {
    if (typeof v === "number") { return isFinite(v) ? Number(v.toFixed(6)) : ""; }
    if (typeof v === "boolean") { return v ? "true" : "false"; }
    if (Array.isArray(v)) { return v.join(" "); }
    return v;
  }

  // A choice_filter hides the options it does not keep (as validation.py allowed_choices()); a hidden
  // option that was chosen is unticked, so the answer is chosen again.
  function applyChoiceFilter(el, answers) {
    var filter = el.getAttribute("data-choice-filter");
    el.querySelectorAll("[data-choice]").forEach(function (option) {
      var scope = Object.assign({}, answers, JSON.parse(option.getAttribute("data-choice")));
      var keep = true;
      try { keep = Expr.isTrue(filter, scope); } catch (e) { keep = true; }
      option.hidden = !keep;
      var input = option.querySelector("input");
      if (!keep && input && input.checked) { input.checked = false; }
    });
  }

  function applyRelevance() {
    if (!Expr) { return; }
    var answers = {};
    questions().forEach(function (el) {
      var v = valueOf(el);
      if (!isEmpty(v)) { answers[el.getAttribute("data-qid")] = v; }
    });
    // A calculated question gets its value in document order, after the relevance of the questions before it.
    form.querySelectorAll("[data-section]").forEach(function (section) {
      var shown = relevantBy(section.getAttribute("data-relevant"), answers);
      section.classList.toggle("hidden-by-logic", !shown);
      var link = document.querySelector('[data-section-link="' + section.getAttribute("data-section") + '"]');
      if (link) { link.classList.toggle("hidden-by-logic", !shown); }
      section.querySelectorAll("[data-qid]").forEach(function (el) {
        var qid = el.getAttribute("data-qid");
        var rel = shown && relevantBy(el.getAttribute("data-relevant"), answers);
        el.classList.toggle("hidden-by-logic", !rel);
        if (el.hasAttribute("data-choice-filter")) {
          applyChoiceFilter(el, answers);
          var now = valueOf(el);
          if (isEmpty(now)) { delete answers[qid]; } else { answers[qid] = now; }
        }
        if (el.hasAttribute("data-calculation")) {
          delete answers[qid];
          var result = "";
          if (rel) {
            try { result = calculatedValue(Expr.evaluate(el.getAttribute("data-calculation"), answers)); } catch (e) { result = ""; }
          }
          if (!isEmpty(result)) { answers[qid] = result; }
          var out = el.querySelector("[data-calculated]");
          if (out) { out.textContent = isEmpty(result) ? "\u2014" : String(result); }
        }
        if (!rel) { delete answers[qid]; }
      });
    });
  }

  function setStatus(text) { if (statusEl) { statusEl.textContent = text; } }

  function fieldsOf(qids) {
    // The form's fields that belong to these questions, as {name: [values]} (files never go here).
    var fields = { shown: qids.slice() };
    var data = new FormData(form);
    data.forEach(function (value, name) {
      if (typeof value !== "string") { return; }
      var m = /^(?:a|rev)\.([a-z][a-z0-9_]*)/.exec(name);
      if (!m || qids.indexOf(m[1]) < 0) { return; }
      (fields[name] = fields[name] || []).push(value);
    });
    return fields;
  }

  function questionEl(qid) { return form.querySelector('[data-qid="' + qid + '"]'); }

  function showError(qid, message) {
    var el = questionEl(qid);
    if (!el) { return; }
    var box = el.querySelector("[data-error]");
    if (box) { box.textContent = message || ""; }
    el.classList.toggle("border-danger", !!message);
  }

  function showConflict(qid, c) {
    var el = questionEl(qid);
    var box = el && el.querySelector("[data-conflict]");
    if (!box) { return; }
    box.textContent = "";
    var alert = document.createElement("div");
    alert.className = "alert alert-warning mt-2 mb-0 conflict-box";
    alert.setAttribute("role", "alert");
    var who = c.by || say("colleague", "A colleague");
    var lines = [
      c.at ? say("changed_at", "{who} changed this answer at {time} while you were editing.", {who: who, time: c.at})
           : say("changed", "{who} changed this answer while you were editing.", {who: who}),
      say("theirs", "Saved value (theirs): {value}", {value: c.theirs}),
      say("yours", "Your value (shown in the field): {value}", {value: c.yours}),
      say("again", "Save again to keep yours, or change the answer.")
    ];
    lines.forEach(function (text) {
      var div = document.createElement("div");
      div.textContent = text;
      alert.appendChild(div);
    });
    box.appendChild(alert);
    var rev = el.querySelector("[data-rev]");
    if (rev) { rev.value = c.revision; }
  }

  function autosave() {
    timer = null;
    var qids = Object.keys(dirty);
    if (!qids.length) { return; }
    if (saving) { schedule(); return; }
    var url = form.getAttribute("data-autosave-url");
    dirty = {};
    saving = true;
    setStatus(say("saving", "Saving…"));
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfMeta ? csrfMeta.content : "" },
      body: JSON.stringify({ fields: fieldsOf(qids) })
    }).then(function (resp) {
      return resp.json().then(function (body) { return { status: resp.status, body: body }; });
    }).then(function (r) {
      saving = false;
      var body = r.body || {};
      var errors = body.errors || {};
      qids.forEach(function (qid) { showError(qid, errors[qid]); });
      if (r.status === 422) {
        qids.forEach(function (qid) { dirty[qid] = true; });
        setStatus(body.message || say("not_saved", "Not saved."));
        return;
      }
      if (r.status >= 400 && !body.conflicts) {
        setStatus(body.message || say("not_saved_error", "Not saved (error {status}).", {status: r.status}));
        return;
      }
      Object.keys(body.revisions || {}).forEach(function (qid) {
        var el = questionEl(qid);
        if (!el) { return; }
        el.querySelector("[data-rev]").value = body.revisions[qid];
        var meta = el.querySelector("[data-meta]");
        if (meta && body.meta && body.meta[qid]) { meta.textContent = body.meta[qid]; }
        var box = el.querySelector("[data-conflict]");
        if (box) { box.textContent = ""; }
      });
      // a carried-over answer that was confirmed or changed is no longer marked
      (body.confirmed || []).concat(body.saved || []).forEach(function (qid) {
        var el = questionEl(qid);
        var mark = el && el.querySelector("[data-carried]");
        if (mark) { mark.parentNode.removeChild(mark); }
      });
      var conflicts = body.conflicts || {};
      Object.keys(conflicts).forEach(function (qid) { showConflict(qid, conflicts[qid]); });
      var count = document.getElementById("answered-count");
      if (count && typeof body.answered === "number") { count.textContent = body.answered; }
      // the server says when, in the user's time zone (not the browser's clock), and in the page's language
      if (body.status) { setStatus(body.status); return; }
      var hhmm = body.saved_at || "";
      setStatus(Object.keys(conflicts).length ? say("saved_conflicts", "Saved at {time}, with conflicts to look at.", {time: hhmm})
                                               : say("saved", "Draft saved automatically at {time}.", {time: hhmm}));
    }).catch(function () {
      saving = false;
      qids.forEach(function (qid) { dirty[qid] = true; });
      setStatus(say("offline", "Could not save automatically (offline?). Use “Save draft”."));
    });
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(autosave, AUTOSAVE_DELAY_MS);
  }

  function onChange(ev) {
    var el = ev.target.closest ? ev.target.closest("[data-qid]") : null;
    applyRelevance();
    if (!el || ev.target.type === "file") { return; }
    dirty[el.getAttribute("data-qid")] = true;
    setStatus(say("unsaved", "Unsaved changes…"));
    schedule();
  }

  form.addEventListener("input", onChange);
  form.addEventListener("change", onChange);
  form.addEventListener("submit", function () {
    if (timer) { clearTimeout(timer); timer = null; }
    dirty = {};
  });

  // Process tables: add and remove step rows; names a.<qid>.<i>.<field> stay unique.
  function nextIndex(table) {
    var max = -1;
    table.querySelectorAll("[name]").forEach(function (input) {
      var m = /^a\.[a-z0-9_]+\.(\d+)\./.exec(input.name);
      if (m) { max = Math.max(max, parseInt(m[1], 10)); }
    });
    return max + 1;
  }

  form.addEventListener("click", function (ev) {
    var add = ev.target.closest("[data-add-step]");
    var remove = ev.target.closest("[data-remove-step]");
    if (add) {
      var qid = add.getAttribute("data-add-step");
      var table = form.querySelector('[data-process="' + qid + '"]');
      var rows = table.querySelectorAll("[data-step-row]");
      var template = rows[rows.length - 1];
      var row = template.cloneNode(true);
      var index = nextIndex(table);
      row.querySelectorAll("[name]").forEach(function (input) {
        input.name = input.name.replace(/^(a\.[a-z0-9_]+\.)\d+(\.)/, "$1" + index + "$2");
        input.value = "";
      });
      // the row's accessible names with its own number, in the page's language (data-aria: "{n}" for the number)
      row.querySelectorAll("[data-aria]").forEach(function (el) {
        el.setAttribute("aria-label", el.getAttribute("data-aria").split("{n}").join(String(index + 1)));
      });
      table.querySelector("tbody").appendChild(row);
      row.querySelector("input").focus();
    } else if (remove) {
      var tr = remove.closest("[data-step-row]");
      var holder = tr.closest("[data-qid]");
      var body = tr.parentNode;
      if (body.querySelectorAll("[data-step-row]").length > 1) {
        body.removeChild(tr);
      } else {
        tr.querySelectorAll("[name]").forEach(function (input) { input.value = ""; });
      }
      dirty[holder.getAttribute("data-qid")] = true;
      schedule();
    }
  });

  applyRelevance();
})();
