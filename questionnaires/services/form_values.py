"""From the answering page's form fields to answer values (and back, to fill the page).

Field names (the same for the full form post and for autosave, which sends the form as JSON):
``shown`` lists every question id on the page (so that an unticked checkbox list means "none");
``a.<qid>`` holds a simple answer (several values for multiple choice); ``a.<qid>.<row>`` a matrix
row; ``a.<qid>.rank.<n>`` the option at rank n; ``a.<qid>.<i>.<field>`` a process step's field;
``a.<qid>.remove`` drops an uploaded file (the upload itself travels as a file part, never here);
``a.<qid>.confirm`` (value 1) confirms an answer carried over from an earlier round;
``rev.<qid>`` the answer revision the page was built from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from questionnaires.definitions import PROCESS_FIELDS, Definition, Question

FormData = Mapping[str, list[str]]
_PROCESS_KEY = re.compile(r"a\.(?P<qid>[a-z][a-z0-9_]*)\.(?P<i>\d{1,3})\.(?P<field>[a-z_]+)")


def _first(form: FormData, key: str) -> str:
    values = form.get(key) or [""]
    return str(values[0])


def _parse_number(text: str, q: Question) -> tuple[object, str | None]:
    text = text.strip().replace(" ", "").replace(",", ".")
    if not text:
        return None, None
    try:
        number = float(text)
    except ValueError:
        return text, "Enter a number."
    if number != number or number in (float("inf"), float("-inf")):
        return text, "Enter a number."
    if number.is_integer():
        return int(number), None
    return number, None


def parse_question(q: Question, form: FormData) -> tuple[object, str | None]:
    """(value, error) of one question from the form; the value is None when unanswered."""
    key = f"a.{q.id}"
    t = q.type
    if t in ("single_choice", "yes_no", "text", "long_text", "date", "time", "datetime"):
        value = _first(form, key)
        if t == "text":
            value = value.strip()
        elif t == "long_text":
            value = value.replace("\r\n", "\n").strip()
        return (value or None), None
    if t == "number":
        return _parse_number(_first(form, key), q)
    if t == "multiple_choice":
        values = [str(v) for v in form.get(key, []) if str(v)]
        # keep the definition's order, whatever order the browser sent
        order = {v: i for i, v in enumerate(q.choice_values)}
        values = sorted(dict.fromkeys(values), key=lambda v: order.get(v, len(order)))
        return (values or None), None
    if t == "matrix":
        value = {r.value: _first(form, f"{key}.{r.value}") for r in q.rows}
        value = {k: v for k, v in value.items() if v}
        return (value or None), None
    if t == "ranking":
        ranked = [_first(form, f"{key}.rank.{n}") for n in range(1, len(q.choices) + 1)]
        ranked = [v for v in ranked if v]
        if len(set(ranked)) != len(ranked):
            return ranked, "Each option can have only one rank."
        return (ranked or None), None
    if t == "process":
        return _parse_process(q, form), None
    if t == "file":
        return None, None  # uploads are handled by the caller; see `file_removed`
    return None, None


def _parse_process(q: Question, form: FormData) -> list[dict] | None:
    rows: dict[int, dict[str, str]] = {}
    for name in form:
        m = _PROCESS_KEY.fullmatch(name)
        if m and m["qid"] == q.id and m["field"] in PROCESS_FIELDS:
            rows.setdefault(int(m["i"]), {})[m["field"]] = _first(form, name).strip()
    steps = []
    for i in sorted(rows):
        step = {f: rows[i].get(f, "") for f in PROCESS_FIELDS}
        if any(step.values()):
            steps.append(step)
    return steps or None


def shown_questions(definition: Definition, form: FormData) -> list[Question]:
    """The questions the page showed (and therefore sent), in document order."""
    ids = set(form.get("shown", []))
    return [q for q in definition.questions if q.id in ids]


def confirmed_ids(definition: Definition, form: FormData) -> list[str]:
    """The carried-over answers the respondent confirmed: ticked ``a.<qid>.confirm`` boxes of shown questions."""
    return [q.id for q in shown_questions(definition, form) if _first(form, f"a.{q.id}.confirm") == "1"]


def file_removed(q: Question, form: FormData) -> bool:
    return _first(form, f"a.{q.id}.remove") == "1"


def parse_form(definition: Definition, form: FormData) -> tuple[dict[str, object], dict[str, str]]:
    """({question_id: value}, {question_id: error}) for the shown, non-file questions."""
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for q in shown_questions(definition, form):
        if q.type == "calculated":
            continue  # computed from the other answers, never sent
        if q.type == "file":
            if file_removed(q, form):
                values[q.id] = None
            continue
        value, error = parse_question(q, form)
        values[q.id] = value
        if error:
            errors[q.id] = error
    return values, errors


def base_revisions(definition: Definition, form: FormData) -> dict[str, int]:
    """{question_id: revision the page saw} for the shown questions (0: no answer when loaded)."""
    out = {}
    for q in shown_questions(definition, form):
        text = _first(form, f"rev.{q.id}")
        out[q.id] = int(text) if text.isdigit() else 0
    return out
