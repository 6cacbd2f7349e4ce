"""What an XLSForm import reports: every problem at once, each naming its sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.enums import N_, reader_language, translated
from portal.errors import RuleError, fill
from questionnaires.xlsform.layout import SHEET_ORDER, language_name


@dataclass(frozen=True)
class XLSFormError:
    """One problem. `row` is the spreadsheet's row number (the header is row 1); `column` its header text;
    `message` the problem in English. `template` is its catalogue message (marked N_ where it is written), with
    %(name)s placeholders for `params`, so that a page shows it in the reader's language."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    template: str = field(default="", compare=False)
    params: dict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return self.text(translated)

    def text(self, lookup) -> str:
        """Where and what, each looked up with `lookup` (the reader's catalogue, or `str` for English)."""
        where = [fill(lookup(SHEET), {"sheet": repr(self.sheet)}, SHEET) if self.sheet else lookup(WORKBOOK)]
        if self.row is not None:
            where.append(fill(lookup(ROW), {"row": self.row}, ROW))
        if self.column:
            where.append(fill(lookup(COLUMN), {"column": repr(self.column)}, COLUMN))
        what = fill(lookup(self.template), self.params, self.message) if self.template else lookup(self.message)
        return fill(lookup(WHERE_WHAT), {"where": ", ".join(where), "what": what}, WHERE_WHAT)

    def sort_key(self) -> tuple:
        return (SHEET_ORDER.get(self.sheet, -1), self.row or 0, self.column or "")


@dataclass(frozen=True)
class Phrase:
    """A catalogue message that fills another's placeholder: looked up when the problem is shown."""

    text: str

    def __str__(self) -> str:
        return translated(self.text)


@dataclass(frozen=True)
class LanguageName:
    """A language by its name in the reader's language ('English', 'anglais', 'Englisch'), when shown."""

    code: str

    def __str__(self) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            names = Locale.parse(reader_language()).languages
        except (ValueError, UnknownLocaleError):
            names = {}
        return names.get(self.code) or language_name(self.code)


SHEET, WORKBOOK, ROW, COLUMN = N_("sheet %(sheet)s"), N_("workbook"), N_("row %(row)s"), N_("column %(column)s")
WHERE_WHAT = N_("%(where)s: %(what)s")
HEADING = N_("The XLSForm cannot be imported (problems: %(count)s):")


class XLSFormImportError(RuleError):
    """The workbook cannot be converted; `errors` lists every problem found (nothing was imported). The
    author's bad input: about the uploaded file (`field` "file", 422). Its text: a heading, then a line a problem."""

    def __init__(self, errors: list[XLSFormError], field: str | None = "file"):
        self.errors = sorted(errors, key=XLSFormError.sort_key)
        super().__init__(HEADING, field, count=len(self.errors))

    def text(self, lookup) -> str:
        return "\n".join([super().text(lookup), *(f"- {e.text(lookup)}" for e in self.errors)])


class Problems:
    """Collects errors while the importer reads on, so one run reports them all."""

    def __init__(self):
        self.errors: list[XLSFormError] = []

    def add(self, sheet: str, row: int | None, column: str | None, message: str, **params) -> None:
        """A problem; `message` a catalogue message, its %(name)s placeholders filled from `params`."""
        english = fill(message, params, message) if params else message
        error = XLSFormError(sheet, row, column, english, message, params)
        if error not in self.errors:
            self.errors.append(error)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise XLSFormImportError(self.errors)
