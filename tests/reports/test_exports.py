"""Exports read back: the XLSX workbook (formula-safe, charts in it), the CSV, the DOCX document."""

from __future__ import annotations

import csv
import io

import docx
import openpyxl
import pytest

from reports.chart_cache import ChartCache
from reports.document import docx_report
from reports.exports import csv_frame, xlsx_report
from reports.frame import tidy_frame
from reports.report import build_report
from tests.reports.conftest import ANSWERS, EARLIER, step


@pytest.fixture
def report(small):
    frame = tidy_frame(small, ANSWERS)
    return build_report(small, frame, title="Small SPOC survey", subtitle="Round 2026",
                        previous=[("Round 2025", small, tidy_frame(small, EARLIER))], current_label="Round 2026")


def _sheet(wb, name):
    return [[c.value for c in row] for row in wb[name].iter_rows()]


def test_xlsx_has_a_sheet_per_table_with_its_data_and_charts(report, tmp_path):
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_report(report, ChartCache(tmp_path))))
    assert wb.sheetnames == ["About this report", "Maturity", "Maturity method", "Capabilities", "Answers by country",
                             "Frequencies", "Rankings", "Figures by country", "Figures summary", "Processes",
                             "Process variants", "Common steps", "SWOT", "Free text", "Change since last round", "Maturity by round",
                             "Charts"]
    maturity = _sheet(wb, "Maturity")
    assert maturity[0][:3] == ["Country", "Maturity index", "Rank"]
    assert [r[:3] for r in maturity[1:]] == [["BE", 100, 1], ["DE", 66.7, 2], ["NL", 16.7, 3]]
    about = dict((r[0], r[1]) for r in _sheet(wb, "About this report") if r[0])
    assert about["Maturity index method"].startswith("Weighted mean of the item scores")
    caps = _sheet(wb, "Capabilities")
    assert caps[0] == ["Country", "24/7", "Hosted by a ministry", "NCB in the SPOC"]
    assert caps[2] == ["DE", 1, 0, None]  # no answer stays empty
    changes = _sheet(wb, "Change since last round")
    assert changes[1][:6] == ["BE", 33.3, 100, 66.7, "24/7", None]
    assert len(wb["Capabilities"]._images) == 1 and len(wb["Maturity"]._images) == 1
    assert len(wb["Charts"]._images) == len(report.question_charts) == 5


def test_every_spreadsheet_cell_is_neutralised_against_formulas(report, tmp_path, small):
    hostile = {"BE": {**ANSWERS["BE"], "swot_s": "+cmd|' /C calc'!A0", "swot_w": "@SUM(1)"},
               "NL": {**ANSWERS["NL"], "name": "-2+3"}}
    report = build_report(small, tidy_frame(small, hostile), title="=HYPERLINK(\"x\")")
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_report(report, ChartCache(tmp_path))))
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if t[:1] in "=+-@"], "a cell would run as a formula"
    free = _sheet(wb, "Free text")
    assert ["name", "Name of the SPOC", "BE", "'=SUM(A1:A9)"] in free
    assert ["name", "Name of the SPOC", "NL", "'-2+3"] in free
    swot = _sheet(wb, "SWOT")
    assert swot[1][3:5] == ["'+cmd|' /C calc'!A0", "'@SUM(1)"]
    assert any(t == "'=HYPERLINK(\"x\")" for t in texts)
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_csv_is_the_tidy_frame_and_formula_safe(small):
    frame = tidy_frame(small, ANSWERS, round_id=3)
    text = csv_frame(frame).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["round", "country", "question", "section", "type", "sub_item", "value", "label"]
    assert len(rows) == len(frame) + 1
    assert ["3", "BE", "units", "basics", "multiple_choice", "", "ncb", "NCB"] in rows
    assert ["3", "BE", "name", "basics", "text", "", "'=SUM(A1:A9)", "'=SUM(A1:A9)"] in rows


def test_docx_report_has_the_charts_with_alt_text_and_the_tables(report, tmp_path):
    document = docx.Document(io.BytesIO(docx_report(report, ChartCache(tmp_path))))
    assert len(document.inline_shapes) == len(report.charts) == 7
    descriptions = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert descriptions[0].startswith("Maturity ranking, highest first: BE 100.0")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Small SPOC survey" in text and "Weighted mean of the item scores" in text
    assert "BE: =SUM(A1:A9)" in text  # a word processor runs no formulas: the text as written
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["Capability", "In place", "Not in place", "No answer", "Countries with it"] in headers
    assert ["Step", "Countries", "Always", "Specific cases", "Optional", "Automated", "Partly", "Manual",
            "Classification"] in headers
    assert "mandatory for all when every country that described the process does it" in text
    steps = next(t for t in document.tables if t.rows[0].cells[-1].text == "Classification")
    assert [c.text for c in steps.rows[1].cells][:2] == ["Receipt", "3"]
    assert steps.rows[1].cells[-1].text == "mandatory"
    caps = next(t for t in document.tables if t.rows[0].cells[0].text == "Capability")
    assert [c.text for c in caps.rows[1].cells] == ["24/7", "2", "1", "0", "BE, DE"]
    swot = next(t for t in document.tables if t.rows[0].cells[1].text == "Strengths")
    assert [c.text for c in swot.rows[1].cells][:3] == ["BE", "Fast replies", "Few staff"]


def test_a_pasted_line_break_in_an_answer_does_not_break_any_export(small, tmp_path):
    answers = {**ANSWERS, "NL": {**ANSWERS["NL"], "name": "NL\x0bSPOC\x01", "swot_s": "Co-\x0blocation",
                                 "intake": [step("Receipt\x0b", "mandatory")]}}
    frame = tidy_frame(small, answers)
    pasted = build_report(small, frame, title="Survey\x0b2026", subtitle="Round 2026")
    document = docx.Document(io.BytesIO(docx_report(pasted, ChartCache(tmp_path))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "NL: NL\nSPOC" in text and "\x01" not in text
    assert any("Co-\nlocation" in c.text for t in document.tables for r in t.rows for c in r.cells)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_report(pasted, ChartCache(tmp_path))))
    assert any(c.value == "NL\nSPOC" for ws in wb for row in ws.iter_rows() for c in row)
    assert "NL" in csv_frame(frame).decode("utf-8-sig")
