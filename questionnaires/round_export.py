"""A round's answers as tables: one row per country, one column per question or sub-answer; CSV and XLSX.

How to call (the caller loads the answers and decides who may download them)::

    from questionnaires.round_export import round_csv, round_xlsx, round_table, process_table

    responses = {"BE": {"comp_host": "police_hq", ...}, "NL": {...}}   # country → answers
    statuses = {"BE": "submitted", "NL": "draft", "DE": "not started"}  # optional; adds rows too
    data = round_xlsx(definition, responses, lang="fr", statuses=statuses)  # sheets Answers, Processes, Questions
    data = round_csv(definition, responses, statuses=statuses)              # the Answers sheet as CSV
    header, rows = round_table(definition, responses, statuses=statuses)    # the same as lists

Columns (codes in the header, labels in the reader's language in the cells named *__label(s)):
single_choice / yes_no → `q` (code) and `q__label`; multiple_choice → `q__<choice>` 0/1 per choice and
`q__labels`; ranking → `q__<choice>` = rank (1 = first, empty = not ranked) and `q__labels` in rank
order; matrix → `q__<row>` (code) and `q__<row>__label` per row; number, text, long_text, date → `q`;
file → `q` (the file name); process → `q` (a readable summary) and `q__steps` (how many steps), with
every step in process_table() / the Processes sheet. An unanswered question leaves its cells empty,
and so does a question that is not relevant (its show-if is false), as on the answer page.
The Questions sheet is the codebook: column, question id, label, type, choices (code=label).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from portal.directory.reference import COUNTRY_NAMES
from portal.exports import csv_bytes, printable_text, xlsx_bytes
from questionnaires.definitions import PROCESS_FIELDS, Definition, tr
from questionnaires.question_types import question_type
from questionnaires.question_types.process import step_label
from questionnaires.services.validation import effective_answers

Answers = dict[str, dict]
PROCESS_HEADER = ["country", "country_name", "question", "question_label", "step_no", *PROCESS_FIELDS, "step_label"]


@dataclass(frozen=True)
class Column:
    name: str
    question_id: str
    label: str
    type: str
    choices: str
    value: Callable[[object], object]  # the (non-empty) answer → this column's cell


def columns(definition: Definition, lang: str = "en") -> list[Column]:
    """The answer columns of a round export, in questionnaire order."""
    out: list[Column] = []
    used = {"country", "country_name", "status"}

    def add(name, q, label, value, choices=""):
        while name in used:  # a choice value such as 'labels' must not hide another column
            name += "_"
        used.add(name)
        out.append(Column(name, q.id, label, q.type, choices, value))

    for q in definition.questions:  # each type says its columns (questionnaires.question_types)
        for suffix, heading, value, choices in question_type(q).export_columns(q, tr(q.label, lang), lang):
            add(q.id + suffix, q, heading, value, choices)
    return out


def _countries(responses: Answers, statuses: dict[str, str] | None) -> list[str]:
    return sorted(set(responses) | set(statuses or {}))


def _cell(column: Column, answer: object) -> object:
    if answer is None:
        return None
    try:
        return column.value(answer)
    except (AttributeError, TypeError, ValueError, KeyError):  # a stored value of another shape
        return str(answer)


def round_table(definition: Definition, responses: Answers, *, lang: str = "en",
                statuses: dict[str, str] | None = None) -> tuple[list[str], list[list]]:
    """(header, rows): one row per country of `responses` or `statuses`, sorted by country code."""
    cols = columns(definition, lang)
    header = ["country", "country_name", "status", *(c.name for c in cols)]
    rows = []
    for code in _countries(responses, statuses):
        answers = effective_answers(definition, responses.get(code) or {})
        rows.append([code, COUNTRY_NAMES.get(code, code), (statuses or {}).get(code, ""),
                     *(_cell(c, answers.get(c.question_id)) for c in cols)])
    return header, rows


def process_table(definition: Definition, responses: Answers, *, lang: str = "en") -> tuple[list[str], list[list]]:
    """(header, rows): every step of every process answer, one row per step (long format)."""
    rows = []
    processes = [q for q in definition.questions if question_type(q).own_sheet]
    for code in sorted(responses):
        answers = effective_answers(definition, responses.get(code) or {})
        for q in processes:
            steps = answers.get(q.id)
            for i, s in enumerate(x for x in (steps if isinstance(steps, list) else []) if isinstance(x, dict)):
                rows.append([code, COUNTRY_NAMES.get(code, code), q.id, tr(q.label, lang), i + 1,
                             *(s.get(f) or None for f in PROCESS_FIELDS), step_label(q, str(s.get("step", "")), lang)])
    return PROCESS_HEADER, rows


def codebook(definition: Definition, lang: str = "en") -> tuple[list[str], list[list]]:
    """(header, rows) describing each column of round_table()."""
    rows = [["country", "", "Country code", "", ""], ["country_name", "", "Country", "", ""],
            ["status", "", "Status of the country's response", "", ""]]
    rows += [[c.name, c.question_id, c.label, c.type, c.choices] for c in columns(definition, lang)]
    return ["column", "question_id", "label", "type", "choices"], rows


def round_csv(definition: Definition, responses: Answers, *, lang: str = "en",
              statuses: dict[str, str] | None = None) -> bytes:
    """The answers table as UTF-8 CSV (formula-safe, via portal.exports)."""
    header, rows = round_table(definition, responses, lang=lang, statuses=statuses)
    return csv_bytes(header, rows)


def _printable(table: tuple[list[str], list[list]]) -> tuple[list[str], list[list]]:
    """Without the control characters a worksheet cannot hold (text pasted from a word processor has some)."""

    header, rows = table
    return header, [[printable_text(v) if isinstance(v, str) else v for v in row] for row in rows]


def round_xlsx(definition: Definition, responses: Answers, *, lang: str = "en",
               statuses: dict[str, str] | None = None, marking: str = "") -> bytes:
    """A workbook with the sheets Answers, Processes and Questions (the codebook); the round's marking on
    every printed page."""
    return xlsx_bytes(marking=marking, sheets={
        "Answers": _printable(round_table(definition, responses, lang=lang, statuses=statuses)),
        "Processes": _printable(process_table(definition, responses, lang=lang)),
        "Questions": _printable(codebook(definition, lang)),
    })
