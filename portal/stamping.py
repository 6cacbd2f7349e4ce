"""The marking of an uploaded document, stamped into the copy a reader downloads (issue 19 A).

An author marks a meeting document (portal.markings); the file stays stored as it was uploaded, and each
download of a PDF carries the marking at the top and foot of every page, each download of a Word file
(DOCX) in the header and footer of every section. Other types (images, spreadsheets, text) are served as
uploaded; their page shows the marking. A file that cannot be read (damaged, encrypted) is served as
uploaded too, never refused: the page still shows its marking.

    data = stamped(data, mimetype, "LIMITE")
"""

from __future__ import annotations

import io
import logging

log = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STAMPED_TYPES = (PDF, DOCX)
RED = (170, 0, 0)


def stamped(data: bytes, mimetype: str, marking: str) -> bytes:
    """`data` with `marking` in the header and footer of every page (PDF) or section (DOCX); else unchanged."""
    marking = " ".join((marking or "").split())
    if not marking or mimetype not in STAMPED_TYPES:
        return data
    try:
        return stamp_pdf(data, marking) if mimetype == PDF else stamp_docx(data, marking)
    except Exception as exc:  # noqa: BLE001 - an unreadable file is served as uploaded; its page shows the marking
        log.info("marking not stamped into a %s (%s): served as uploaded", mimetype, type(exc).__name__)
        return data


def _overlay(width: float, height: float, marking: str):
    """A transparent page of this size with the marking at its top right and bottom centre, in red."""
    import pypdf
    from fpdf import FPDF

    from portal.exports import printable_text, unicode_font_path

    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font("DejaVu", "", str(unicode_font_path()))
    pdf.add_page()
    pdf.set_font("DejaVu", size=9)
    pdf.set_text_color(*RED)
    text = printable_text(marking)
    pdf.set_xy(18, 10)
    pdf.cell(width - 36, 12, text, align="R")
    pdf.set_xy(18, height - 22)
    pdf.cell(width - 36, 12, text, align="C")
    return pypdf.PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0]


def stamp_pdf(data: bytes, marking: str) -> bytes:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ValueError("encrypted PDF")
    writer = pypdf.PdfWriter(clone_from=reader)
    overlays: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        if page.get("/Rotate", 0):
            page.transfer_rotation_to_content()  # the stamp reads upright as the page is shown
        box = page.mediabox
        size = (round(float(box.width), 1), round(float(box.height), 1))
        if size not in overlays:
            overlays[size] = _overlay(*size, marking)
        page.merge_translated_page(overlays[size], float(box.left), float(box.bottom), over=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamp_part(part, marking: str, *, first: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraphs = part.paragraphs
    if first and paragraphs:
        paragraph = paragraphs[0].insert_paragraph_before()
    else:
        paragraph = part.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if first else WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(marking)
    run.bold = True
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(*RED)


def stamp_docx(data: bytes, marking: str) -> bytes:
    """The marking first in every header and last in every footer (first-page and even-page ones included)."""
    import docx

    from portal.exports import printable_text

    document = docx.Document(io.BytesIO(data))
    marking = printable_text(marking)
    even = document.settings.odd_and_even_pages_header_footer
    for n, section in enumerate(document.sections):
        headers, footers = [section.header], [section.footer]
        if section.different_first_page_header_footer:
            headers, footers = headers + [section.first_page_header], footers + [section.first_page_footer]
        if even:
            headers, footers = headers + [section.even_page_header], footers + [section.even_page_footer]
        for part, first in [(h, True) for h in headers] + [(f, False) for f in footers]:
            if n and part.is_linked_to_previous:
                continue  # it shows the previous section's, already stamped
            _stamp_part(part, marking, first=first)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
