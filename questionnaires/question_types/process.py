"""The process question: a SPOC's steps, each with the fields of PROCESS_FIELDS (Council document 9410/17)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from questionnaires.definitions import (
    AUTOMATION,
    AUTOMATION_LABELS,
    PROCESS_FIELDS,
    PROCESS_OPTIONAL_FIELDS,
    RATING_LABELS,
    RATINGS,
    Question,
    tr,
)
from questionnaires.question_types import FormData, QuestionType, TidyRow, first_value
from questionnaires.xlsform.layout import STEPS_LIST

# A process of a SPOC has a few dozen steps; these bounds keep one answer from weighing megabytes
# (every page, export and report reads the answers).
MAX_PROCESS_STEPS = 200
MAX_STEP_FIELD_CHARS = 1000
_PROCESS_KEY = re.compile(r"a\.(?P<qid>[a-z][a-z0-9_]*)\.(?P<i>\d{1,3})\.(?P<field>[a-z_]+)")
# In the report's tidy frame (reports/frame.py) a step of a variant has the key "<step key>@<variant key>";
# a row per field of STEP_FIELDS, whose rating and automation are codes, the rest the country's own words.
VARIANT_MARK = "@"
STEP_FIELDS = tuple(f for f in PROCESS_FIELDS if f not in ("step", "variant"))
CODED_FIELDS = {"rating": RATING_LABELS, "automation": AUTOMATION_LABELS}


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


def _key(choices, name: str) -> str:
    text = (name or "").strip()
    low = text.lower()
    for c in choices:
        if low == c.value.lower() or any(low == label.strip().lower() for label in c.label.values()):
            return c.value
    return text.replace("|", "/").replace(VARIANT_MARK, "/")


def step_key(question: Question, name: str, variant: str = "") -> str:
    """The key under which a typed step name (of a variant) is counted (see reports/frame.py)."""
    key = _key(question.steps, name)
    return f"{key}{VARIANT_MARK}{_key(question.variants, variant)}" if (variant or "").strip() else key


def step_label(q: Question, step: str, lang: str) -> str:
    return next((tr(s.label, lang) for s in q.steps if s.value == step), step)


def process_summary(q: Question, steps: list, lang: str) -> str:
    """The steps in one cell: "1. [variant] Receipt (actor, rating, automation); 2. ..."."""
    parts = []
    for i, s in enumerate(x for x in steps if isinstance(x, dict)):
        variant = f"[{s['variant']}] " if s.get("variant") else ""
        text = f"{i + 1}. {variant}{step_label(q, str(s.get('step', '')), lang)}"
        details = [str(s[k]) for k in ("actor", "rating", "automation") if s.get(k)]
        parts.append(f"{text} ({', '.join(details)})" if details else text)
    return "; ".join(parts)


def _step_error(i: int, step: dict) -> str | None:
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
    return None


class Process(QuestionType):
    name, report, own_sheet = "process", "process", True
    has_variants = True
    tables: frozenset[str] = frozenset()  # its own tables: reports/processes.py
    xlsform_types = frozenset({"text"})

    def demo_values(self, q: Question, demo):
        yield demo.process(q)

    def parse(self, q: Question, form: FormData):
        rows: dict[int, dict[str, str]] = {}
        for name in form:
            m = _PROCESS_KEY.fullmatch(name)
            if m and m["qid"] == q.id and m["field"] in PROCESS_FIELDS:
                rows.setdefault(int(m["i"]), {})[m["field"]] = first_value(form, name).strip()
        steps = []
        for i in sorted(rows):
            step = {f: rows[i].get(f, "") for f in PROCESS_FIELDS}
            if any(step.values()):
                steps.append(step)
        return (steps or None), None

    def check(self, q: Question, value: object) -> str | None:
        """Steps with the fields of PROCESS_FIELDS. The fields of PROCESS_OPTIONAL_FIELDS may be absent (an
        answer written before they existed, or an API client that does not send them): they read as "".
        Step names are unique within a path (the main path, or one variant); a step depends on a step of
        its own path or of the main path."""
        if not isinstance(value, list) or not all(isinstance(s, dict) for s in value):
            return "Give the process as a list of steps."
        if len(value) > MAX_PROCESS_STEPS:
            return f"A process has at most {MAX_PROCESS_STEPS} steps (this has {len(value)})."
        names: dict[str, list[str]] = {}
        for i, step in enumerate(value, start=1):
            if error := _step_error(i, step):
                return error
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

    def display(self, q: Question, value: object, lang: str) -> str:
        if not isinstance(value, list):
            return str(value)
        return "; ".join(step_text(q, s, lang) for s in value if isinstance(s, dict))

    def export_columns(self, q: Question, label: str, lang: str):
        return [("", label, lambda v: process_summary(q, v, lang), ""),
                ("__steps", f"{label} (number of steps)", lambda v: len(v), "")]

    def xlsform(self, q, row, meta, writer) -> None:
        row["type"] = "text"
        if q.steps:
            meta[STEPS_LIST] = writer.list_for(q.id, q.steps)

    def tidy_rows(self, q: Question, value: object, lang: str) -> list[TidyRow]:
        """A row per field of each step: sub_item "<step key>|<field>", the field's text, and the label of
        a coded field (rating, automation) or the text."""
        out = []
        for step in value if isinstance(value, list) else []:
            if not isinstance(step, Mapping) or not str(step.get("step", "")).strip():
                continue
            key = step_key(q, str(step["step"]), str(step.get("variant", "") or ""))
            for field in STEP_FIELDS:
                text = str(step.get(field, "") or "").strip()
                if text:
                    out.append((f"{key}|{field}", text, CODED_FIELDS.get(field, {}).get(text, text)))
        return out


TYPES = (Process(),)
