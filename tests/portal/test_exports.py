"""The shared export writers: formula neutralisation, characters a sheet cannot hold, iCalendar."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
from icalendar import Calendar

from portal.exports import csv_bytes, ics_calendar, safe_cell, xlsx_bytes


def test_formula_like_text_is_neutralised_in_csv_and_xlsx():
    rows = [["=HYPERLINK(\"http://x\")", "+1", "-2 cmd", "@SUM(A1)", "plain", 5]]
    text = csv_bytes(["a", "b", "c", "d", "e", "f"], rows).decode("utf-8-sig")
    back = list(csv.reader(io.StringIO(text)))[1]
    assert back[:4] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2 cmd", "'@SUM(A1)"] and back[4:] == ["plain", "5"]
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"S": (["a", "b", "c", "d", "e", "f"], rows)})))
    values = [c.value for c in wb["S"][2]]
    assert values == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2 cmd", "'@SUM(A1)", "plain", 5]
    assert wb["S"]["A2"].data_type == "s"  # text, never a formula
    assert safe_cell(-3) == -3  # numbers are not text and stay numbers


def test_control_characters_do_not_break_a_workbook():
    data = xlsx_bytes({"S": (["text"], [["line\x0bbreak\x01"]])})
    assert openpyxl.load_workbook(io.BytesIO(data))["S"]["A2"].value == "line\nbreak"  # a pasted line break stays one


def test_control_characters_never_reach_an_icalendar_file():
    """RFC 5545 text holds no control character: a pasted vertical tab in a description, a title or a
    participant's name is made a line break or a space, and two parsers read the file."""
    import vobject

    start = dt.datetime(2027, 3, 4, 9, 0, tzinfo=dt.UTC)
    data = ics_calendar([{"uid": "m1@spoc", "summary": "Heads\x0bof SPOC", "start": start,
                          "end": start + dt.timedelta(hours=1), "description": "line\x0bbreak\x01 end\x85",
                          "organizer": ("sec@demo.invalid", "Secre\x0btariat"),
                          "attendees": [("anne@demo.invalid", "Anne\x0bDubois\n")]}], method="REQUEST")
    assert not [b for b in data.decode() if ord(b) < 32 and b not in "\r\n"] and "\x85" not in data.decode()
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["description"]) == "line\nbreak end" and str(event["summary"]) == "Heads of SPOC"
    assert vobject.readOne(data.decode()).vevent.attendee.params["CN"] == ["Anne Dubois "]


def test_ics_calendar_parses():
    start = dt.datetime(2027, 3, 4, 9, 0, tzinfo=dt.UTC)
    cal = Calendar.from_ical(ics_calendar([{"uid": "m1@spoc", "summary": "Heads of SPOC", "start": start,
                                            "end": start + dt.timedelta(hours=8), "location": "Vilnius"}]))
    (event,) = cal.walk("VEVENT")
    assert str(event["summary"]) == "Heads of SPOC" and event.decoded("dtstart") == start
