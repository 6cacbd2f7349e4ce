"""A scanned PDF (no text layer) cannot be read for an EU classified marking (issue 19 A): a case attachment
needs its uploader's word on the page and through the API; unattended intake (`spoc cases import`) holds it
for an officer's confirmation instead of accepting it silently."""

from __future__ import annotations

import base64
import io
import json
import re

from sqlalchemy import func, select

from casemgmt.models import Attachment, Case, Task
from tests.casemgmt.conftest import make_payload
from tests.pdf_pages import pdf_page

SCAN, TEXT = pdf_page(), pdf_page("Request for information")


def _upload(client, number, data, name, **extra):
    return client.post_form(f"/cases/{number}/attachments", {"at-file": (io.BytesIO(data), name), **extra},
                            content_type="multipart/form-data")


def test_a_scan_added_on_the_case_page_needs_the_box_ticked(login_as, intake, db):
    _, number, _ = intake("BE")
    client, _ = login_as("officer", "BE")
    r = _upload(client, number, SCAN, "scan.pdf")
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="at-scan_confirmed-error"' in page and "This PDF has no text layer" in page
    assert "A scanned PDF: I confirm it holds no EU classified marking" in page
    db.rollback()
    assert db.scalar(select(func.count(Attachment.id))) == 0
    assert _upload(client, number, SCAN, "scan.pdf", **{"at-scan_confirmed": "y"}).status_code == 302
    assert _upload(client, number, TEXT, "request.pdf").status_code == 302  # read: nothing to confirm
    db.rollback()
    assert db.scalar(select(func.count(Attachment.id))) == 2


def test_a_scan_on_the_intake_form_needs_the_box_ticked_and_registers_nothing_without(login_as, db):
    client, _ = login_as("officer", "BE")
    form = {"channel": "SIENA", "direction": "in", "type": "request", "external_reference": "SIENA-SCAN-1",
            "received_at": "2026-11-20T10:00", "counterpart_country": "DE", "counterpart_type": "spoc",
            "language": "en", "subject": "Check", "body": "Please check.", "person_category": "suspect",
            "attachment": (io.BytesIO(SCAN), "scan.pdf")}
    r = client.post_form("/cases/new", form, content_type="multipart/form-data")
    errs = re.findall(r"invalid-feedback[^>]*>([^<]*)", r.get_data(as_text=True))
    assert r.status_code == 422, errs
    assert 'id="scan_confirmed-error"' in r.get_data(as_text=True), errs
    db.rollback()
    assert db.scalar(select(func.count(Case.id))) == 0
    form["attachment"] = (io.BytesIO(SCAN), "scan.pdf")
    assert client.post_form("/cases/new", dict(form, scan_confirmed="y"),
                            content_type="multipart/form-data").status_code == 302
    db.rollback()
    assert db.scalar(select(func.count(Attachment.id))) == 1


def test_the_api_intake_holds_an_unconfirmed_scan_for_an_officer(api, make_user, login_as, db):
    """A national system's message (POST /api/v1/cases/intake) is registered with its scan (its Art. 5 clock
    runs): the scan is held for an officer, as an import holds it; a scan the sender confirmed is not."""
    be = api(make_user("officer", "BE"))
    att = {"filename": "scan.pdf", "content_base64": base64.b64encode(SCAN).decode()}
    r = be.post("/api/v1/cases/intake", json=make_payload(external_reference="SCAN-1", attachments=[att]))
    assert r.status_code == 201, r.get_json()
    number = r.get_json()["registration_number"]
    db.rollback()
    scan_id = db.scalar(select(Attachment.id))
    task = db.scalar(select(Task))
    assert f"(attachment {scan_id})" in task.title and task.status == "open"
    client, _ = login_as("officer", "BE")
    assert "Scan not yet checked for a classified marking" in client.get(f"/cases/{number}").get_data(as_text=True)
    r = be.post("/api/v1/cases/intake", json=make_payload(external_reference="SCAN-2",
                                                          attachments=[dict(att, scan_confirmed=True)]))
    assert r.status_code == 201, r.get_json()
    db.rollback()
    assert db.scalar(select(func.count(Attachment.id))) == 2
    assert db.scalar(select(func.count(Task.id))) == 1  # the confirmed scan is not held


def test_unattended_import_holds_a_scan_for_an_officer(app, tmp_path, login_as, db):
    client, officer = login_as("officer", "BE")
    rows = [make_payload(external_reference="MAIL-1", attachments=[
        {"filename": "scan.pdf", "content_base64": base64.b64encode(SCAN).decode()},
        {"filename": "text.pdf", "content_base64": base64.b64encode(TEXT).decode()}])]
    path = tmp_path / "mailbox.json"
    path.write_text(json.dumps(rows))
    result = app.test_cli_runner().invoke(args=["cases", "import", str(path), "--country", "BE",
                                                "--user", officer.email])
    assert result.exit_code == 0, result.output
    db.rollback()
    number = db.scalar(select(Case.registration_number))
    scan_id = db.scalar(select(Attachment.id).order_by(Attachment.id).limit(1))
    task = db.scalar(select(Task))
    assert f"(attachment {scan_id})" in task.title and task.status == "open"  # only the scan is held
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    assert page.count("Scan not yet checked for a classified marking") == 1
    assert client.post_form(f"/cases/{number}/tasks/{task.id}/done", {}).status_code == 302
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "Scan not yet checked" not in page
