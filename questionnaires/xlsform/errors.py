"""What an XLSForm import reports: every problem at once, each naming its sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass

from portal.errors import RuleError
from questionnaires.xlsform.layout import SHEET_ORDER


@dataclass(frozen=True)
class XLSFormError:
    """One problem. `row` is the spreadsheet's row number (the header is row 1); `column` its header text."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"sheet {self.sheet!r}" if self.sheet else "workbook"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"

    def sort_key(self) -> tuple:
        return (SHEET_ORDER.get(self.sheet, -1), self.row or 0, self.column or "")


class XLSFormImportError(RuleError):
    """The workbook cannot be converted; `errors` lists every problem found (nothing was imported). The
    author's bad input: about the uploaded file (`field` "file", 422)."""

    def __init__(self, errors: list[XLSFormError], field: str | None = "file"):
        self.errors = sorted(errors, key=XLSFormError.sort_key)
        count = len(self.errors)
        lines = [f"The XLSForm cannot be imported ({count} problem{'s' if count != 1 else ''}):"]
        lines += [f"- {e}" for e in self.errors]
        super().__init__("\n".join(lines), field)


class Problems:
    """Collects errors while the importer reads on, so one run reports them all."""

    def __init__(self):
        self.errors: list[XLSFormError] = []

    def add(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        error = XLSFormError(sheet, row, column, message)
        if error not in self.errors:
            self.errors.append(error)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise XLSFormImportError(self.errors)
