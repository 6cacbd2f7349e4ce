"""Writers shared by every export: CSV and XLSX (formula-safe), iCalendar; the text cleaning every writer
uses. DOCX: portal.docx_writer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from portal.config import DEFAULTS
from portal.enums import say

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


# A4 with openpyxl's default margins (0.75 in left/right, 1 in top/bottom), in points
_A4_PT = (595, 842)
_MARGINS_PT = (2 * 0.75 * 72, 2 * 1.0 * 72)
_ROW_PT = 15  # the default row height
_CHAR_PT = 5.6  # one unit of column width (a digit of the default font), in points
WRAP_AT = 50  # columns wider than this many characters wrap their text instead
MIN_PRINT_SCALE = 0.5  # narrower than this when fitted to the page width, a sheet is not fitted


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]], images: dict | None = None,
               marking: str = "") -> bytes:
    """A workbook with one sheet per entry {title: (header, rows)}; images: {title: [(png bytes, 'A1')]};
    `marking` (portal.markings) is printed in the header and footer of every page of every sheet.

    Made for print as well as screen: long text wraps in columns sized by their content, every sheet is
    A4 fitted to the page width with its header row repeated, and no picture is cut by a page break."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    aligned = {wrap: Alignment(wrap_text=wrap, vertical="top") for wrap in (False, True)}
    for title, (header, rows) in sheets.items():
        ws = wb.create_sheet(_sheet_title(title))
        ws.append([safe_cell(_xlsx_value(h)) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([None if v is None else safe_cell(_xlsx_value(v)) for v in row])
        ws.freeze_panes = "A2"
        widths = []
        for column in ws.columns:
            longest = max((max(len(line) for line in str(c.value).split("\n") or [""])
                           for c in column if c.value is not None), default=8)
            width = min(max(longest + 2, 8), WRAP_AT)
            widths.append(width)
            ws.column_dimensions[column[0].column_letter].width = width
            for cell in column:
                text = cell.value if isinstance(cell.value, str) else ""
                wrap = len(text) > width - 2 or "\n" in text
                cell.alignment = aligned[wrap]  # one object each: openpyxl keeps one style of equal ones
                if wrap:  # spreadsheet programs do not grow the row themselves when they open the file
                    lines = sum(math.ceil(max(len(part), 1) / (width - 2)) for part in text.split("\n"))
                    height = min(lines, 20) * _ROW_PT
                    if height > (ws.row_dimensions[cell.row].height or _ROW_PT):
                        ws.row_dimensions[cell.row].height = height
        placed = []
        for png, anchor in (images or {}).get(title, []):
            picture = Image(io.BytesIO(png))
            ws.add_image(picture, anchor)
            placed.append((picture, anchor))
        _print_setup(ws, widths, placed)
        _print_marking(ws, one_line(marking).strip())
    if not wb.sheetnames:
        wb.create_sheet("Empty")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _print_setup(ws, widths: list[float], pictures: list) -> None:
    """A4, fitted to the page width (portrait unless the sheet is much wider than tall; a very wide sheet
    to as many page widths as keep it at half size), header row on every page, and a page break before
    any picture that would otherwise be cut in two."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
    from openpyxl.worksheet.pagebreak import Break

    content_pt = sum(widths) * _CHAR_PT
    for picture, anchor in pictures:
        col, _ = coordinate_from_string(anchor)
        left = sum(widths[: column_index_from_string(col) - 1]) * _CHAR_PT
        left += max(0, column_index_from_string(col) - 1 - len(widths)) * 8.43 * _CHAR_PT
        content_pt = max(content_pt, left + picture.width * 0.75)
    portrait = content_pt <= (_A4_PT[0] - _MARGINS_PT[0]) * 1.4
    page_w, page_h = (_A4_PT if portrait else _A4_PT[::-1])
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.print_title_rows = "1:1"
    printable = page_w - _MARGINS_PT[0]
    # a data table of hundreds of columns would print unreadably small on one page width: it runs over
    # as few pages across as keep it at half size or more, each starting with the first column (the key)
    across = max(1, math.ceil(content_pt * MIN_PRINT_SCALE / printable))
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = across, 0
    if across > 1:
        ws.print_title_cols = "A:A"
    scale = min(1.0, printable * across / max(content_pt, 1))
    rows_per_page = int((page_h - _MARGINS_PT[1]) / (_ROW_PT * scale)) - 1  # less the repeated header
    page_top = 2
    for picture, anchor in sorted(pictures, key=lambda p: coordinate_from_string(p[1])[1]):
        _, row = coordinate_from_string(anchor)
        span = int(picture.height * 0.75 / _ROW_PT) + 1
        while row >= page_top + rows_per_page:
            page_top += rows_per_page
        if row + span > page_top + rows_per_page and row > page_top and span <= rows_per_page:
            ws.row_breaks.append(Break(id=row - 1))
            page_top = row


def _print_marking(ws, marking: str) -> None:
    """The marking at the top right and bottom left of every printed page, with 'page n of N' below."""
    page = say("page")  # in the workbook's language, as its other words
    ws.oddFooter.right.text = f"{page[:1].upper()}{page[1:]} &P {say('of')} &N"
    if not marking:
        return
    text = marking.replace("&", "&&")
    ws.oddHeader.right.text = text
    ws.oddHeader.right.font = "Arial,Bold"
    ws.oddFooter.left.text = text


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


def one_line(text: str) -> str:
    """A single-line value (a header, a title) with every control character made a space: a CR/LF
    in a mail header or an iCalendar property would otherwise break the whole message or file."""
    return "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in str(text or ""))


def _one_line_person(person):
    if not person:
        return person
    email, label = person
    return one_line(printable_text(str(email))), one_line(printable_text(str(label)))


# the ORGANIZER of every iTIP message the portal mails (meetings, training): the portal's sending address,
# the configured SPOC_MAIL_SENDER, which views pass in (the default is the built-in one)
ORGANIZER_NAME = "Heads of SPOC network secretariat"
DEFAULT_ORGANIZER = str(DEFAULTS["MAIL_SENDER"])


def itip_ics(event: dict, method: str, attendees: list[tuple[str, str]], name: str) -> bytes:
    """An iTIP message (RFC 5546) about one event to its `attendees` [(email, name)]: REQUEST invites or
    updates (same UID, the event's current SEQUENCE), CANCEL takes the event out of their calendars."""
    event = event | {"attendees": attendees}
    if method == "CANCEL":
        event["status"] = "CANCELLED"
    return ics_calendar([event], name=name, method=method)


def ics_calendar(events: Iterable[dict], name: str = "SPOC portal", method: str = "PUBLISH") -> bytes:
    """An iCalendar file; each event {uid, summary, start, end, location, description, url?, status?,
    sequence?, organizer? (email, name), attendees? [(email, name)]}.

    `method` is the iTIP method (RFC 5546): PUBLISH for downloads and feeds, REQUEST for an invitation or
    its update, CANCEL for a cancellation or a withdrawn invitation."""
    from icalendar import Calendar, Event, vCalAddress, vText

    name = one_line(name)
    # RFC 5545 text holds no control character (3.3.11 TSAFE-CHAR): one-line values and the names of the
    # organiser and attendees lose theirs, the description keeps its line breaks only (printable_text)
    events = [{**e, **{k: one_line(printable_text(str(e[k]))) for k in ("uid", "summary", "location", "url", "status")
                       if e.get(k)},
               "description": printable_text(str(e.get("description") or "").replace("\r\n", "\n").replace("\r", "\n")),
               "organizer": _one_line_person(e.get("organizer")),
               "attendees": [_one_line_person(a) for a in e.get("attendees", [])]}
              for e in events]

    cal = Calendar()
    cal.add("prodid", "-//Heads of SPOC network//spoc-portal//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    for item in events:
        ev = Event()
        ev.add("uid", item["uid"])
        ev.add("dtstamp", dt.datetime.now(dt.UTC))
        ev.add("sequence", int(item.get("sequence", 0)))
        ev.add("summary", item["summary"])
        ev.add("dtstart", item["start"])
        ev.add("dtend", item["end"])
        if item.get("organizer"):
            email, label = item["organizer"]
            organizer = vCalAddress(f"mailto:{email}")
            organizer.params["cn"] = vText(label)
            ev.add("organizer", organizer)
        for email, label in item.get("attendees", []):
            attendee = vCalAddress(f"mailto:{email}")
            attendee.params.update({"cn": vText(label), "role": "REQ-PARTICIPANT", "cutype": "INDIVIDUAL",
                                    "partstat": "NEEDS-ACTION", "rsvp": "FALSE"})  # answers go to the portal
            ev.add("attendee", attendee, encode=0)
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


@lru_cache(maxsize=1)
def unicode_font_path() -> Path:
    """The font of the PDFs the portal writes (certificates, badges, participant lists, stamps): DejaVu Sans,
    shipped with matplotlib (a dependency), so that every name prints (Ł, Ø, Ő, Č…); its bold beside it."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
