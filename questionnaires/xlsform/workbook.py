"""Reading an XLSForm workbook into plain text cells, with its language columns resolved."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from portal.enums import N_
from portal.exports import FORMULA_START
from questionnaires.xlsform.errors import Problems
from questionnaires.xlsform.layout import CHOICES, SETTINGS, SURVEY, TRANSLATABLE, language_code, parse_header

MAX_ROWS = 5000  # per sheet; far beyond any questionnaire, and it bounds the work an upload can cause
MAX_COLUMNS = 300
# An XLSForm is a few hundred KB of text at most. Both bounds stop a small upload that unpacks to
# hundreds of MB (one huge cell) from being read, stored, and then rendered on every page.
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
MAX_CELL_CHARS = 10_000  # a label, hint or choice list longer than this is not a questionnaire's


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet's row number
    values: tuple[str, ...]


def cell_text(value: object) -> str:
    """A cell as the text an XLSForm tool reads; our own export's formula guard (a leading ') is undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] and text[1] in FORMULA_START:
        text = text[1:]
    return text


class Sheet:
    """One sheet: its rows, plain columns by name, and translatable columns by language."""

    def __init__(self, name: str, raw: list[tuple], default_language: str, problems: Problems):
        self.name = name
        self.default_language = default_language
        self.columns: dict[str, int] = {}
        self.translations: dict[str, list[tuple[str, int]]] = {}
        self.headers: dict[int, str] = {}
        header = raw[0] if raw else ()
        for index, value in enumerate(header):
            text = cell_text(value)
            if not text:
                continue
            self.headers[index] = text
            h = parse_header(text)
            if h.language is not None and h.base in TRANSLATABLE:
                code = default_language if h.language.lower() == "default" else language_code(h.language)
                if code is None:
                    problems.add(name, 1, text, N_("cannot tell the language of this column: name it like "
                                                   "'label::French (fr)' or 'label::fr'"))
                    continue
                if any(code == c for c, _ in self.translations.get(h.base, [])):
                    problems.add(name, 1, text, N_("a second %(base)s column for the language '%(code)s'"), base=h.base,
                                 code=code)
                    continue
                self.translations.setdefault(h.base, []).append((code, index))
            elif h.base in self.columns:
                problems.add(name, 1, text, N_("this column appears twice"))
            else:
                self.columns[h.base] = index
        self.rows: list[Row] = []
        for number, values in enumerate(raw[1:], start=2):
            texts = tuple(cell_text(v) for v in values)
            if any(texts):
                self.rows.append(Row(number, texts))

    def has(self, base: str) -> bool:
        return base in self.columns or base in self.translations

    def header(self, base: str) -> str:
        """The header text to name in an error about `base`."""
        if base in self.columns:
            return self.headers[self.columns[base]]
        if self.translations.get(base):
            return self.headers[self.translations[base][0][1]]
        return base

    def get(self, row: Row, base: str) -> str:
        index = self.columns.get(base)
        return row.values[index] if index is not None and index < len(row.values) else ""

    def texts(self, row: Row, base: str) -> dict[str, str]:
        """{language: text} from the plain column (the default language) and the `base::LANG` columns."""
        found: dict[str, str] = {}
        plain = self.get(row, base)
        if plain:
            found[self.default_language] = plain
        for code, index in self.translations.get(base, []):
            if index < len(row.values) and row.values[index]:
                found[code] = row.values[index]
        return found

    def languages(self) -> list[str]:
        """Languages that have some text in this sheet, in column order."""
        codes: list[str] = []
        for base in ("label", "hint", "constraint_message"):
            if base in self.columns and any(self.get(r, base) for r in self.rows):
                codes.append(self.default_language)
            for code, index in self.translations.get(base, []):
                if any(index < len(r.values) and r.values[index] for r in self.rows):
                    codes.append(code)
        return list(dict.fromkeys(codes))


def _column_name(rows: list[tuple], index: int) -> str:
    """The column's header (as other problems name it), else its letter."""
    from openpyxl.utils import get_column_letter

    header = rows[0][index] if rows and index < len(rows[0]) else None
    return cell_text(header) if isinstance(header, str) and len(header) <= 100 else get_column_letter(index + 1)


def read_sheets(data: bytes, problems: Problems) -> dict[str, list[tuple]]:
    """The raw rows of the survey, choices and settings sheets by lower-case name ({} and a problem if unreadable)."""
    from openpyxl import load_workbook

    from portal.files import zip_problem

    if data.startswith(b"PK\x03\x04") and (problem := zip_problem(data, MAX_UNZIPPED_BYTES)):
        problems.add("", None, None, problem.message, **problem.params)
        return {}
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a file that is not a workbook
        problems.add("", None, None, N_("not an Excel .xlsx workbook (%(kind)s); an .xls file must first be saved "
                                        "as .xlsx"), kind=type(exc).__name__)
        return {}
    try:
        found: dict[str, list[tuple]] = {}
        for ws in wb.worksheets:
            key = ws.title.strip().lower()
            if key not in (SURVEY, CHOICES, SETTINGS) or key in found:
                continue
            rows: list[tuple] = []
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                values = values[:MAX_COLUMNS]
                for column, value in enumerate(values):
                    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                        problems.add(key, number, _column_name(rows, column),
                                     N_("a cell of %(length)s characters (at most %(most)s)"),
                                     length=f"{len(value):,}", most=f"{MAX_CELL_CHARS:,}")
                        values = values[:column] + ("",) + values[column + 1:]
                rows.append(values)
                if len(rows) > MAX_ROWS + 1:
                    problems.add(key, MAX_ROWS + 2, None, N_("more than %(count)s rows"), count=MAX_ROWS)
                    break
            found[key] = rows
        return found
    finally:
        wb.close()
