"""Files that print right: DOCX on A4 with numbered headings, tables that never cut a word, properties
filled in, Markdown rendered; XLSX that wraps long text, fits the page width and never cuts a chart."""

from __future__ import annotations

import io
import struct
import zlib

import docx
import openpyxl
from docx.shared import Mm

from portal.docx_writer import DocxWriter, column_widths_mm
from portal.exports import xlsx_bytes

LONG = ("Send the guidelines on cross-border cooperation to all SPOCs and collect their remarks before the "
        "next meeting of the network")


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_a_docx_is_a4_with_margins_properties_and_numbered_headings():
    writer = DocxWriter("Minutes: Heads of SPOC", "04 Jan 2027", subject="Minutes")
    writer.heading("Opening", 1)
    writer.heading("Decisions", 2)
    writer.heading("Any other business", 1)
    doc = docx.Document(io.BytesIO(writer.to_bytes()))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) >= 20 and round(section.top_margin.mm) >= 20
    assert doc.core_properties.title == "Minutes: Heads of SPOC" and doc.core_properties.author
    assert [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")] == [
        "1. Opening", "1.1 Decisions", "2. Any other business"]
    assert "PAGE" in section.footer._element.xml  # page numbers in the footer


def test_table_columns_are_sized_by_content_and_never_narrower_than_a_word():
    header = ["Action", "Owner", "Due", "Status"]
    rows = [[LONG, "Bundeskriminalamt (Germany)", "31 Jan 2030", "In progress"]]
    widths = column_widths_mm(header, rows, 165)
    assert abs(sum(widths) - 165) < 0.01
    assert widths[0] == max(widths)  # the long text gets the room
    assert widths[1] >= len("Bundeskriminalamt") * 2.2  # the longest word fits on one line
    writer = DocxWriter("Report")
    writer.table(header, rows)
    table = docx.Document(io.BytesIO(writer.to_bytes())).tables[0]
    got = [round(c.width.mm) for c in table.rows[1].cells]
    assert got == [round(w) for w in widths] and table.rows[1].cells[0].width > Mm(60)


def test_minutes_markdown_becomes_word_formatting():
    writer = DocxWriter("Minutes")
    writer.markdown("### Decisions\n\nThe network **agreed** on the *guidelines*.\n\n- first\n- second\n\n"
                    "1. one\n2. two\n\n| Country | Position |\n|---|---|\n| BE | agrees |\n\n<script>x()</script>")
    doc = docx.Document(io.BytesIO(writer.to_bytes()))
    paras = [p for p in doc.paragraphs if p.text]
    texts = [p.text for p in paras]
    assert "Decisions" in texts and "The network agreed on the guidelines." in texts
    assert not any("**" in t or "#" in t or "x()" in t for t in texts)
    assert [r.text for p in paras for r in p.runs if r.bold] == ["agreed"]
    assert [r.text for p in paras for r in p.runs if r.italic and r.text.strip()][-1] == "guidelines"
    assert [p.style.name for p in paras if p.text in ("first", "second")] == ["List Bullet", "List Bullet"]
    assert [p.text for p in paras if p.text.endswith(("one", "two"))] == ["1.\tone", "2.\ttwo"]
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows] == [["Country", "Position"], ["BE", "agrees"]]


def test_xlsx_wraps_long_text_and_prints_on_a4_fitted_to_width():
    data = xlsx_bytes({"Actions": (["Action", "Owner"], [[LONG, "BE"], ["Short", "NL"]])})
    ws = openpyxl.load_workbook(io.BytesIO(data))["Actions"]
    assert ws.column_dimensions["A"].width <= 50 and ws["A2"].alignment.wrap_text
    assert ws.row_dimensions[2].height and ws.row_dimensions[2].height > 15  # the row shows every line
    assert not ws["A3"].alignment.wrap_text and ws.column_dimensions["B"].width >= 8
    assert int(ws.page_setup.paperSize) == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"


def test_no_chart_is_cut_by_a_page_break():
    rows = [[f"row {i}", i] for i in range(200)]
    anchors = [2, 30, 58, 86, 114]  # charts of 26 rows, one under the other
    data = xlsx_bytes({"Charts": (["Label", "Value"], rows)},
                      images={"Charts": [(_png(400, 500), f"D{a}") for a in anchors]})
    ws = openpyxl.load_workbook(io.BytesIO(data))["Charts"]
    breaks = {b.id for b in ws.row_breaks.brk}
    assert breaks  # some charts would have crossed a page
    # paginate as a printer does: A4 portrait rows of 15 pt below 1 in margins, the header repeated
    per_page, top, page_of = int((842 - 144) / 15) - 1, 2, {}
    for row in range(2, 200):
        if row - top >= per_page or (row - 1) in breaks:
            top = row
        page_of[row] = top
    for anchor in anchors:
        assert page_of[anchor] == page_of[anchor + 25], f"the chart at row {anchor} is cut"


def test_every_docx_writer_method_takes_pasted_control_characters():
    bad = "line\x0bbreak\x0cpage\x01\x1f\ufffe"
    writer = DocxWriter(bad, bad, subject=bad)
    writer.heading(bad, 1)
    writer.paragraph(bad)
    writer.bullet(bad)
    writer.table([bad, "b"], [[bad, 1], [None, 2.5]])
    writer.picture(_png(20, 10), bad)
    writer.markdown(f"**{bad}**\n\n- {bad}\n\n| a | b |\n|---|---|\n| {bad} | x |")
    doc = docx.Document(io.BytesIO(writer.to_bytes()))
    texts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert doc.core_properties.title == "line\nbreak\npage"
    assert texts.count("line\nbreak\npage") >= 5 and "1. line\nbreak\npage" in texts
    assert not any(ch in t for t in texts for ch in "\x0b\x0c\x01\x1f\ufffe")


def test_a_very_wide_data_table_is_not_shrunk_to_one_page_width():
    header = ["country"] + [f"question_{i}" for i in range(200)]
    data = xlsx_bytes({"Answers": (header, [["BE"] + ["yes"] * 200])})
    ws = openpyxl.load_workbook(io.BytesIO(data))["Answers"]
    assert ws.page_setup.fitToWidth > 1  # on one page width it would print at a few per cent
    assert ws.print_title_cols == "$A:$A" and ws.page_setup.orientation == "landscape"
