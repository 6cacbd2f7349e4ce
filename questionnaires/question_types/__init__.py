"""Question types: one object per type, in one registry (issue 22, point 4).

Each type knows how its answer is read from the answering page (`parse`), what a valid answer is
(`check`), how it reads (`display`), how it is written to XLSForm (`xlsform`) and to a round export
(`export_columns`), and how the reports treat it: its kind (`report`: choice, multiple, ranking, matrix,
number, date, time, free_text, process, calculated), its rows in the tidy frame (`tidy_rows`), the tables
it appears in (`tables`, of REPORT_TABLES), its chart (`chart`) and its lines in a country profile
(`profile_values`). A new type is a new QuestionType subclass registered here, and a name in
questionnaires.definitions.QUESTION_TYPES (the file format's grammar); the services and the reports
dispatch on the registry instead of switching on the type's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from portal.registry import TypeRegistry
from questionnaires.definitions import QUESTION_TYPES, Question

FormData = Mapping[str, list[str]]
# The report's tables a type's answers can appear in (reports/tables.py, reports/indices.py):
# choices: the countries × choice questions matrix; frequencies: countries per choice; rankings: points per
# choice; numbers: countries × figures and dates; figures: the summary of figures (and the workload);
# free_text: the answers in the country's own words (hidden from other countries unless shared);
# compared: counted in the round-over-round change.
REPORT_TABLES = ("choices", "frequencies", "rankings", "numbers", "figures", "free_text", "compared")
TidyRow = tuple[str, object, str]  # (sub_item, value, label), see reports/frame.py


def first_value(form: FormData, key: str) -> str:
    values = form.get(key) or [""]
    return str(values[0])


class QuestionType:
    """The default handling: one text value in the form field a.<qid>, shown as it is."""

    name: str = ""
    report: str = "free_text"
    # the answer travels in the page's form fields (not: calculated, file, whose values come otherwise)
    in_form = True
    uploaded = False  # a file question: uploaded apart from the form fields
    # in the reports: the tables of REPORT_TABLES it appears in; its chart per question ("bar": countries
    # per choice, "stacked": per choice and row, "points": a ranking's average points; "": none)
    tables: frozenset[str] = frozenset({"free_text"})
    chart = ""
    several = False  # several choices in one answer (its chart says so)
    by_row = False  # each row of the question (a matrix's) is answered, tabulated and counted apart
    multiline = False  # a text answer may hold several lines
    # what a question of the type must or may carry in its definition (the format's rules, checked by
    # questionnaires/definitions.py::Question): a list of choices; a choice_filter on them; a process's
    # variants; a number's step. A `by_row` type needs its rows, a `computed` one its calculation.
    needs_choices = False
    filters_choices = False
    has_variants = False
    stepped = False
    # its own choices, value -> label (yes, no), instead of a list of the questionnaire's; empty: none
    fixed_choices: Mapping[str, str] = {}
    fixed_labels: Mapping[str, Mapping[str, str]] = {}  # value -> language -> label, where a language has one
    computed = False  # its value is calculated from the answers before it, never asked (nor counted as asked)
    carried_over = True  # an earlier round's answer to it may be carried over into the next round (prefill)
    own_sheet = False  # its answers are exported on a sheet of their own (a process's steps), not in columns
    # the XLSForm types a row marked with this type (spoc_type) may have (questionnaires/xlsform)
    xlsform_types: frozenset[str] = frozenset()

    def parse(self, q: Question, form: FormData) -> tuple[object, str | None]:
        """(value, error) of this question from the form; the value is None when unanswered."""
        return (first_value(form, f"a.{q.id}") or None), None

    def check(self, q: Question, value: object) -> str | None:
        """Why `value` (not empty) is not a valid answer to `q`, or None. Constraints are checked elsewhere."""
        return None

    def incomplete(self, q: Question, value: object) -> str | None:
        """Why a valid answer to a required question is not complete yet (a matrix with rows left), or None."""
        return None

    def display(self, q: Question, value: object, lang: str) -> str:
        """One line of text for a (non-empty) answer."""
        return str(value)

    def demo_values(self, q: Question, demo) -> Iterable[object]:
        """Values for the demo data, best first (questionnaires/demo.py keeps the first valid one); `demo` gives
        the random source (`rng`), the demo's words (`text`, `weighted_choice`, `process`) and its `reference_day`.
        Nothing by default: such a question is left unanswered (or answered apart, as a file)."""
        return ()

    def write_xlsform(self, q: Question, writer) -> None:
        """Write the question into the XLSForm survey: one row by default (see `xlsform`)."""
        writer.question(q)

    def xlsform(self, q: Question, row: dict, meta: dict, writer) -> None:
        """Fill the question's XLSForm survey row (`row["type"]` and what goes with it)."""
        row["type"] = self.name

    def export_columns(self, q: Question, label: str, lang: str) -> list[tuple[str, str, Callable, str]]:
        """The question's columns in a round export: (name suffix after the question id, heading,
        value of the answer -> cell, choices legend); a value that raises leaves the cell empty."""
        return [("", label, str, "")]

    def tidy_rows(self, q: Question, value: object, lang: str) -> list[TidyRow]:
        """The rows of a (non-empty) answer in the report's tidy frame (reports/frame.py, where the table of
        every type's rows is); malformed parts are skipped, not guessed."""
        text = str(value).strip()
        return [("", text, text)] if text else []

    def report_items(self, q: Question, lang: str) -> list[tuple[str, str]]:
        """(key, label) of the parts of the question that the tables count apart: the whole answer ("", "")
        or, `by_row`, each row."""
        return [("", "")]

    def profile_values(self, q: Question, value: object, lang: str) -> list[str]:
        """The answer as the lines of a country profile (reports/profiles.py)."""
        return [str(value)]


question_types: TypeRegistry[QuestionType] = TypeRegistry("question type")


def register(*types: QuestionType) -> None:
    for t in types:
        question_types.add(t.name, t)


def question_type(name_or_question) -> QuestionType:
    """The type object of a question (or of a type name)."""
    return question_types.get(getattr(name_or_question, "type", name_or_question))


def xlsform_types_of(name: str) -> frozenset[str]:
    """The XLSForm types a row marked with the type `name` may have (none for an unknown name)."""
    return question_types.get(name).xlsform_types if name in question_types else frozenset()


def names_in(table: str) -> tuple[str, ...]:
    """The type names whose answers appear in the report's `table` (of REPORT_TABLES)."""
    if table not in REPORT_TABLES:
        raise KeyError(f"unknown report table {table!r}")
    return tuple(name for name, t in question_types.items() if table in t.tables)


def names_with(**attributes) -> tuple[str, ...]:
    """The type names whose attributes have the given values, e.g. names_with(by_row=True)."""
    return tuple(name for name, t in question_types.items()
                 if all(getattr(t, a) == v for a, v in attributes.items()))


def names_where(report: str | Iterable[str]) -> tuple[str, ...]:
    """The type names whose reports treat them as `report` (one kind or several)."""
    kinds = {report} if isinstance(report, str) else set(report)
    return tuple(name for name, t in question_types.items() if t.report in kinds)


from questionnaires.question_types import choice, process, simple  # noqa: E402  (they register their types)

register(*simple.TYPES, *choice.TYPES, *process.TYPES)
if set(question_types.names()) != set(QUESTION_TYPES):  # the file format's names and the registry agree
    raise RuntimeError(f"question types registered {question_types.names()} != definitions {QUESTION_TYPES}")

__all__ = ["REPORT_TABLES", "FormData", "QuestionType", "TidyRow", "first_value", "names_in", "names_where", "names_with",
           "question_type", "question_types", "register",
           "xlsform_types_of"]
