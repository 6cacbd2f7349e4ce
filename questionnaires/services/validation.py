"""What a valid answer is: the value's shape per question type, `constraint`, `relevant` and `required`.

Answers are plain JSON values in the shapes of FORMAT.md. An empty value ('' / [] / {} / None) is
"unanswered". Relevance is evaluated in document order: a question whose section or own `relevant`
is false is irrelevant, and from then on its answer counts as '' for the expressions that follow
(portal/static/js/questionnaire.js does exactly the same in the page).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from questionnaires import expressions
from questionnaires.definitions import (
    CHOICE_REF,
    Choice,
    Definition,
    Question,
    tr,
)
from questionnaires.question_types import question_type


def is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict | tuple):
        return len(value) == 0
    return False


def clean(value: object) -> object:
    """The stored form of a value: empty values become None."""
    return None if is_empty(value) else value


def same_value(a: object, b: object) -> bool:
    return clean(a) == clean(b)


def _classified(value: object) -> str | None:
    """Text marked as EU classified information is refused, in any answer (portal.markings)."""
    from portal.markings import classified_problem

    if isinstance(value, str):
        return classified_problem(value)
    if isinstance(value, list | tuple):
        return next((p for p in map(_classified, value) if p), None)
    if isinstance(value, dict):
        return next((p for p in map(_classified, value.values()) if p), None)
    return None


def shape_error(q: Question, value: object, lang: str = "en") -> str | None:
    """Why `value` is not a valid (non-empty) answer to `q`, or None (classified text refused, then its
    type's check, questionnaires.question_types). Constraints are not checked here."""
    if problem := _classified(value):
        return problem
    return question_type(q).check(q, value)


def allowed_choices(q: Question, answers: Mapping[str, object]) -> list[Choice]:
    """The choices the question offers given the other answers: those its choice_filter keeps (all without one).

    The filter reads the earlier answers as ${question} and the choice's own columns as ${choice.<column>};
    portal/static/js/questionnaire.js applies the same filter in the page."""
    if not q.choice_filter:
        return list(q.choices)
    node = expressions.parse(q.choice_filter)
    return [c for c in q.choices if expressions.is_true(node, {**answers, **choice_scope(q, c.value)})]


def choice_scope(q: Question, value: str) -> dict[str, str]:
    """What a choice_filter reads of one choice: ${choice.name} (its value) and ${choice.<column>}."""
    choice = next((c for c in q.choices if c.value == value), None)
    filters = choice.filters if choice else {}
    return {f"{CHOICE_REF}name": value, **{f"{CHOICE_REF}{k}": v for k, v in filters.items()}}


def filter_error(q: Question, value: object, answers: Mapping[str, object]) -> str | None:
    if not q.choice_filter:
        return None
    allowed = {c.value for c in allowed_choices(q, answers)}
    chosen = value if isinstance(value, list) else [value]
    if any(v not in allowed for v in chosen):
        return "This option is not offered for your earlier answers: choose again."
    return None


def constraint_error(q: Question, value: object, answers: Mapping[str, object], lang: str = "en") -> str | None:
    """The constraint message when `q.constraint` is false for this (non-empty) value."""
    if not q.constraint or is_empty(value):
        return None
    if expressions.is_true(q.constraint, answers, value):
        return None
    return tr(q.constraint_message, lang) or "This answer is not allowed."


def value_error(q: Question, value: object, answers: Mapping[str, object], lang: str = "en") -> str | None:
    """Shape, then constraint; None when the value is empty or valid."""
    if is_empty(value):
        return None
    return (shape_error(q, value, lang) or filter_error(q, value, answers)
            or constraint_error(q, value, answers, lang))


def calculated_value(value: object) -> object:
    """A calculation's result as it is shown and stored among the answers: a number, text or None (NaN, '')."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else round(value, 6)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = " ".join(value)
    return value if isinstance(value, str) and value else None


def _walk(definition: Definition, answers: Mapping[str, object]):
    """Relevance in document order; a relevant calculated question gets its value from the answers before it."""
    effective = {k: v for k, v in answers.items() if not is_empty(v)}
    sections: dict[str, bool] = {}
    questions: dict[str, bool] = {}
    for section in definition.sections:
        shown = not section.relevant or expressions.is_true(section.relevant, effective)
        sections[section.id] = shown
        for q in section.questions:
            rel = shown and (not q.relevant or expressions.is_true(q.relevant, effective))
            questions[q.id] = rel
            if question_type(q).computed:
                effective.pop(q.id, None)
                if rel and (result := calculated_value(expressions.evaluate(q.calculation, effective))) is not None:
                    effective[q.id] = result
            elif not rel:
                effective.pop(q.id, None)
    return sections, questions, effective


def relevance(definition: Definition, answers: Mapping[str, object]) -> tuple[dict[str, bool], dict[str, bool]]:
    """({section_id: relevant}, {question_id: relevant}) in document order (see the module docstring)."""
    sections, questions, _ = _walk(definition, answers)
    return sections, questions


def calculated_values(definition: Definition, answers: Mapping[str, object]) -> dict[str, object]:
    """{calculated question id: its value (None when irrelevant or empty)} for these answers."""
    _, _, effective = _walk(definition, answers)
    return {q.id: effective.get(q.id) for q in definition.questions if question_type(q).computed}


def effective_answers(definition: Definition, answers: Mapping[str, object]) -> dict[str, object]:
    """The answers that count: non-empty answers of relevant questions, and the values of calculated ones."""
    _, relevant, effective = _walk(definition, answers)
    return {k: v for k, v in effective.items() if relevant.get(k)}


@dataclass(frozen=True)
class Problem:
    question_id: str
    section_id: str
    label: str
    message: str

    @property
    def anchor(self) -> str:
        return f"q-{self.question_id}"


def problems_for_submit(definition: Definition, answers: Mapping[str, object], lang: str = "en",
                        carried: Mapping[str, int] | None = None) -> list[Problem]:
    """Every missing required answer and every invalid answer among the relevant questions, in order; and
    every answer carried over from an earlier round (`carried`: {question id: its year}) not yet confirmed."""
    carried = carried or {}
    _, relevant, effective = _walk(definition, answers)
    found: list[Problem] = []
    for section in definition.sections:
        for q in section.questions:
            if not relevant[q.id] or question_type(q).computed:
                continue
            value = answers.get(q.id)
            if is_empty(value):
                message = "This answer is required." if q.required else None
            else:
                message = value_error(q, value, effective, lang)
                if message is None and q.required:
                    message = question_type(q).incomplete(q, value)
                if message is None and q.id in carried:
                    message = f"Carried over from {carried[q.id]} and not yet confirmed: confirm it or change it."
            if message:
                found.append(Problem(q.id, section.id, tr(q.label, lang), message))
    return found


def answered_share(definition: Definition, answers: Mapping[str, object]) -> tuple[int, int]:
    """(answered, relevant) question counts: the progress of a draft."""
    _, relevant = relevance(definition, answers)
    asked = {q.id for q in definition.questions if not question_type(q).computed}
    total = sum(1 for k, v in relevant.items() if v and k in asked)
    done = sum(1 for k, v in relevant.items() if v and k in asked and not is_empty(answers.get(k)))
    return done, total
