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

from questionnaires.definitions import Definition, Question
from questionnaires.question_types import FormData, first_value, question_type

_first = first_value


def parse_question(q: Question, form: FormData) -> tuple[object, str | None]:
    """(value, error) of one question from the form; the value is None when unanswered (its type's parse,
    questionnaires.question_types)."""
    return question_type(q).parse(q, form)


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
        kind = question_type(q)
        if not kind.in_form:  # calculated: computed, never sent; a file: uploaded apart, or removed here
            if kind.uploaded and file_removed(q, form):
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
