"""Answers as people read them: choice labels instead of codes, in the reader's language."""

from __future__ import annotations

from questionnaires.definitions import Definition, Question, tr
from questionnaires.question_types import question_type
from questionnaires.question_types.process import step_text  # noqa: F401  (re-exported)
from questionnaires.question_types.simple import number_text  # noqa: F401  (re-exported)
from questionnaires.services.validation import is_empty


def language_for(definition: Definition, preferred: str | None) -> str:
    """The user's language if the questionnaire has it, else its own (English, or the one it was written in)."""
    return preferred if preferred and preferred in definition.languages else definition.primary_language


def display_text(q: Question, value: object, lang: str = "en") -> str:
    """One line of text for any answer ('—' when unanswered; otherwise its type's display,
    questionnaires.question_types)."""
    if is_empty(value):
        return "—"
    return question_type(q).display(q, value, lang)


def row_label(q: Question, value: str, lang: str = "en") -> str:
    for r in q.rows:
        if r.value == value:
            return tr(r.label, lang)
    return value
