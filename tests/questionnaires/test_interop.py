"""Round exports for the secretariat, XLSForm export of a version, and the import/publish page."""

from __future__ import annotations

import csv
import io

import openpyxl
import yaml
from sqlalchemy import select

from questionnaires.models import QuestionnaireVersion
from tests.questionnaires.conftest import COMPLETE, MINI, form_for, response_url


def test_round_export_csv_and_xlsx(login_as, open_mini):
    rid = open_mini(countries=("BE", "NL"))
    be, _ = login_as("respondent", "BE")
    be.post_form(response_url(rid), form_for(COMPLETE) | {"action": "submit"})
    sec, _ = login_as("secretariat")
    assert "Export XLSX" in sec.get(f"/questionnaires/rounds/{rid}").get_data(as_text=True)
    r = sec.get(f"/questionnaires/rounds/{rid}/export.csv")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    rows = {row["country"]: row for row in csv.DictReader(io.StringIO(r.data.decode("utf-8-sig")))}
    assert rows["BE"]["status"] == "submitted" and rows["BE"]["staff"] == "40" and rows["BE"]["host"] == "police"
    assert rows["NL"]["status"] == "not started" and rows["NL"]["staff"] == ""
    r = sec.get(f"/questionnaires/rounds/{rid}/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(r.data))
    sheet = book["Answers"]
    header = [c.value for c in sheet[1]]
    be_row = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "BE")
    assert be_row[header.index("cms_name")] == "CaseBook"
    assert sec.get(f"/questionnaires/rounds/{rid}/export.pdf").status_code == 404
    assert be.get(f"/questionnaires/rounds/{rid}/export.xlsx").status_code == 404


def test_xlsform_round_trip_through_the_pages(login_as, open_mini, db):
    open_mini()
    sec, _ = login_as("secretariat")
    db.rollback()
    version = db.scalar(select(QuestionnaireVersion))
    r = sec.get(f"/questionnaires/versions/{version.id}/xlsform.xlsx")
    assert r.status_code == 200 and {"survey", "choices", "settings"} <= set(openpyxl.load_workbook(
        io.BytesIO(r.data)).sheetnames)
    upload = sec.post_form("/questionnaires/import", {"file": (io.BytesIO(r.data), "mini.xlsx")},
                           content_type="multipart/form-data")
    assert upload.status_code == 302
    assert "unchanged, still version 1" in sec.get("/questionnaires/").get_data(as_text=True)
    edited = yaml.safe_dump({**MINI, "title": {"en": "Mini, second edition"}}).encode()
    upload = sec.post_form("/questionnaires/import", {"file": (io.BytesIO(edited), "mini.yaml")},
                           content_type="multipart/form-data")
    assert upload.status_code == 302
    db.rollback()
    assert [v.number for v in db.scalars(select(QuestionnaireVersion).order_by(QuestionnaireVersion.number))] == [1, 2]


def test_a_bad_workbook_names_sheet_row_and_column_and_publishes_nothing(login_as, db):
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["select_one nowhere", "q1", "Question"])
    survey.append(["calculate", "q2", "Sum"])
    data = io.BytesIO()
    book.save(data)
    sec, _ = login_as("secretariat")
    r = sec.post_form("/questionnaires/import", {"file": (io.BytesIO(data.getvalue()), "bad.xlsx")},
                      content_type="multipart/form-data")
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "sheet &#39;survey&#39;, row 2" in page and "row 3" in page
    r = sec.post_form("/questionnaires/import", {"file": (io.BytesIO(b"id: [unclosed"), "x.yaml")},
                      content_type="multipart/form-data")
    assert r.status_code == 422 and "The definition is not valid" in r.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(QuestionnaireVersion)) is None
    resp, _ = login_as("respondent", "BE")
    assert resp.get("/questionnaires/import").status_code == 404


def test_cli_import_of_an_xlsform(app, tmp_path, login_as, open_mini, db):
    open_mini()
    sec, _ = login_as("secretariat")
    db.rollback()
    version = db.scalar(select(QuestionnaireVersion))
    path = tmp_path / "mini.xlsx"
    path.write_bytes(sec.get(f"/questionnaires/versions/{version.id}/xlsform.xlsx").data)
    r = app.test_cli_runner().invoke(args=["questionnaire", "import", str(path)])
    assert r.exit_code == 0 and "mini: unchanged; still version 1" in r.output
    path.write_bytes(b"PK\x03\x04 not a workbook")
    r = app.test_cli_runner().invoke(args=["questionnaire", "import", str(path)])
    assert r.exit_code != 0 and "cannot be imported" in r.output


def test_downloads_are_never_stored_by_a_cache(login_as, open_mini, db):
    """send_file marks a download "no-cache" (stored, revalidated): country data must be "no-store"."""
    round_id = open_mini()
    sec, _ = login_as("secretariat")
    db.rollback()
    version = db.scalar(select(QuestionnaireVersion))
    for url in (f"/questionnaires/versions/{version.id}/xlsform.xlsx",
                f"/questionnaires/rounds/{round_id}/export.csv", f"/questionnaires/rounds/{round_id}/export.xlsx"):
        r = sec.get(url)
        assert r.status_code == 200, url
        assert r.headers["Cache-Control"] == "no-store", url
    assert "no-store" not in sec.get("/static/favicon.svg").headers.get("Cache-Control", "")


def test_a_definitions_problems_read_in_the_importers_language_and_publish_nothing(app, login_as, db):
    """Issue 19: the secretariat's French or German page names each problem of a hand-written YAML definition in its
    language (pydantic's most frequent kinds), its path in the file kept; the message says once what is wrong."""
    import html

    from tests.conftest import set_language

    text = b"id: x\nversion: one\ntitle: {en: T}\nbogus: 1\n"
    sec, user = login_as("secretariat")
    pages = {}
    for lang in ("fr", "de", "en"):
        set_language(app, user, lang)
        r = sec.post_form("/questionnaires/import", {"file": (io.BytesIO(text), "x.yaml")},
                          content_type="multipart/form-data")
        assert r.status_code == 422
        pages[lang] = html.unescape(r.get_data(as_text=True))
    assert "version : un nombre entier est attendu" in pages["fr"] and "sections : manquant" in pages["fr"]
    assert "bogus : cette clé n'existe pas dans le format" in pages["fr"]
    assert "version muss eine ganze Zahl sein" in pages["de"] and "sections fehlt" in pages["de"]
    for lang in ("fr", "de"):
        assert "Input should be" not in pages[lang] and "Field required" not in pages[lang]
    assert "version must be a whole number" in pages["en"] and "bogus is not a key of the format" in pages["en"]
    assert pages["en"].count("The definition is not valid") == 1  # not "not valid: The definition is not valid: …"
    r = sec.post_form("/questionnaires/import", {"file": (io.BytesIO("é".encode("latin-1")), "x.yaml")},
                      content_type="multipart/form-data")
    assert r.status_code == 422 and "is not UTF-8 text" in html.unescape(r.get_data(as_text=True))
    db.rollback()
    assert db.scalar(select(QuestionnaireVersion)) is None
