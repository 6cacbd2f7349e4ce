"""Writers shared by every export: CSV and XLSX (formula-safe), iCalendar; the text cleaning every writer
uses. DOCX: portal.docx_writer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 (DOCX, XLSX) cannot hold: C0 controls but tab, line feed and carriage return; DEL and the
# C1 controls; the non-characters U+FFFE, U+FFFF; lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile("[\x0b\x0c\u2028\u2029]")


def printable_text(text: str) -> str:
    """Text every writer can store: a vertical tab or form feed (Word's line and page breaks, pasted) becomes
    a line break; other control characters are dropped. Every DOCX, XLSX and PDF writer calls this."""
    return _UNPRINTABLE.sub("", _BREAKS.sub("\n", text))


def safe_cell(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 CSV with a BOM (so spreadsheet programs read accents right), every cell neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(_plain(v)) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]], images: dict | None = None) -> bytes:
    """A workbook with one sheet per entry {title: (header, rows)}; images: {title: [(png bytes, 'A1')]}."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, (header, rows) in sheets.items():
        ws = wb.create_sheet(_sheet_title(title))
        ws.append([safe_cell(_xlsx_value(h)) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([None if v is None else safe_cell(_xlsx_value(v)) for v in row])
        ws.freeze_panes = "A2"
        for column in ws.columns:
            width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
        for png, anchor in (images or {}).get(title, []):
            ws.add_image(Image(io.BytesIO(png)), anchor)
    if not wb.sheetnames:
        wb.create_sheet("Empty")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, str):
        return printable_text(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return value


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"


def ics_calendar(events: Iterable[dict], name: str = "SPOC portal") -> bytes:
    """An iCalendar file; each event {uid, summary, start, end, location, description, url?, status?}."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Heads of SPOC network//spoc-portal//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("method", "PUBLISH")
    for item in events:
        ev = Event()
        ev.add("uid", item["uid"])
        ev.add("dtstamp", dt.datetime.now(dt.UTC))
        ev.add("summary", item["summary"])
        ev.add("dtstart", item["start"])
        ev.add("dtend", item["end"])
        if item.get("location"):
            ev.add("location", item["location"])
        if item.get("description"):
            ev.add("description", item["description"])
        if item.get("url"):
            ev.add("url", item["url"])
        if item.get("status"):
            ev.add("status", item["status"])
        cal.add_component(ev)
    return cal.to_ical()
