"""Meeting documents carry their marking when downloaded (issue 19 A): a PDF has it at the top and foot of every
page, a Word document in its header and footer; other types are served as uploaded, and the page shows the
marking. The stored file stays as uploaded."""

from __future__ import annotations

import io

import docx
import openpyxl
import pypdf
from fpdf import FPDF
from sqlalchemy import select

from portal import files
from portal.meetings.models import MeetingDocument
from tests.pdf_pages import pdf_page


def _pdf(pages: int = 3) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for n in range(pages):
        pdf.add_page(orientation="L" if n == 1 else "P")  # a landscape page among portrait ones
        pdf.cell(0, 10, f"Threat picture, page {n + 1}")
    return bytes(pdf.output())


def _docx() -> bytes:
    document = docx.Document()
    document.sections[0].header.add_paragraph("Presidency")
    document.add_paragraph("Body of the note")
    document.add_section()  # a second section, its header linked to the first one's
    document.add_paragraph("Annex")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Figures"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, mid, data, name, marking="LIMITE"):
    r = client.post_form(f"/meetings/{mid}/documents", {"title": name, "agenda_item_id": "", "marking": marking,
                                                        "file": (io.BytesIO(data), name)},
                         content_type="multipart/form-data", follow_redirects=True)
    assert "version 1 is uploaded" in r.get_data(as_text=True), name


def _doc(db, title):
    db.rollback()
    return db.scalar(select(MeetingDocument).where(MeetingDocument.title == title))


def test_a_marked_pdf_is_downloaded_with_the_marking_on_every_page(app, login_as, make_meeting, db):
    mid = make_meeting(countries=["BE"], send=True)
    sec, _ = login_as("secretariat")
    original = _pdf()
    _upload(sec, mid, original, "picture.pdf")
    _upload(sec, mid, original + b"%unmarked\n", "plain.pdf", marking="")
    head, _ = login_as("head_of_spoc", "BE")
    doc = _doc(db, "picture.pdf")
    r = head.get(f"/meetings/{mid}/documents/{doc.id}/v1")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pages = pypdf.PdfReader(io.BytesIO(r.data)).pages
    assert len(pages) == 3
    for n, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"Threat picture, page {n}" in text and text.count("LIMITE") == 2, n  # header and footer
    # the stored file is as uploaded; an unmarked document is served unchanged
    assert files.read_file(app.config["UPLOAD_FOLDER"], doc.versions[0].stored_file) == original
    plain = _doc(db, "plain.pdf")
    assert head.get(f"/meetings/{mid}/documents/{plain.id}/v1").data == original + b"%unmarked\n"


def test_a_marked_word_document_has_the_marking_in_its_header_and_footer(login_as, make_meeting, db):
    mid = make_meeting(countries=["BE"], send=True)
    sec, _ = login_as("secretariat")
    _upload(sec, mid, _docx(), "note.docx")
    head, _ = login_as("head_of_spoc", "BE")
    r = head.get(f"/meetings/{mid}/documents/{_doc(db, 'note.docx').id}/v1")
    document = docx.Document(io.BytesIO(r.data))
    for section in document.sections:
        assert [p.text for p in section.header.paragraphs][:1] == ["LIMITE"]
        assert "Presidency" in [p.text for p in section.header.paragraphs]
        assert [p.text for p in section.footer.paragraphs][-1] == "LIMITE"
    assert [p.text for p in document.paragraphs if p.text] == ["Body of the note", "Annex"]


def test_other_types_are_served_as_uploaded_and_the_page_shows_the_marking(login_as, make_meeting, db):
    mid = make_meeting(countries=["BE"], send=True)
    sec, _ = login_as("secretariat")
    data = _xlsx()
    _upload(sec, mid, data, "figures.xlsx")
    head, _ = login_as("head_of_spoc", "BE")
    doc = _doc(db, "figures.xlsx")
    assert head.get(f"/meetings/{mid}/documents/{doc.id}/v1").data == data
    page = head.get(f"/meetings/{mid}").get_data(as_text=True)
    section = page.split('id="documents"', 1)[1]
    assert "LIMITE" in section and "keep the marking LIMITE when you pass it on" in section


def test_a_pdf_that_cannot_be_read_is_served_as_uploaded(login_as, make_meeting, db):
    mid = make_meeting(countries=["BE"], send=True)
    sec, _ = login_as("secretariat")
    damaged = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    r = sec.post_form(f"/meetings/{mid}/documents", {"title": "Scan", "agenda_item_id": "", "marking": "LIMITE",
                                                     "scan_confirmed": "y", "file": (io.BytesIO(damaged), "scan.pdf")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "version 1 is uploaded" in r.get_data(as_text=True)
    assert sec.get(f"/meetings/{mid}/documents/{_doc(db, 'Scan').id}/v1").data == damaged


def test_a_scan_without_the_confirmation_gets_the_note_in_the_uploaders_language(app, login_as, make_meeting, db):
    from portal.accounts.models import User
    from portal.markings import SCAN_NOTE
    from portal.meetings.forms import SCAN_NOTE as MARKED_NOTE

    assert MARKED_NOTE._args[0] == SCAN_NOTE  # the catalogues hold the very note the upload check gives
    mid = make_meeting(countries=["BE"], send=True)
    sec, user = login_as("secretariat")
    with app.extensions["spoc_db"].unit_of_work() as session:
        session.get(User, user.id).language = "fr"
    r = sec.post_form(f"/meetings/{mid}/documents", {"title": "Scan", "agenda_item_id": "",
                                                     "file": (io.BytesIO(pdf_page()), "scan.pdf")},
                      content_type="multipart/form-data", follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "Ce PDF n&#39;a pas de couche de texte" in page and "PDF numérisé : je confirme" in page
    assert _doc(db, "Scan") is None
