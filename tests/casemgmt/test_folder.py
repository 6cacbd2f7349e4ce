"""The case folder on the page: attachments (size limit, stored once by SHA-256), export with a
justification, notes and tasks through the forms."""

from __future__ import annotations

import base64
import csv
import io

from sqlalchemy import func, select

from casemgmt.models import Attachment, Note
from portal.audit import AuditEntry
from portal.files import StoredFile
from tests.casemgmt.conftest import make_payload
from tests.pdf_pages import pdf_page

PDF = pdf_page("evidence")  # a text layer: a scan would need its uploader's word (test_scanned_attachments)


def test_attachment_upload_limit_and_single_storage(app, login_as, intake, db):
    _, number, _ = intake("BE")
    client, _ = login_as("officer", "BE")
    app.config["MAX_UPLOAD_MB"] = 1
    try:
        big = client.post_form(f"/cases/{number}/attachments",
                               {"at-file": (io.BytesIO(b"%PDF-1.4" + b"0" * (1024 * 1024 + 10)), "big.pdf")},
                               content_type="multipart/form-data")
    finally:
        app.config["MAX_UPLOAD_MB"] = 10
    assert big.status_code == 422 and "larger than 1 MB" in big.get_data(as_text=True)
    assert 'id="at-file-error"' in big.get_data(as_text=True)
    for name in ("a.pdf", "copy-of-a.pdf"):
        r = client.post_form(f"/cases/{number}/attachments", {"at-file": (io.BytesIO(PDF), name)},
                             content_type="multipart/form-data")
        assert r.status_code == 302
    db.rollback()
    assert db.scalar(select(func.count(Attachment.id))) == 2
    assert db.scalar(select(func.count(func.distinct(StoredFile.sha256)))) == 1
    exe = client.post_form(f"/cases/{number}/attachments", {"at-file": (io.BytesIO(b"MZ\x00\x00"), "x.exe")},
                           content_type="multipart/form-data")
    assert exe.status_code == 422 and "not accepted" in exe.get_data(as_text=True)


def test_api_intake_with_a_base64_attachment(api, make_user, db):
    be = api(make_user("officer", "BE"))
    payload = make_payload(attachments=[{"filename": "photo.pdf", "content_base64": base64.b64encode(PDF).decode()}])
    assert be.post("/api/v1/cases/intake", json=payload).status_code == 201
    bad = be.post("/api/v1/cases/intake", json=make_payload(attachments=[{"filename": "x", "content_base64": "%%%"}]))
    assert bad.status_code == 422 and "attachments.0.content_base64" in bad.get_json()["error"]["fields"]
    db.rollback()
    assert db.scalar(select(func.count(Attachment.id))) == 1


def test_export_needs_a_justification_and_is_a_disclosure(login_as, intake, db):
    _, number, _ = intake("BE")
    client, user = login_as("officer", "BE")
    r = client.post_form(f"/cases/{number}/export", {"ex-justification": ""})
    assert r.status_code == 422 and 'id="ex-justification-error"' in r.get_data(as_text=True)
    r = client.post_form(f"/cases/{number}/export", {"ex-justification": "Court order 2026/17"})
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[1][:2] == ["case", number] and any(row[:2] == ["entity", "person"] for row in rows)
    db.rollback()
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "disclosure", AuditEntry.object_id == number))
    assert entry.justification == "Court order 2026/17" and entry.recipients == [user.email]


def test_forms_of_the_case_page(login_as, intake, db):
    _, number, _ = intake("BE")
    client, _ = login_as("officer", "BE")
    empty = client.post_form(f"/cases/{number}/notes", {"nt-text": ""})
    assert empty.status_code == 422 and 'id="nt-text-error"' in empty.get_data(as_text=True)
    assert client.post_form(f"/cases/{number}/notes", {"nt-text": "Requester called back"}).status_code == 302
    # no separate cross-check step: the reply is possible at once, but a reply without its text is refused
    reply_empty = client.post_form(f"/cases/{number}/reply", {"re-body": "", "re-handling_code": "H0",
                                                              "re-justification": "y"})
    assert reply_empty.status_code == 422
    refuse = client.post_form(f"/cases/{number}/refuse", {"rf-justification": "no", "rf-handling_code": ""})
    assert refuse.status_code == 422 and "Choose at least one ground" in refuse.get_data(as_text=True)
    merge = client.post_form(f"/cases/{number}/merge", {"mg-target": "NL-2026-000001", "mg-justification": "x"})
    assert merge.status_code == 422 and "no such case in your SPOC" in merge.get_data(as_text=True)
    db.rollback()
    assert [n.text for n in db.scalars(select(Note))] == ["Requester called back"]
