"""PDFs as the tests upload them: one page with a text layer, or none as a scanner writes it."""

from __future__ import annotations


def pdf_page(text: str = "", **metadata) -> bytes:
    """A one-page PDF as a word processor writes it: `text` in its text layer, or without text a picture
    only (a scan, which needs its uploader's word); `metadata` sets its document information (title=, …)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if text:
        pdf.set_font("helvetica", size=12)
        pdf.cell(0, 10, text)
    else:
        pdf.rect(20, 20, 100, 60, style="F")  # a picture, no text: what a scanner makes
    for key, value in metadata.items():
        getattr(pdf, f"set_{key}")(value)
    return bytes(pdf.output())
