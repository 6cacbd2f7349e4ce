"""The one DOCX writer of the portal: A4 pages with print margins, numbered headings, tables sized by
their content, the title and author in the document properties, and Markdown (minutes) as Word text.

Every string goes through `exports.printable_text` here, so a control character pasted from a word
processor can never make an export fail.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser

import markdown as md

from portal.dates import format_day, format_moment
from portal.enums import say
from portal.exports import printable_text

AUTHOR = "Heads of SPOC network secretariat"
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_MM = {"top": 25, "bottom": 20, "left": 25, "right": 20}
TABLE_FONT_PT = 9
# width of an average character of the table font, with the cell's own padding (measured in LibreOffice)
CHAR_MM, CELL_PADDING_MM, BOLD = 2.2, 4.0, 1.15


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_moment(value, "%d %b %Y %H:%M")
    if isinstance(value, dt.date):
        return format_day(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    return printable_text(str(value))


_AMOUNT = re.compile(r"[-+−€$£%\d\s.,:/()]+")


def _unbreakable(cell: str) -> list[str]:
    """The pieces of a cell that must stay on one line: an amount, a date or a short label as a whole
    (€ 35 000.00, 09 Apr 2026, In progress), the words of a longer text one by one."""
    if len(cell) <= 16 or _AMOUNT.fullmatch(cell):
        return [cell]
    return cell.split()


def column_widths_mm(header: Sequence[str], rows: Sequence[Sequence[str]], total_mm: float) -> list[float]:
    """Widths that never cut a word: each column gets at least its longest word, the rest of the line is
    shared by how much text each column holds (a column of long texts gets more than one of numbers)."""
    cols = len(header)
    cells = [[header[i]] + [r[i] for r in rows] for i in range(cols)]
    # the header row (and the first column) are bold in the table style: wider letters
    longest_word = [max([len(w) * BOLD for w in header[i].split()]
                        + [len(w) * (BOLD if i == 0 else 1) for r in rows for w in _unbreakable(r[i])] + [1])
                    for i in range(cols)]
    minimum = [min(w * CHAR_MM + CELL_PADDING_MM, total_mm / 2) for w in longest_word]
    if sum(minimum) >= total_mm:
        return [total_mm * m / sum(minimum) for m in minimum]
    # demand: the typical (root-mean-square) length of a column's cells, which long outliers do not dominate
    demand = [max(math.sqrt(sum(len(c) ** 2 for c in col) / len(col)) * CHAR_MM + CELL_PADDING_MM, m)
              for col, m in zip(cells, minimum, strict=True)]
    if sum(demand) <= total_mm:
        spare = total_mm - sum(demand)
        return [d + spare * d / sum(demand) for d in demand]
    spare = total_mm - sum(minimum)
    extra = [d - m for d, m in zip(demand, minimum, strict=True)]
    return [m + spare * e / sum(extra) if sum(extra) else m for m, e in zip(minimum, extra, strict=True)]


class DocxWriter:
    """Build a document: heading(), paragraph(), bullet(), table(), picture(), markdown(); then to_bytes()."""

    def __init__(self, title: str, subtitle: str = "", *, author: str = AUTHOR, subject: str = "",
                 numbered: bool = True, marking: str = ""):
        from docx import Document
        from docx.shared import Mm, Pt

        self.doc = Document()
        self.numbered = numbered
        self._numbers: list[int] = []
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGIN_MM["top"]), Mm(MARGIN_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGIN_MM["left"]), Mm(MARGIN_MM["right"])
        self.text_width_mm = PAGE_WIDTH_MM - MARGIN_MM["left"] - MARGIN_MM["right"]
        self.doc.styles["Normal"].font.size = Pt(10.5)
        props = self.doc.core_properties
        props.title, props.author, props.subject = _text(title), _text(author), _text(subject or subtitle)
        props.last_modified_by, props.language = _text(author), "en"
        props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.marking = _text(marking).strip()
        self._footer(_text(title))
        if self.marking:
            self._header_marking()
        self.doc.add_heading(_text(title), level=0)
        if subtitle:
            self.doc.add_paragraph().add_run(_text(subtitle)).italic = True

    def _footer(self, title: str) -> None:
        """The title and 'page N of M' at the foot of every page (Word fields, filled in when opened)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        para = self.doc.sections[0].footer.paragraphs[0]
        para.text = ""
        if self.marking:
            mark = para.add_run(f"{self.marking}  ·  ")
            mark.bold, mark.font.size = True, Pt(8)
        run = para.add_run(f"{title} · {say('page')} ")  # in the document's language
        run.font.size = Pt(8)
        for field, after in (("PAGE", f" {say('of')} "), ("NUMPAGES", "")):
            fld = OxmlElement("w:fldSimple")
            fld.set(qn("w:instr"), field)
            inner = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            inner.append(text)
            fld.append(inner)
            para._p.append(fld)
            if after:
                para.add_run(after).font.size = Pt(8)

    def _header_marking(self) -> None:
        """The marking (portal.markings) at the top of every page, right-aligned in bold."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        para = self.doc.sections[0].header.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = para.add_run(self.marking)
        run.bold, run.font.size, run.font.color.rgb = True, Pt(9), RGBColor(0xAA, 0, 0)

    def heading(self, text: str, level: int = 1, *, numbered: bool | None = None) -> None:
        """Headings 1-3 are numbered 1., 1.1, 1.1.1 (one scheme in every document)."""
        text = _text(text)
        if (self.numbered if numbered is None else numbered) and level <= 3:
            self._numbers = (self._numbers + [0] * level)[:level]
            self._numbers[-1] += 1
            number = ".".join(str(n) for n in self._numbers)
            text = f"{number}{'.' if level == 1 else ''} {text}"
        self.doc.add_heading(text, level=level)

    def paragraph(self, text: str = "", style: str | None = None, *, italic: bool = False):
        para = self.doc.add_paragraph(style=style)
        if text:
            para.add_run(_text(text)).italic = italic
        return para

    def bullet(self, text: str) -> None:
        self.paragraph(text, style="List Bullet")

    def table(self, header: Sequence[str], rows: Iterable[Sequence]) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Mm, Pt

        header = [_text(h) for h in header]
        rows = [[_text(v) for v in row] for row in rows]
        widths = column_widths_mm(header, rows, self.text_width_mm)
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Light Grid Accent 1"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        for row_values in [header] + rows:
            cells = table.rows[0].cells if row_values is header else table.add_row().cells
            for cell, value, width in zip(cells, row_values, widths, strict=True):
                cell.width = Mm(width)
                cell.text = value
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(TABLE_FONT_PT)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
        _repeat_header(table)
        self.doc.add_paragraph()

    def picture(self, png: bytes, alt: str, width_mm: float | None = None) -> None:
        from docx.shared import Mm

        shape = self.doc.add_picture(io.BytesIO(png), width=Mm(min(width_mm or self.text_width_mm,
                                                                   self.text_width_mm)))
        shape._inline.docPr.set("descr", _text(alt))  # read out by screen readers in word processors
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True  # the chart stays with its caption
        self.doc.add_paragraph(_text(alt), style="Caption").paragraph_format.keep_with_next = True

    def markdown(self, text: str) -> None:
        """Markdown (as typed in the minutes) as Word paragraphs: headings, bold, italics, lists, tables."""
        html = md.markdown(printable_text(text or ""), extensions=["tables", "sane_lists"], output_format="html")
        _MarkdownToDocx(self).feed(html)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _repeat_header(table) -> None:
    """The header row is repeated on every page a long table runs over."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    tr_pr.append(mark)


class _MarkdownToDocx(HTMLParser):
    """Walks the HTML that Markdown produces and writes the same structure with Word styles; anything
    else (scripts, images, unknown tags) contributes its text only."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}

    def __init__(self, writer: DocxWriter):
        super().__init__(convert_charrefs=True)
        self.w = writer
        self.para = None
        self.bold = self.italic = self.code = 0
        self.lists: list[list] = []  # per open list: [kind, counter]
        self.quote = 0
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.href: str | None = None
        self.hidden = 0  # inside <script> or <style> typed into the Markdown: not text for people

    def _start_paragraph(self, tag: str) -> None:
        from docx.shared import Mm

        if tag.startswith("h"):
            self.para = self.w.doc.add_heading("", level=min(int(tag[1]) + 2, 6))
        elif tag == "li" and self.lists:
            kind, depth = self.lists[-1][0], len(self.lists)
            if kind == "ul":
                self.para = self.w.doc.add_paragraph(style="List Bullet" if depth == 1 else "List Bullet 2")
            else:
                self.lists[-1][1] += 1
                self.para = self.w.doc.add_paragraph()
                self.para.paragraph_format.left_indent = Mm(6 * depth)
                self.para.paragraph_format.first_line_indent = Mm(-6)
                self.para.add_run(f"{self.lists[-1][1]}.\t")
        else:
            self.para = self.w.doc.add_paragraph(style="Quote" if self.quote else None)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
            self.para = None
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
        elif tag == "br" and self.para is not None:
            self.para.add_run().add_break()
        elif tag == "a":
            self.href = dict(attrs).get("href")
        elif tag in self.BLOCKS and self.table is None:
            if tag == "p" and self.para is not None and self.lists:
                return  # a loose list item's paragraph continues the item
            self._start_paragraph(tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden = max(self.hidden - 1, 0)
        elif tag in ("strong", "b"):
            self.bold -= 1
        elif tag in ("em", "i"):
            self.italic -= 1
        elif tag == "code":
            self.code -= 1
        elif tag in ("ul", "ol"):
            self.lists.pop()
            self.para = None
        elif tag == "blockquote":
            self.quote -= 1
        elif tag in ("td", "th") and self.cell is not None and self.table:
            self.table[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table" and self.table is not None:
            rows, self.table = [r for r in self.table if r], None
            if rows:
                width = max(len(r) for r in rows)
                rows = [r + [""] * (width - len(r)) for r in rows]
                self.w.table(rows[0], rows[1:])
        elif tag == "a":
            self.href = None
        elif tag in self.BLOCKS and tag != "p" or (tag == "p" and not self.lists):
            self.para = None

    def handle_data(self, data):
        if self.hidden:
            return
        if self.cell is not None:
            self.cell.append(data)
            return
        if self.table is not None:
            return
        if self.para is None:
            if not data.strip():
                return
            self._start_paragraph("p")
        if self.href and self.href != data and self.href.startswith(("http", "mailto")):
            data = f"{data} ({self.href})"
        run = self.para.add_run(data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
        if self.code:
            run.font.name = "Courier New"
