"""What a valid answer is: the value's shape per question type, `constraint`, `relevant` and `required`.

Answers are plain JSON values in the shapes of FORMAT.md. An empty value ('' / [] / {} / None) is
"unanswered". Relevance is evaluated in document order: a question whose section or own `relevant`
is false is irrelevant, and from then on its answer counts as '' for the expressions that follow
(portal/static/js/questionnaire.js does exactly the same in the page).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from questionnaires import expressions
from questionnaires.definitions import (
    AUTOMATION,
    CHOICE_REF,
    PROCESS_FIELDS,
    PROCESS_OPTIONAL_FIELDS,
    RATINGS,
    Choice,
    Definition,
    Question,
    tr,
)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2})?")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?")


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


def _number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


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
    """Why `value` is not a valid (non-empty) answer to `q`, or None. Constraints are not checked here."""
    if problem := _classified(value):
        return problem
    t = q.type
    if t in ("single_choice", "yes_no"):
        if not isinstance(value, str) or value not in q.choice_values:
            return "Choose one of the options."
        return None
    if t == "multiple_choice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "Give a list of options."
        if len(set(value)) != len(value):
            return "An option is chosen twice."
        unknown = [v for v in value if v not in q.choice_values]
        if unknown:
            return f"Unknown option(s): {', '.join(unknown)}."
        if q.min_selected is not None and len(value) < q.min_selected:
            return f"Choose at least {q.min_selected} options."
        if q.max_selected is not None and len(value) > q.max_selected:
            return f"Choose at most {q.max_selected} options."
        return None
    if t in ("text", "long_text"):
        if not isinstance(value, str):
            return "Enter text."
        limit = min(q.max_length, MAX_TEXT_CHARS) if q.max_length is not None else MAX_TEXT_CHARS
        if len(value) > limit:
            return f"At most {limit} characters (this is {len(value)})."
        if t == "text" and ("\n" in value or "\r" in value):
            return "Enter a single line."
        return None
    if t == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return "Enter a number."
        if q.integer and not float(value).is_integer():
            return "Enter a whole number."
        if q.min is not None and value < q.min:
            return f"The smallest allowed value is {_number_text(q.min)}."
        if q.max is not None and value > q.max:
            return f"The largest allowed value is {_number_text(q.max)}."
        if q.step is not None and not _on_step(value, q.min or 0, q.step):
            return f"Choose a value in steps of {_number_text(q.step)} from {_number_text(q.min or 0)}."
        return None
    if t == "date":
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            return "Enter a date as YYYY-MM-DD."
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "Enter a real date as YYYY-MM-DD."
        return None
    if t == "time":
        if not isinstance(value, str) or not _TIME.fullmatch(value):
            return "Enter a time as HH:MM."
        try:
            dt.time.fromisoformat(value)
        except ValueError:
            return "Enter a real time as HH:MM."
        return None
    if t == "datetime":
        if not isinstance(value, str) or not _DATETIME.fullmatch(value):
            return "Enter a date and time as YYYY-MM-DDTHH:MM."
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            return "Enter a real date and time as YYYY-MM-DDTHH:MM."
        return None
    if t == "calculated":
        return "This value is calculated; it cannot be answered."
    if t == "matrix":
        if not isinstance(value, dict):
            return "Give one choice per row."
        rows = {r.value for r in q.rows}
        for row, choice in value.items():
            if row not in rows:
                return f"Unknown row {row!r}."
            if choice not in q.choice_values:
                return f"Row {row!r}: choose one of the options."
        return None
    if t == "ranking":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "Give the options in order, best first."
        if len(set(value)) != len(value):
            return "Each option can have only one rank."
        unknown = [v for v in value if v not in q.choice_values]
        if unknown:
            return f"Unknown option(s): {', '.join(unknown)}."
        return None
    if t == "file":
        if (not isinstance(value, dict) or set(value) != {"file_id", "name"}
                or not isinstance(value["file_id"], int) or isinstance(value["file_id"], bool)
                or not isinstance(value["name"], str)):
            return "Upload a file."
        return None
    if t == "process":
        return _process_error(value)
    return f"Unknown question type {t}."


# A process of a SPOC has a few dozen steps; these bounds keep one answer from weighing megabytes
# (every page, export and report reads the answers).
MAX_PROCESS_STEPS = 200
MAX_STEP_FIELD_CHARS = 1000
MAX_TEXT_CHARS = 50_000  # any text answer, whatever max_length its question sets or omits


def _on_step(value: float, start: float, step: float) -> bool:
    steps = (value - start) / step
    return abs(steps - round(steps)) < 1e-9


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


def _process_error(value: object) -> str | None:
    """A process answer: steps with the fields of PROCESS_FIELDS. The fields of PROCESS_OPTIONAL_FIELDS may be
    absent (an answer written before they existed, or an API client that does not send them): they read as "".
    Step names are unique within a path (the main path, or one variant); a step depends on a step of its own
    path or of the main path."""
    if not isinstance(value, list) or not all(isinstance(s, dict) for s in value):
        return "Give the process as a list of steps."
    if len(value) > MAX_PROCESS_STEPS:
        return f"A process has at most {MAX_PROCESS_STEPS} steps (this has {len(value)})."
    names: dict[str, list[str]] = {}
    for i, step in enumerate(value, start=1):
        missing = sorted(set(PROCESS_FIELDS) - set(step) - set(PROCESS_OPTIONAL_FIELDS))
        extra = sorted(set(step) - set(PROCESS_FIELDS))
        if missing or extra:
            what = (f"missing {', '.join(missing)}" if missing else "") + \
                   (f"{'; ' if missing else ''}unknown {', '.join(extra)}" if extra else "")
            return f"Step {i}: {what}."
        if not all(isinstance(step[f], str) for f in step):
            return f"Step {i}: every field is text."
        long = next((f for f in PROCESS_FIELDS if len(step.get(f, "")) > MAX_STEP_FIELD_CHARS), None)
        if long:
            return f"Step {i}: the {long.replace('_', ' ')} has more than {MAX_STEP_FIELD_CHARS} characters."
        if not step["step"].strip():
            return f"Step {i}: give the step a name."
        if step["rating"] not in RATINGS:
            return (f"Step {i} ({step['step']}): say whether your SPOC always does it, does it in specific cases "
                    f"or treats it as optional.")
        if step.get("automation", "") not in ("", *AUTOMATION):
            return f"Step {i} ({step['step']}): automation is automated, partly_automated or manual."
        path = step.get("variant", "").strip()
        if step["step"].strip() in names.get(path, []):
            return "Two steps have the same name" + (f" in the variant {path!r}." if path else ".")
        names.setdefault(path, []).append(step["step"].strip())
    for i, step in enumerate(value, start=1):
        dep = step["depends_on"].strip()
        path = step.get("variant", "").strip()
        if dep and dep not in names.get(path, []) + names.get("", []):
            return f"Step {i} ({step['step']}): depends on {dep!r}, which is not a step of this process."
        if dep and dep == step["step"].strip():
            return f"Step {i} ({step['step']}): a step cannot depend on itself."
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
            if q.type == "calculated":
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
    return {q.id: effective.get(q.id) for q in definition.questions if q.type == "calculated"}


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
            if not relevant[q.id] or q.type == "calculated":
                continue
            value = answers.get(q.id)
            if is_empty(value):
                message = "This answer is required." if q.required else None
            else:
                message = value_error(q, value, effective, lang)
                if message is None and q.required and q.type == "matrix" and len(value) < len(q.rows):
                    message = "Answer every row."
                if message is None and q.id in carried:
                    message = f"Carried over from {carried[q.id]} and not yet confirmed: confirm it or change it."
            if message:
                found.append(Problem(q.id, section.id, tr(q.label, lang), message))
    return found


def answered_share(definition: Definition, answers: Mapping[str, object]) -> tuple[int, int]:
    """(answered, relevant) question counts: the progress of a draft."""
    _, relevant = relevance(definition, answers)
    asked = {q.id for q in definition.questions if q.type != "calculated"}
    total = sum(1 for k, v in relevant.items() if v and k in asked)
    done = sum(1 for k, v in relevant.items() if v and k in asked and not is_empty(answers.get(k)))
    return done, total
