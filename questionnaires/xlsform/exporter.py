"""Definition → XLSForm workbook (survey, choices, settings), readable by ODK/KoboToolbox and back by us."""

from __future__ import annotations

import json

from portal.exports import printable_text, xlsx_bytes
from questionnaires import expressions
from questionnaires.definitions import CHOICE_REF, Choice, Definition, Question, Section, tr
from questionnaires.question_types import question_type
from questionnaires.xlsform.layout import (
    CHOICES,
    SETTINGS,
    SPOC_META,
    SPOC_TYPE,
    SURVEY,
    YES_NO_LABELS,
    language_column,
)

# Question attributes that have an XLSForm column of their own; the others travel in spoc_meta.
NATIVE = {"id", "type", "label", "hint", "required", "relevant", "constraint", "constraint_message", "choices",
          "rows", "steps", "integer", "choice_filter", "calculation"}
MATRIX_NATIVE = {"id", "type", "label", "hint", "required", "relevant", "choices", "rows"}


def export_xlsform(definition: Definition) -> bytes:
    """The definition as an XLSForm workbook (.xlsx bytes); import_xlsform() reads it back unchanged."""
    return _Writer(definition).workbook()


def _json(value: dict) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value else None


class _Writer:
    def __init__(self, definition: Definition):
        self.definition = definition
        self.primary = definition.primary_language
        self.languages = list(dict.fromkeys([self.primary, *definition.languages, *self._text_languages()]))
        self.survey: list[dict] = []
        self.lists: dict[str, list[Choice]] = {}  # list name → choices, in order of first use
        self.list_names: dict[tuple, str] = {}  # content → list name, so identical lists are written once
        self.names = {q.id for q in definition.questions} | {s.id for s in definition.sections}

    def _text_languages(self) -> list[str]:
        found: list[str] = []
        for q in self.definition.questions:
            for text in (q.label, q.hint, q.constraint_message, *(c.label for c in [*q.choices, *q.rows, *q.steps])):
                found.extend(text or {})
        for s in self.definition.sections:
            found.extend([*s.title, *(s.description or {})])
        return found

    # naming -----------------------------------------------------------------------------------------------
    def free_name(self, base: str, taken) -> str:
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        return name

    def list_for(self, base: str, choices: list[Choice]) -> str:
        key = tuple((c.value, tuple(sorted(c.label.items())), tuple(sorted(c.filters.items()))) for c in choices)
        if key not in self.list_names:
            name = self.free_name(base, self.lists)
            self.lists[name] = list(choices)
            self.list_names[key] = name
        return self.list_names[key]

    def yes_no_list(self) -> str:
        choices = [Choice(value=v, label={lang: t for lang, t in labels.items() if lang in self.languages})
                   for v, labels in YES_NO_LABELS.items()]
        return self.list_for("yes_no", choices)

    # rows -------------------------------------------------------------------------------------------------
    def section(self, section: Section) -> None:
        self.survey.append({"type": "begin group", "name": section.id, "label": section.title,
                            "relevant": section.relevant})
        if section.description:
            name = self.free_name(f"{section.id}_description", self.names)
            self.names.add(name)
            self.survey.append({"type": "note", "name": name, "label": section.description})
        for q in section.questions:
            question_type(q).write_xlsform(q, self)  # one row, or a matrix's group of rows
        self.survey.append({"type": "end group"})

    def question(self, q: Question) -> None:
        meta = {k: v for k, v in q.model_dump(mode="json", exclude_defaults=True).items() if k not in NATIVE}
        row = {"name": q.id, "label": q.label, "hint": q.hint, "required": "yes" if q.required else None,
               "relevant": q.relevant, "constraint": q.constraint, "constraint_message": q.constraint_message,
               SPOC_TYPE: q.type}
        question_type(q).xlsform(q, row, meta, self)
        if q.choice_filter:  # XLSForm names the choice's columns bare: ${choice.state} = ${state} → state = ${state}
            row["choice_filter"] = _xlsform_filter(q.choice_filter)
        row[SPOC_META] = _json(meta)
        self.survey.append(row)

    def matrix(self, q: Question) -> None:
        """A group of one select_one per row, named <question id>__<row value>, marked as a matrix."""
        meta = {k: v for k, v in q.model_dump(mode="json", exclude_defaults=True).items() if k not in MATRIX_NATIVE}
        list_name = self.list_for(q.id, q.choices)
        self.survey.append({"type": "begin group", "name": q.id, "label": q.label, "hint": q.hint,
                            "relevant": q.relevant, "appearance": "table-list", SPOC_TYPE: "matrix",
                            SPOC_META: _json(meta)})
        for r in q.rows:
            self.survey.append({"type": f"select_one {list_name}", "name": f"{q.id}__{r.value}", "label": r.label,
                                "required": "yes" if q.required else None})
        self.survey.append({"type": "end group"})

    # sheets -----------------------------------------------------------------------------------------------
    def translated(self, base: str) -> list[tuple[str, str, str]]:
        return [(f"{base}::{language_column(lang)}", base, lang) for lang in self.languages]

    def workbook(self) -> bytes:
        d = self.definition
        for section in d.sections:
            self.section(section)
        columns = [("type", "type", None), ("name", "name", None), *self.translated("label"),
                   *self.translated("hint"), ("required", "required", None), ("relevant", "relevant", None),
                   ("constraint", "constraint", None), *self.translated("constraint_message"),
                   ("appearance", "appearance", None), ("choice_filter", "choice_filter", None),
                   ("calculation", "calculation", None), (SPOC_TYPE, SPOC_TYPE, None), (SPOC_META, SPOC_META, None)]
        survey_rows = [[_cell(row.get(base), lang) for _, base, lang in columns] for row in self.survey]

        label_columns = self.translated("label")
        filter_columns = list(dict.fromkeys(k for choices in self.lists.values() for c in choices for k in c.filters))
        choice_rows = [[name, c.value, *(c.label.get(lang) for _, _, lang in label_columns),
                        *(c.filters.get(k) for k in filter_columns)]
                       for name, choices in self.lists.items() for c in choices]

        settings_meta = {k: v for k, v in d.model_dump(mode="json", exclude_defaults=True).items()
                         if k not in ("id", "version", "sections")}
        if settings_meta.get("title") == {self.primary: tr(d.title, self.primary)}:
            del settings_meta["title"]
        settings = [tr(d.title, self.primary), d.id, d.version, language_column(self.primary), _json(settings_meta)]

        return xlsx_bytes({
            SURVEY: ([h for h, _, _ in columns], survey_rows),
            CHOICES: (["list_name", "name", *(h for h, _, _ in label_columns), *filter_columns], choice_rows),
            SETTINGS: (["form_title", "form_id", "version", "default_language", SPOC_META], [settings]),
        })


def _xlsform_filter(text: str) -> str:
    out = text
    for ref in sorted(expressions.references(text), key=len, reverse=True):
        if ref.startswith(CHOICE_REF):
            out = out.replace(f"${{{ref}}}", ref[len(CHOICE_REF):])
    return out


def _cell(value, lang: str | None):

    if lang is not None:
        value = value.get(lang) if value else None
    # A worksheet cannot hold most control characters; they carry no meaning in a label.
    return printable_text(value) if isinstance(value, str) else value
