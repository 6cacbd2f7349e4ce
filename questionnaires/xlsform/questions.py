"""The survey sheet's question rows: questions, matrices and their rows, range parameters, choice
filters (a part of SurveyReader, questionnaires/xlsform/survey.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from portal.enums import N_
from questionnaires import expressions
from questionnaires.definitions import CHOICE_REF, Question
from questionnaires.question_types import question_type, xlsform_types_of
from questionnaires.xlsform.layout import (
    DEFAULT_TYPES,
    OWN_CONSTRAINT,
    RANGE_DEFAULTS,
    SPOC_META,
    SPOC_TYPE,
    STEPS_LIST,
    SURVEY,
    bounds_constraint,
)
from questionnaires.xlsform.workbook import Row

_TRUE = {"yes", "true", "1", "true()"}
_FALSE = {"", "no", "false", "0", "false()"}
META_KEYS = (set(Question.model_fields) - {"id", "type", "label", "hint", "required", "relevant", "choices", "rows",
                                          "choice_filter", "calculation"}
             | {STEPS_LIST})
_PARAMETER = re.compile(r"([A-Za-z_]+)\s*=\s*([^\s;,]*)")
SELECTS = ("select_one", "select_multiple")


@dataclass
class Frame:
    kind: str  # section, nested or matrix
    row: int
    relevant: str | None = None
    question: dict | None = None  # the matrix being read
    list_name: str | None = None
    errors: int = 0  # problems found before it began: a matrix with new problems is not validated again


@dataclass
class SectionDraft:
    id: str | None  # None: a default section for questions outside any group, named at the end
    row: int
    title: dict
    relevant: str | None = None
    paragraphs: dict[str, list[str]] = field(default_factory=dict)
    questions: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        out = {"id": self.id, "title": self.title, "questions": self.questions}
        if self.relevant:
            out["relevant"] = self.relevant
        if self.paragraphs:
            out["description"] = {lang: "\n\n".join(parts) for lang, parts in self.paragraphs.items()}
        return out


def and_all(parts: list[str]) -> str | None:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return parts[0] if parts else None
    return " and ".join(f"({p})" for p in parts)


class QuestionRows:
    """SurveyReader's methods for the rows that become questions."""

    def begin_matrix(self, row: Row) -> None:
        errors = len(self.problems.errors)
        name = self.register(row, N_("question"), slug=True)
        label = self.sheet.texts(row, "label")
        self.english(row, "label", label, N_("a question"))
        question = {"id": name or f"row_{row.number}", "type": "matrix", "label": label, "rows": []}
        if hint := self.sheet.texts(row, "hint"):
            question["hint"] = hint
        relevant = and_all([*self.nested_relevant(), self.expression(row, "relevant")])
        if relevant:
            question["relevant"] = relevant
        meta = self.meta(row)
        meta.pop(STEPS_LIST, None)
        question.update(meta)
        self.stack.append(Frame("matrix", row.number, question=question, errors=errors))

    def matrix_row(self, row: Row, kind: str, list_name: str | None) -> None:
        frame = self.stack[-1]
        question = frame.question
        self.register(row, N_("matrix row"), slug=False)
        name = self.sheet.get(row, "name")
        prefix = f"{question['id']}__"
        if kind != "select_one":
            self.error(row, "type", N_("every row of a matrix group must be a select_one"))
            return
        if frame.list_name is None:
            frame.list_name = list_name
            if list_name not in self.lists:
                self.error(row, "type", N_("the choice list %(name)s is not on the choices sheet"), name=repr(list_name))
        elif list_name != frame.list_name:
            self.error(row, "type", N_("every row of a matrix uses one list (%(name)s)"), name=repr(frame.list_name))
        if not name.startswith(prefix) or len(name) == len(prefix):
            self.error(row, "name", N_("a matrix row is named %(prefix)s<row value>"), prefix=prefix)
            return
        for base in ("relevant", "constraint"):
            if self.sheet.get(row, base):
                self.error(row, base, N_("a matrix row cannot have its own %(col)s"), col=base)
        label = self.sheet.texts(row, "label")
        self.english(row, "label", label, N_("a matrix row"))
        question["rows"].append({"value": name[len(prefix):], "label": label})
        if self.required(row):
            question["required"] = True

    def question(self, row: Row, kind: str, list_name: str | None) -> None:
        errors = len(self.problems.errors)
        name = self.register(row, N_("question"), slug=True)
        our_type = self.our_type(row, kind)
        if our_type is None:
            return
        label = self.sheet.texts(row, "label")
        if kind == "calculate" and not label.get(self.primary) and name:
            label = {**label, self.primary: name}  # a calculate row seldom has a label: show its name
        self.english(row, "label", label, N_("a question"))
        q: dict = {"id": name or f"row_{row.number}", "type": our_type, "label": label}
        if hint := self.sheet.texts(row, "hint"):
            q["hint"] = hint
        if self.required(row):
            q["required"] = True
        own_relevant = self.expression(row, "relevant")
        if relevant := and_all([*self.nested_relevant(), own_relevant]):
            q["relevant"] = relevant
        constraint = self.expression(row, "constraint")
        if message := self.sheet.texts(row, "constraint_message"):
            q["constraint_message"] = message
        if kind == "integer":
            q["integer"] = True
        if kind == "range":
            q.update(self.range_parameters(row))
        if kind == "calculate":
            self.calculated_value(row, q, constraint)
        if list_name and not question_type(our_type).fixed_choices:
            self.choice_list(row, q, kind, list_name)
        meta = self.meta(row)
        if steps_list := meta.pop(STEPS_LIST, None):
            if steps_list in self.lists:
                q["steps"] = self.lists[steps_list]
            else:
                self.error(row, SPOC_META, N_("the steps list %(name)s is not on the choices sheet"), name=repr(steps_list))
        has_own = OWN_CONSTRAINT in meta
        own = meta.pop(OWN_CONSTRAINT, None)
        q.update(meta)
        if has_own and constraint == bounds_constraint(own, q.get("min"), q.get("max")):
            constraint = own  # the cell still holds what our export wrote: restore the question's own constraint
        if constraint:
            q["constraint"] = constraint
        if len(self.problems.errors) == errors:  # what is already reported need not be reported twice
            self.add_question(row.number, q, list(meta))

    def our_type(self, row: Row, kind: str) -> str | None:
        """Our question type of an XLSForm row: its spoc_type marker, else what the XLSForm type means."""
        marker = self.sheet.get(row, SPOC_TYPE)
        if marker:
            if kind not in xlsform_types_of(marker):
                self.error(row, SPOC_TYPE, N_("%(marker)s does not go with the XLSForm type %(kind)s"), marker=repr(marker),
                           kind=repr(kind))
                return None
            return marker
        if kind == "text" and "multiline" in self.sheet.get(row, "appearance").split():
            return "long_text"
        return DEFAULT_TYPES[kind]

    def calculated_value(self, row: Row, q: dict, constraint: str | None) -> None:
        if self.sheet.get(row, "required").lower() not in _FALSE or constraint:
            self.error(row, "constraint" if constraint else "required",
                       N_("a calculated value cannot be required or have a constraint"))
        if calculation := self.expression(row, "calculation"):
            q["calculation"] = calculation
        elif not self.sheet.get(row, "calculation"):
            self.error(row, "calculation", N_("a calculate row needs a calculation"))

    def choice_list(self, row: Row, q: dict, kind: str, list_name: str) -> None:
        if list_name in self.lists:
            q["choices"] = self.lists[list_name]
            if kind in SELECTS and self.sheet.get(row, "choice_filter"):
                self.choice_filter(row, q, list_name)
        else:
            self.error(row, "type", N_("the choice list %(name)s is not on the choices sheet"), name=repr(list_name))

    def range_parameters(self, row: Row) -> dict:
        """'start=0 end=100 step=5' → min, max and step (pyxform's defaults 1, 10, 1 for what is left out)."""
        text = self.sheet.get(row, "parameters")
        found = dict(RANGE_DEFAULTS)
        for key, value in _PARAMETER.findall(text):
            key = key.lower()
            if key not in found:
                continue
            try:
                found[key] = float(value)
            except ValueError:
                self.error(row, "parameters", N_("%(key)s must be a number, not %(value)s"), key=key, value=repr(value))
                return {}
        if found["step"] <= 0 or found["start"] > found["end"]:
            self.error(row, "parameters", N_("a range needs start <= end and a step above 0"))
            return {}
        out = {"min": found["start"], "max": found["end"], "step": found["step"]}
        if all(v.is_integer() for v in found.values()):
            out["integer"] = True
        return out

    def choice_filter(self, row: Row, q: dict, list_name: str) -> None:
        """XLSForm's choice_filter (bare names are the choices sheet's columns) as ours, with each choice's columns."""
        text = self.sheet.get(row, "choice_filter")
        header = self.sheet.header("choice_filter")
        try:
            ours = expressions.bare_names_as_refs(text, CHOICE_REF)
            expressions.parse(ours)
        except expressions.ExpressionError as exc:
            self.error(row, "choice_filter", N_("cannot read the expression %(text)s: %(problem)s"), text=repr(text),
                       problem=exc)
            return
        columns = {key for (name, _), extra in self.extras.items() if name == list_name for key in extra}
        wanted: set[str] = set()
        for ref in expressions.references(ours):
            if not ref.startswith(CHOICE_REF):
                self.expressions.append((row.number, header, f"${{{ref}}}"))
                continue
            column = ref[len(CHOICE_REF):]
            if column == "name":
                continue
            if column not in columns:
                self.error(row, "choice_filter", N_("the choices of %(name)s have no column %(col)s"),
                           name=repr(list_name), col=repr(column))
                return
            wanted.add(column)
        q["choice_filter"] = ours
        q["choices"] = [
            {**c, "filters": {k: self.extras.get((list_name, c["value"]), {}).get(k, "") for k in sorted(wanted)}}
            if wanted else c for c in q["choices"]
        ]

    def add_question(self, number: int, q: dict, meta_keys: list[str]) -> None:
        try:
            Question.model_validate(q, context={"primary": self.primary})
        except ValidationError as exc:
            for err in exc.errors()[:5]:
                loc = err["loc"][0] if err["loc"] else None
                column = SPOC_META if loc in meta_keys else None
                message = re.sub(r"^Value error, ", "", err["msg"])
                where = f"{'.'.join(str(p) for p in err['loc'])}: " if err["loc"] else ""
                self.problems.add(SURVEY, number, column, where + message)
            return
        section = self.sections[-1] if self.stack and self.stack[0].kind == "section" else None
        if section is None:
            section = self.target(Row(number, ()))
        section.questions.append(q)
