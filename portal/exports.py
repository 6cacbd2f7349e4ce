"""Writers shared by every export: CSV and XLSX (formula-safe), DOCX helpers, iCalendar."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        # control characters (e.g. \x0b pasted from a word processor) cannot be stored in a sheet
        return ILLEGAL_CHARACTERS_RE.sub("", value)
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


def one_line(text: str) -> str:
    """A single-line value (a header, a title) with every control character made a space: a CR/LF
    in a mail header or an iCalendar property would otherwise break the whole message or file."""
    return "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in str(text or ""))


def ics_calendar(events: Iterable[dict], name: str = "SPOC portal") -> bytes:
    """An iCalendar file; each event {uid, summary, start, end, location, description, url?, status?}."""
    from icalendar import Calendar, Event

    name = one_line(name)
    events = [{**e, **{k: one_line(e[k]) for k in ("uid", "summary", "location", "url", "status") if e.get(k)},
               "description": str(e.get("description") or "").replace("\r\n", "\n").replace("\r", "\n")}
              for e in events]

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


def docx_document(title: str, subtitle: str = ""):
    """A python-docx Document with the portal's title block; the caller adds content and saves."""
    from docx import Document

    doc = Document()
    doc.add_heading(title, level=0)
    if subtitle:
        doc.add_paragraph(subtitle).italic = True
    return doc


def docx_table(doc, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(_plain(value))


def docx_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
