"""What an XLSForm import reports: every problem at once, each naming its sheet, row and column.

A problem is a catalogue message (marked N_ where it is written, its values as named placeholders) shown in the
language of the page that imports (issue 19): `XLSFormError.text`, `str(error)`, and the import error's summary.
`message` keeps it in English, its values filled (the command line, the tests, a log)."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.enums import N_, say
from portal.errors import RuleError
from questionnaires.xlsform.layout import SHEET_ORDER


@dataclass(frozen=True)
class XLSFormError:
    """One problem. `row` is the spreadsheet's row number (the header is row 1); `column` its header text;
    `message` the problem in English; `template` and `params` the catalogue message it was made from."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    template: str = field(default="", compare=False)
    params: tuple = field(default=(), compare=False)  # (name, value) pairs

    @property
    def text(self) -> str:
        """The problem in the reader's language."""
        return say(self.template, **dict(self.params)) if self.template else self.message

    def __str__(self) -> str:
        where = [say(N_("sheet %(sheet)s"), sheet=repr(self.sheet)) if self.sheet else say(N_("workbook"))]
        if self.row is not None:
            where.append(say(N_("row %(row)s"), row=self.row))
        if self.column:
            where.append(say(N_("column %(column)s"), column=repr(self.column)))
        return say(N_("%(where)s: %(problem)s"), where=", ".join(where), problem=self.text)

    def sort_key(self) -> tuple:
        return (SHEET_ORDER.get(self.sheet, -1), self.row or 0, self.column or "")


class XLSFormImportError(RuleError):
    """The workbook cannot be converted; `errors` lists every problem found (nothing was imported). The
    author's bad input: about the uploaded file (`field` "file", 422). Its text is in the language of the
    request that raises it, which is the page that shows it."""

    def __init__(self, errors: list[XLSFormError], field: str | None = "file"):
        self.errors = sorted(errors, key=XLSFormError.sort_key)
        count = len(self.errors)
        summary = say(N_("The XLSForm cannot be imported (1 problem):")) if count == 1 else \
            say(N_("The XLSForm cannot be imported (%(count)s problems):"), count=count)
        super().__init__("\n".join([summary, *(f"- {e}" for e in self.errors)]), field)


class Problems:
    """Collects errors while the importer reads on, so one run reports them all."""

    def __init__(self):
        self.errors: list[XLSFormError] = []

    def add(self, sheet: str, row: int | None, column: str | None, message: str, /, **params) -> None:
        """A problem: `message` a catalogue message (N_) with %(name)s placeholders for `params`; a text not in the
        catalogue (an exception's own words) is shown as it is."""
        english = message % params if params else message
        error = XLSFormError(sheet, row, column, english, message, tuple(sorted(params.items())))
        if error not in self.errors:
            self.errors.append(error)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise XLSFormImportError(self.errors)
