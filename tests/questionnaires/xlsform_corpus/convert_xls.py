"""How the .xlsx files named '*.from-xls.xlsx' were made: pyxform's legacy .xls fixtures, re-saved as .xlsx.

Our import reads .xlsx only (an .xls upload is refused with "save it as .xlsx first"), so the old binary
workbooks were converted once, cell by cell, with xlrd (dates as dates, everything else as read):

    python tests/questionnaires/xlsform_corpus/convert_xls.py FILE.xls [...]   # writes FILE.from-xls.xlsx here
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def convert(path: Path) -> Path:
    import xlrd
    from openpyxl import Workbook

    book = xlrd.open_workbook(str(path))
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets():
        ws = wb.create_sheet(sheet.name[:31])
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                else:
                    row.append(cell.value)
            ws.append(row)
    out = HERE / f"{path.stem}.from-xls.xlsx"
    wb.save(out)
    return out


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(convert(Path(name)))
