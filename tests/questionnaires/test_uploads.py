"""File answers: type checked by content, size limit, stored outside the web root, served only to those allowed."""

from __future__ import annotations

from io import BytesIO

from sqlalchemy import select

from questionnaires.models import Response
from tests.questionnaires.conftest import form_for, page_revisions, response_url

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(c, rid, content, name, extra=None, cc="BE", scan_confirmed=True):
    data = form_for({}, shown=["chart"]) | {"a.chart.file": (BytesIO(content), name)} | (extra or {})
    if scan_confirmed:  # PDF has no text layer: its uploader ticks that it holds no classified marking
        data["a.chart.scan_confirmed"] = "1"
    return c.post_form(response_url(rid, cc), data, content_type="multipart/form-data")


def _chart(db, rid, cc="BE"):
    db.rollback()
    response = db.scalar(select(Response).where(Response.round_id == rid, Response.country_code == cc))
    return next((a.value for a in response.answers if a.question_id == "chart"), None)


def test_upload_download_and_access(app, login_as, open_mini, db):
    rid = open_mini(countries=("BE", "NL"))
    c, _ = login_as("respondent", "BE")
    assert _upload(c, rid, PDF, "../../organigram.pdf").status_code == 302
    value = _chart(db, rid)
    assert value["name"] == "organigram.pdf" and isinstance(value["file_id"], int)
    url = response_url(rid) + f"/files/{value['file_id']}"
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert url in page and "organigram.pdf" in page
    r = c.get(url)
    assert r.status_code == 200 and r.data == PDF and r.mimetype == "application/pdf"
    assert "attachment" in r.headers["Content-Disposition"]
    static = app.static_folder
    assert not str(app.config["UPLOAD_FOLDER"]).startswith(static)
    for role, cc, status in (("head_of_spoc", "BE", 200), ("secretariat", None, 200), ("respondent", "NL", 404),
                             ("head_of_spoc", "NL", 404), ("officer", "BE", 404)):
        other, _ = login_as(role, cc)
        assert other.get(url).status_code == status, (role, cc)
    # the file id is not a key to anything else: through NL's response it is not found
    nl, _ = login_as("respondent", "NL")
    assert nl.get(response_url(rid, "NL") + f"/files/{value['file_id']}").status_code == 404


def test_type_is_checked_by_content_and_size_is_limited(login_as, open_mini, db):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    r = _upload(c, rid, PNG, "chart.pdf")
    assert r.status_code == 422 and "This type of file is not accepted (allowed: .pdf)." in r.get_data(as_text=True)
    r = _upload(c, rid, b"just text pretending", "chart.pdf")
    assert r.status_code == 422
    r = _upload(c, rid, PDF + b"0" * (1024 * 1024), "big.pdf")
    assert r.status_code == 422 and "larger than 1 MB" in r.get_data(as_text=True)
    assert _chart(db, rid) is None


def test_remove_a_file(login_as, open_mini, db):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    _upload(c, rid, PDF, "chart.pdf")
    revs = page_revisions(c.get(response_url(rid)).get_data(as_text=True))
    r = c.post_form(response_url(rid), form_for({}, revs, shown=["chart"]) | {"a.chart.remove": "1"})
    assert r.status_code == 302 and _chart(db, rid) is None


def test_a_scanned_pdf_needs_its_uploaders_word_that_it_holds_no_classified_marking(login_as, open_mini, db):
    rid = open_mini(countries=("BE",))
    c, _ = login_as("respondent", "BE")
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert 'name="a.chart.scan_confirmed"' in page
    r = _upload(c, rid, PDF, "scan.pdf", scan_confirmed=False)
    assert r.status_code == 422 and "This PDF has no text layer" in r.get_data(as_text=True)
    assert _chart(db, rid) is None
    assert _upload(c, rid, PDF, "scan.pdf").status_code == 302
    assert _chart(db, rid)["name"] == "scan.pdf"
