"""Answers as people read them: choice labels instead of codes, in the reader's language."""

from __future__ import annotations

from portal.dates import format_day
from questionnaires.definitions import AUTOMATION_LABELS, RATING_LABELS, Definition, Question, tr
from questionnaires.services.validation import is_empty


def language_for(definition: Definition, preferred: str | None) -> str:
    """The user's language if the questionnaire has it, else its own (English, or the one it was written in)."""
    return preferred if preferred and preferred in definition.languages else definition.primary_language


def number_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def display_text(q: Question, value: object, lang: str = "en") -> str:
    """One line of text for any answer ('—' when unanswered)."""
    if is_empty(value):
        return "—"
    t = q.type
    if t in ("single_choice", "yes_no") and isinstance(value, str):
        return q.choice_label(value, lang)
    if t == "multiple_choice" and isinstance(value, list):
        return "; ".join(q.choice_label(v, lang) for v in value)
    if t == "ranking" and isinstance(value, list):
        return " > ".join(f"{i}. {q.choice_label(v, lang)}" for i, v in enumerate(value, start=1))
    if t == "datetime" and isinstance(value, str):
        return value.replace("T", " ")
    if t == "number" or (t == "calculated" and isinstance(value, int | float)):
        unit = tr(q.unit, lang) if q.unit else ""
        return f"{number_text(value)} {unit}".strip()
    if t == "matrix" and isinstance(value, dict):
        rows = {r.value: tr(r.label, lang) for r in q.rows}
        return "; ".join(f"{rows.get(k, k)}: {q.choice_label(v, lang)}" for k, v in value.items())
    if t == "process" and isinstance(value, list):
        return "; ".join(step_text(q, s, lang) for s in value if isinstance(s, dict))
    if t == "date":
        return format_day(value)
    if t == "file" and isinstance(value, dict):
        return str(value.get("name", "file"))
    return str(value)


def step_text(q: Question, step: dict, lang: str = "en") -> str:
    """One step in a line: "[urgent] Receipt (Always done, automated)"; a step stored before version 3 has no
    variant nor automation and reads as before."""
    names = {s.value: tr(s.label, lang) for s in q.steps}
    variants = {v.value: tr(v.label, lang) for v in q.variants}
    variant = str(step.get("variant") or "")
    what = [RATING_LABELS.get(step.get("rating"), step.get("rating") or ""),
            AUTOMATION_LABELS.get(step.get("automation") or "", "").lower()]
    head = f"[{variants.get(variant, variant)}] " if variant else ""
    return f"{head}{names.get(step.get('step'), step.get('step', ''))} ({', '.join(w for w in what if w)})"


def row_label(q: Question, value: str, lang: str = "en") -> str:
    for r in q.rows:
        if r.value == value:
            return tr(r.label, lang)
    return value
