"""Markings (issue 19 A): the secretariat's list, printed in every file's header and footer; EU classified
information refused in text and in uploads, with the reason; INTERPOL an international organisation."""

from __future__ import annotations

import io
import zipfile
import zlib

import docx
import openpyxl
import pytest

from portal import files, markings
from portal.docx_writer import DocxWriter
from portal.exports import xlsx_bytes
from tests.pdf_pages import pdf_page


@pytest.mark.parametrize("text,found", [
    ("RESTREINT UE/EU RESTRICTED", "RESTREINT UE"),
    ("Annex: EU RESTRICTED", "EU RESTRICTED"),
    ("TRÈS SECRET UE", "TRES SECRET UE"),
    ("EU TOP SECRET", "EU TOP SECRET"),
    ("marked CONFIDENTIEL-UE", "CONFIDENTIEL UE"),
    ("SECRET UE\n", "SECRET UE"),
    ("EU\nCONFIDENTIAL", "EU CONFIDENTIAL"),
    # any case, spacing, accents and either language's order (issue 19 A, the check's remainders)
    ("restreint ue", "RESTREINT UE"),
    ("Confidential UE/EU Confidential", "CONFIDENTIAL UE"),
    ("Annex: EU Confidential", "EU CONFIDENTIAL"),
    ("SECRET  UE", "SECRET UE"),
    ("Très Secret UE", "TRES SECRET UE"),
    ("R E S T R E I N T   U E", "RESTREINT UE"),
    ("SECRET\u00a0UE", "SECRET UE"),
    ("RESTREINT\u200bUE", "RESTREINT UE"),
    ("EU·RESTRICTED", "EU RESTRICTED"),
    ("ＳＥＣＲＥＴ ＵＥ", "SECRET UE"),
])
def test_eu_classification_markings_are_found_in_either_form(text, found):
    assert markings.classified_marking(text) == found
    assert markings.classified_problem("fine", text).startswith(f"Marked {found}: the portal holds unclassified")


@pytest.mark.parametrize("text", ["LIMITE", "", "EU secrets of good cooperation", "SECRETARIAT UE meeting",
                                  "Sensitive: law enforcement only", "In the EU, secret services cooperate",
                                  "restricted use", "Secrétariat général du Conseil de l'UE"])
def test_other_text_passes(text):
    assert markings.classified_marking(text) is None


# Council Decision 2013/488/EU markings as documents carry them: found in any case, accents, spacing, slash
@pytest.mark.parametrize("text,found", [
    ("RESTREINT UE/EU RESTRICTED", "RESTREINT UE"),
    ("EU RESTRICTED / RESTREINT UE", "EU RESTRICTED"),
    ("Confidentiel UE / EU Confidential", "CONFIDENTIEL UE"),
    ("secret ue/eu secret", "SECRET UE"),
    ("TRÈS SECRET UE/EU TOP SECRET", "TRES SECRET UE"),
    ("tres  secret  ue", "TRES SECRET UE"),
    ("EU TOP SECRET", "EU TOP SECRET"),
    ("Eu Top Secret", "EU TOP SECRET"),                        # a field holding only the marking
    ("Classification: EU Restricted", "EU RESTRICTED"),        # after a label
    ("[eu confidential]", "EU CONFIDENTIAL"),
    ("Minutes\nEU Secret\nItem 1", "EU SECRET"),               # a line of its own, as a header
    ("THE EU SECRET OF SUCCESS", "EU SECRET"),                 # capitals: cannot be told from a marking
])
def test_the_four_eu_markings_are_found_however_written(text, found):
    assert markings.classified_marking(text) == found


@pytest.mark.parametrize("text", [
    "the EU secret of success", "secret EU recipe", "The EU Secret of Success", "Our EU top secret plan",
    "EU restricted access for staff", "the EU confidential annex was published", "EU secret services met",
    "In the EU, confidential data are protected", "das ist streng geheim", "secret_EU_recipe.docx",
])
def test_prose_in_which_eu_and_secret_merely_meet_passes(text):
    assert markings.classified_marking(text) is None


@pytest.mark.parametrize("text,found", [
    ("VS-NUR FÜR DEN DIENSTGEBRAUCH", "VS-NUR FÜR DEN DIENSTGEBRAUCH"),
    ("vs - nur fuer den Dienstgebrauch", "VS-NUR FÜR DEN DIENSTGEBRAUCH"),
    ("VS-NfD", "VS-NfD"),
    ("Einstufung: VS-Vertraulich", "VS-VERTRAULICH"),
    ("STRENG GEHEIM", "STRENG GEHEIM"),
    ("CONFIDENTIEL DÉFENSE", "CONFIDENTIEL DÉFENSE"),
])
def test_national_markings_are_refused_as_national(text, found):
    """Decided (issue 19): national classified markings (2013/488/EU Appendix B equivalents) are classified
    information too; the portal refuses them, naming them national, not EU."""
    assert markings.classified_marking(text) == found
    assert markings.classified_problem(text).startswith(f"Marked {found}, a national classification:")


def _docx_with(text: str) -> bytes:
    document = docx.Document()
    paragraph = document.add_paragraph()
    for part in text.split(" "):  # a marking split across runs, as Word writes it
        paragraph.add_run(part + " ")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf_with(text: str) -> bytes:
    stream = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    return (b"%PDF-1.4\n1 0 obj<</Length " + str(len(stream)).encode() + b"/Filter/FlateDecode>>stream\n"
            + stream + b"\nendstream endobj\ntrailer<<>>\n%%EOF\n")


@pytest.mark.parametrize("data,name", [
    (b"CONFIDENTIEL UE\nThreat picture", "picture.txt"),
    (_docx_with("RESTREINT UE"), "note.docx"),
    (_pdf_with("EU RESTRICTED"), "note.pdf"),
    (b"Nothing special", "EU SECRET annex.txt"),
])
def test_an_upload_marked_as_classified_is_refused_with_the_reason(app, db, data, name):
    with pytest.raises(files.UploadError, match=r"^Marked .*: the portal holds unclassified"):
        files.store_upload(db, app.config["UPLOAD_FOLDER"], data, name, max_bytes=10**7)
    stored = files.store_upload(db, app.config["UPLOAD_FOLDER"], _docx_with("LIMITE"), "ok.docx", max_bytes=10**7)
    assert stored.id


def test_every_docx_and_xlsx_prints_the_marking_in_header_and_footer():
    doc = DocxWriter("Report", marking="LIMITE")
    doc.paragraph("Body")
    document = docx.Document(io.BytesIO(doc.to_bytes()))
    assert document.sections[0].header.paragraphs[0].text == "LIMITE"
    assert document.sections[0].footer.paragraphs[0].text.startswith("LIMITE")
    plain = docx.Document(io.BytesIO(DocxWriter("Report").to_bytes()))
    assert plain.sections[0].header.paragraphs[0].text == ""
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Data": (["A"], [[1]])}, marking="LIMITE")))["Data"]
    assert ws.oddHeader.right.text == "LIMITE" and ws.oddFooter.left.text == "LIMITE"
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes({"Data": (["A"], [[1]])}))) as zf:
        assert b"LIMITE" not in zf.read("xl/worksheets/sheet1.xml")


def test_the_secretariat_keeps_the_list_and_a_classified_marking_is_refused(login_as, db):
    sec, _ = login_as("secretariat")
    page = sec.get("/directory/markings").get_data(as_text=True)
    assert ">LIMITE</textarea>" in page
    r = sec.post_form("/directory/markings", {"markings": "LIMITE\nEU RESTRICTED"})
    assert r.status_code == 422 and "Marked EU RESTRICTED" in r.get_data(as_text=True)
    assert sec.post_form("/directory/markings", {"markings": "LIMITE\nSensitive: law enforcement only\nLIMITE"}
                         ).status_code in (302, 303)
    db.rollback()
    assert markings.markings(db) == ["", "LIMITE", "Sensitive: law enforcement only"]
    assert markings.marking_choices(db)[0] == ("", "None")
    assert markings.marking_problem(db, "SECRET") == "Choose a marking from the list the secretariat keeps."
    assert markings.marking_problem(db, "SECRET", current="SECRET") is None  # an object keeps its old marking
    # too long, or with a control character: refused beside the list, which stays as it was (not cut short)
    for lines, words in (("LIMITE\n" + "x" * 61, "at most 60 characters"), ("LIMI\x1bTE", "control characters")):
        r = sec.post_form("/directory/markings", {"markings": lines})
        assert r.status_code == 422 and words in r.get_data(as_text=True) and 'id="markings-error"' in r.get_data(
            as_text=True), lines
        db.rollback()
        assert markings.markings(db) == ["", "LIMITE", "Sensitive: law enforcement only"]


@pytest.mark.parametrize("role,country", [("head_of_spoc", "BE"), ("observer", None), ("officer", "BE")])
def test_only_the_secretariat_edits_the_markings(login_as, role, country):
    c, _ = login_as(role, country)
    assert c.get("/directory/markings").status_code == 404
    assert c.post_form("/directory/markings", {"markings": "X"}).status_code == 404


def test_interpol_is_an_international_organisation_not_an_eu_agency(db, login_as):
    from portal.directory.models import Agency

    assert db.get(Agency, "INTERPOL").kind_label == "International organisation"
    assert db.get(Agency, "EUROPOL").kind_label == "EU agency"
    c, _ = login_as("head_of_spoc", "BE")
    page = c.get("/directory").get_data(as_text=True)
    assert "<strong>INTERPOL</strong> (International organisation)" in page
    assert "<strong>EUROPOL</strong> (EU agency)" in page


def test_a_questionnaire_answer_marked_as_classified_is_refused_beside_the_question():
    from questionnaires.definitions import load_definition
    from questionnaires.services.validation import shape_error

    definition = load_definition({"id": "t", "version": 1, "title": {"en": "T"}, "sections": [
        {"id": "s", "title": {"en": "S"}, "questions": [{"id": "q", "type": "long_text", "label": {"en": "Q"}}]}]})
    question = definition.questions[0]
    assert shape_error(question, "Our SPOC: RESTREINT UE annex").startswith("Marked RESTREINT UE")
    assert shape_error(question, "Our SPOC works 24/7") is None


def test_a_pdf_with_an_embedded_unicode_font_is_read_too(app, db):
    from fpdf import FPDF

    from portal.exports import unicode_font_path

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(unicode_font_path()))
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    pdf.cell(0, 10, "Note de la présidence — TRÈS SECRET UE")
    data = bytes(pdf.output())
    assert b"SECRET" not in data  # glyph codes in a compressed stream
    with pytest.raises(files.UploadError, match="^Marked TRES SECRET UE"):
        files.store_upload(db, app.config["UPLOAD_FOLDER"], data, "note.pdf", max_bytes=10**7)


def test_every_network_form_refuses_a_classified_text_beside_its_field(login_as, db):
    from portal.directory.models import Spoc

    head, _ = login_as("head_of_spoc", "BE")
    r = head.post_form("/directory/BE/edit", {"name": "SPOC Belgium", "address": "Annex CONFIDENTIEL UE",
                                              "languages": "nl, fr, en"})
    assert r.status_code == 422
    assert "Marked CONFIDENTIEL UE: the portal holds unclassified" in r.get_data(as_text=True)
    db.rollback()
    assert "CONFIDENTIEL" not in (db.get(Spoc, "BE").address or "")


@pytest.mark.parametrize("data", [
    pdf_page("Threat picture, restreint ue"),
    pdf_page("Threat picture", title="Annex - Confidential UE"),
    pdf_page("Threat picture", keywords="eu restricted, threat"),
])
def test_a_pdf_marked_in_its_text_layer_or_its_metadata_is_refused(app, db, data):
    with pytest.raises(files.UploadError, match=r"^Marked (RESTREINT UE|CONFIDENTIAL UE|EU RESTRICTED): "):
        files.store_upload(db, app.config["UPLOAD_FOLDER"], data, "note.pdf", max_bytes=10**7)


def test_a_pdf_without_a_text_layer_needs_its_uploaders_word(app, db):
    scan, text = pdf_page(), pdf_page("Agenda of the meeting")
    assert markings.needs_scan_confirmation(scan) and not markings.needs_scan_confirmation(text)
    folder = app.config["UPLOAD_FOLDER"]
    with pytest.raises(files.ScanNotConfirmed, match="^This PDF has no text layer"):
        files.store_upload(db, folder, scan, "scan.pdf", max_bytes=10**7, scan_confirmed=False)
    assert files.store_upload(db, folder, scan, "scan.pdf", max_bytes=10**7, scan_confirmed=True).id
    assert files.store_upload(db, folder, text, "agenda.pdf", max_bytes=10**7, scan_confirmed=False).id
    # a marking in a scan's metadata is still found: no confirmation lets it in
    with pytest.raises(files.UploadError, match="^Marked SECRET UE"):
        files.store_upload(db, folder, pdf_page(subject="secret ue"), "scan.pdf", max_bytes=10**7,
                           scan_confirmed=True)
