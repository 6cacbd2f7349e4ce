"""The survey sheet, row by row, into our sections and questions (the rules are in the package docstring)."""

from __future__ import annotations

import json

from portal.enums import N_
from questionnaires import expressions
from questionnaires.definitions import SLUG
from questionnaires.question_types import question_types, xlsform_types_of
from questionnaires.xlsform.errors import LanguageName, Phrase, Problems
from questionnaires.xlsform.layout import (
    DEFAULT_TYPES,
    METADATA_TYPES,
    SPOC_META,
    SPOC_TYPE,
    SURVEY,
    UNSUPPORTED,
    UNSUPPORTED_COLUMNS,
    language_column,
    split_type,
)
from questionnaires.xlsform.questions import (
    _FALSE,
    _TRUE,
    META_KEYS,
    SELECTS,
    Frame,
    QuestionRows,
    SectionDraft,
)
from questionnaires.xlsform.workbook import Row, Sheet


class SurveyReader(QuestionRows):
    """Walks the survey rows once, collecting sections and every problem found."""

    def __init__(self, sheet: Sheet, lists: dict[str, list[dict]], problems: Problems, *, primary: str = "en",
                 extras: dict[tuple[str, str], dict[str, str]] | None = None):
        self.sheet, self.lists, self.problems = sheet, lists, problems
        self.primary = primary  # the language every label needs: English, or the workbook's only one
        self.extras = extras or {}  # (list, choice) → the choice's other columns, for choice_filter
        self.sections: list[SectionDraft] = []
        self.stack: list[Frame] = []
        self.names: dict[str, tuple[int, str]] = {}  # every name in the survey → (row, what it is)
        self.expressions: list[tuple[int, str, str]] = []  # (row, column header, text) to check references

    # helpers ----------------------------------------------------------------------------------------------
    def error(self, row: Row | int, base: str | None, message: str, **params) -> None:
        """A problem of a row (`message` a catalogue message, its %(name)s values in `params`)."""
        number = row if isinstance(row, int) else row.number
        self.problems.add(SURVEY, number, self.sheet.header(base) if base else None, message, **params)

    def expression(self, row: Row, base: str) -> str | None:
        text = self.sheet.get(row, base)
        if not text:
            return None
        try:
            expressions.parse(text)
        except expressions.ExpressionError as exc:
            self.error(row, base, N_("cannot read the expression %(text)s: %(problem)s"), text=repr(text), problem=exc)
            return None
        self.expressions.append((row.number, self.sheet.header(base), text))
        return text

    def register(self, row: Row, what: str, *, slug: bool) -> str | None:
        name = self.sheet.get(row, "name")
        if not name:
            self.error(row, "name", N_("a %(what)s needs a name"), what=Phrase(what))
            return None
        if name in self.names:
            self.error(row, "name", N_("the name %(name)s is already used on row %(line)s"), name=repr(name),
                       line=self.names[name][0])
            return None
        self.names[name] = (row.number, what)
        if slug and not SLUG.fullmatch(name):
            self.error(row, "name", N_("%(name)s must be lower-case letters, digits and _, starting with a letter "
                                       "(rename it, and the ${...} references to it)"), name=repr(name))
            return None
        return name

    def english(self, row: Row, base: str, texts: dict, what: str) -> bool:
        if texts.get(self.primary):
            return True
        self.error(row, base, N_("%(what)s needs a %(col)s in %(language)s (column %(col)s or %(col)s::%(header)s)"),
                   what=Phrase(what), col=base, language=LanguageName(self.primary),
                   header=language_column(self.primary))
        return False

    def required(self, row: Row) -> bool:
        text = self.sheet.get(row, "required").lower()
        if text in _TRUE:
            return True
        if text not in _FALSE:
            self.error(row, "required", N_("required must be yes or no, not %(text)s"), text=repr(text))
        return False

    def meta(self, row: Row) -> dict:
        text = self.sheet.get(row, SPOC_META)
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError:
            self.error(row, SPOC_META, N_("not valid JSON"))
            return {}
        if not isinstance(value, dict):
            self.error(row, SPOC_META, N_("must be a JSON object"))
            return {}
        unknown = sorted(set(value) - META_KEYS)
        if unknown:
            self.error(row, SPOC_META, N_("unknown keys %(keys)s"), keys=unknown)
            return {}
        return value

    def target(self, row: Row) -> SectionDraft:
        """The section a question or note on this row belongs to."""
        if self.stack and self.stack[0].kind == "section":
            return self.sections[-1]
        if not self.sections or self.sections[-1].id is not None:
            self.sections.append(SectionDraft(None, row.number, {self.primary: "General"}))
        return self.sections[-1]

    def nested_relevant(self) -> list[str]:
        return [f.relevant for f in self.stack if f.kind == "nested" and f.relevant]

    # the walk ---------------------------------------------------------------------------------------------
    def read(self) -> list[dict]:
        if self.sheet.rows and not self.sheet.has("type"):
            self.problems.add(SURVEY, 1, None, N_("the survey sheet has no 'type' column"))
            return []
        for row in self.sheet.rows:
            self.read_row(row)
        for frame in self.stack:
            self.error(frame.row, "type", N_("this group has no matching end group"))
        self.check_references()
        used = set(self.names)
        for section in self.sections:
            if section.id is None:
                section.id = next(n for n in ("general", *(f"general_{i}" for i in range(2, 999))) if n not in used)
                used.add(section.id)
        return [s.as_dict() for s in self.sections]

    def read_row(self, row: Row) -> None:
        type_text = self.sheet.get(row, "type")
        if not type_text:
            if self.sheet.get(row, "name") or self.sheet.texts(row, "label"):
                self.error(row, "type", N_("the row has no type"))
            return  # otherwise only ignored columns are filled (a comment, KoboToolbox's $kuid)
        kind, list_name, extra = split_type(type_text)
        for base, message in UNSUPPORTED_COLUMNS.items():
            if self.sheet.get(row, base):
                self.error(row, base, message)
        if self.sheet.get(row, "calculation") and kind != "calculate":
            self.error(row, "calculation", N_("only a calculate row has a calculation"))
        if self.sheet.get(row, "choice_filter") and kind not in SELECTS:
            self.error(row, "choice_filter", N_("only select_one and select_multiple rows can filter their choices"))
        if kind in METADATA_TYPES:
            return  # device metadata (start, end, deviceid...): nothing to ask, nothing to keep
        if kind == "begin group":
            self.begin_group(row)
        elif kind == "end group":
            self.end_group(row)
        elif kind == "note":
            self.note(row)
        elif kind in DEFAULT_TYPES:
            if kind in ("select_one", "select_multiple", "rank") and not list_name:
                self.error(row, "type", N_("%(kind)s needs a choice list name, e.g. '%(kind)s yes_no'"), kind=kind)
            elif extra:
                self.error(row, "type", N_("%(extra)s after the list name is not supported (add an 'other' choice and "
                                           "a text question)") if "or_other" in extra else
                           N_("%(extra)s after the list name is not supported"), extra=repr(" ".join(extra)))
            elif self.stack and self.stack[-1].kind == "matrix":
                self.matrix_row(row, kind, list_name)
            else:
                self.question(row, kind, list_name)
        elif kind in UNSUPPORTED:
            self.error(row, "type", N_("%(type)s: %(problem)s"), type=repr(type_text), problem=Phrase(UNSUPPORTED[kind]))
        else:
            self.error(row, "type", N_("the type %(type)s cannot be converted (supported: select_one, "
                                       "select_multiple, rank, text, integer, decimal, range, date, time, dateTime, "
                                       "file, calculate, note, begin/end group)"), type=repr(type_text))

    def begin_group(self, row: Row) -> None:
        marker = self.sheet.get(row, SPOC_TYPE)
        if self.sheet.get(row, "constraint") or self.sheet.get(row, "required").lower() not in _FALSE:
            self.error(row, "constraint" if self.sheet.get(row, "constraint") else "required",
                       N_("a group cannot have a constraint or be required"))
        if self.stack and self.stack[-1].kind == "matrix":
            self.error(row, "type", N_("a group inside a matrix group"))
            self.stack.append(Frame("nested", row.number))
            return
        if "begin group" in xlsform_types_of(marker):
            self.begin_matrix(row)
            return
        if marker:
            on_groups = " or ".join(n for n in question_types.names() if "begin group" in xlsform_types_of(n))
            self.error(row, SPOC_TYPE, N_("%(marker)s cannot stand on a group (only %(allowed)s can)"), marker=repr(marker),
                       allowed=on_groups)
        relevant = self.expression(row, "relevant")
        if self.stack:
            self.register(row, N_("group"), slug=False)
            self.stack.append(Frame("nested", row.number, relevant))
            return
        name = self.register(row, N_("group"), slug=True)
        title = self.sheet.texts(row, "label")
        if not title and name:  # a group without any label: its section is titled from its name
            title = {self.primary: name.replace("_", " ").strip().capitalize() or name}
        self.english(row, "label", title, N_("a group at the top level becomes a section and"))
        self.sections.append(SectionDraft(name or f"group_{row.number}", row.number, title, relevant))
        self.stack.append(Frame("section", row.number))

    def end_group(self, row: Row) -> None:
        if not self.stack:
            self.error(row, "type", N_("end group without a begin group"))
            return
        frame = self.stack.pop()
        if frame.kind == "matrix" and frame.question is not None:
            question = frame.question
            if not question["rows"]:
                self.error(frame.row, "type", N_("a matrix group needs select_one rows"))
                return
            question["choices"] = self.lists.get(frame.list_name or "", [])
            if len(self.problems.errors) == frame.errors:
                self.add_question(frame.row, question, [])

    def note(self, row: Row) -> None:
        self.register(row, N_("note"), slug=False)
        for base in ("relevant", "constraint"):
            if self.sheet.get(row, base):
                self.error(row, base, N_("a note becomes part of its section's description, which is always "
                                         "shown: it cannot have a %(col)s"), col=base)
        if self.stack and self.stack[-1].kind == "matrix":
            self.error(row, "type", N_("a note inside a matrix group"))
            return
        label = self.sheet.texts(row, "label")
        if not self.english(row, "label", label, N_("a note")):
            return
        hint = self.sheet.texts(row, "hint")
        section = self.target(row)
        for lang, text in label.items():
            section.paragraphs.setdefault(lang, []).append(text)
        for lang, text in hint.items():
            section.paragraphs.setdefault(lang, []).append(text)

    def check_references(self) -> None:
        questions = {n for n, (_, what) in self.names.items() if what == "question"}
        for number, column, text in self.expressions:
            for ref in sorted(expressions.references(text) - questions):
                what = self.names.get(ref, (0, ""))[1]
                if what:
                    self.problems.add(SURVEY, number, column, N_("refers to %(ref)s, which is a %(what)s, not a question"),
                                      ref=f"${{{ref}}}", what=Phrase(what))
                else:
                    self.problems.add(SURVEY, number, column, N_("refers to %(ref)s, but there is no question named "
                                                                 "%(name)s"), ref=f"${{{ref}}}", name=repr(ref))
