"""Agenda items under the standing topics with times and presenters; documents that keep their versions."""

from __future__ import annotations

import io

from sqlalchemy import select

from portal.meetings.models import AgendaItem, DocumentVersion, Meeting, MeetingDocument, Topic


def test_five_standing_topics_with_labels():
    assert [t.label for t in Topic] == [
        "Matters of common interest", "Efficiency of cooperation between services",
        "Best practices on information exchange", "Awareness of national law-enforcement systems",
        "Legal and practical obstacles to cross-border cooperation"]


def test_add_item_with_time_presenter_and_topic_then_reorder(login_as, make_meeting, db):
    mid = make_meeting(items=1)
    meeting = db.get(Meeting, mid)
    day = meeting.starts_at.date().isoformat()
    client, _ = login_as("secretariat")
    r = client.post_form(f"/meetings/{mid}/agenda", {"title": "SIENA mobile", "topic": "national_systems",
                                                     "presenter": "EUROPOL", "day": day, "start_time": "14:00",
                                                     "end_time": "14:45", "register_entry_id": ""})
    assert r.status_code == 302
    page = client.get(f"/meetings/{mid}").get_data(as_text=True)
    assert "SIENA mobile" in page and "14:00–14:45" in page and "Awareness of national law-enforcement" in page
    db.rollback()
    new = db.scalar(select(AgendaItem).where(AgendaItem.title == "SIENA mobile"))
    assert new.position == 2
    client.post_form(f"/meetings/{mid}/agenda/{new.id}/move", {"direction": "up"})
    db.rollback()
    titles = [i.title for i in db.scalars(select(AgendaItem).where(AgendaItem.meeting_id == mid)
                                          .order_by(AgendaItem.position))]
    assert titles == ["SIENA mobile", "Item 1"]


def test_item_errors_beside_the_field(login_as, make_meeting, db):
    mid = make_meeting(items=0)
    client, _ = login_as("secretariat")
    r = client.post_form(f"/meetings/{mid}/agenda", {"title": "X", "topic": "obstacles", "day": "2001-01-01",
                                                     "start_time": "10:00"})
    assert r.status_code == 422 and 'id="day-error"' in r.get_data(as_text=True)
    r = client.post_form(f"/meetings/{mid}/agenda", {"title": "X", "topic": "nonsense"})
    assert r.status_code == 422 and 'id="topic-error"' in r.get_data(as_text=True)
    db.rollback()
    assert db.scalars(select(AgendaItem)).all() == []


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_documents_keep_earlier_versions_and_refuse_bad_types(login_as, make_meeting, db, app):
    mid = make_meeting(countries=["BE"], send=True)
    client, _ = login_as("secretariat")
    # a PDF without a text layer (a scan) is not read for a marking: its uploader confirms it holds none
    r = client.post_form(f"/meetings/{mid}/documents", {"title": "Agenda", "agenda_item_id": "",
                                                        "file": (io.BytesIO(PDF), "agenda.pdf")},
                         content_type="multipart/form-data", follow_redirects=True)
    assert "This PDF has no text layer (a scan, or text drawn as pictures)" in r.get_data(as_text=True)
    assert db.scalar(select(MeetingDocument)) is None
    r = client.post_form(f"/meetings/{mid}/documents", {"title": "Agenda", "agenda_item_id": "", "scan_confirmed": "y",
                                                        "file": (io.BytesIO(PDF), "agenda.pdf")},
                         content_type="multipart/form-data", follow_redirects=True)
    assert "version 1 is uploaded" in r.get_data(as_text=True)
    db.rollback()
    doc = db.scalar(select(MeetingDocument))
    r = client.post_form(f"/meetings/{mid}/documents", {"document_id": str(doc.id), "agenda_item_id": "",
                                                        "scan_confirmed": "y",
                                                        "file": (io.BytesIO(PDF + b"%v2\n"), "agenda-v2.pdf")},
                         content_type="multipart/form-data", follow_redirects=True)
    assert "version 2 is uploaded" in r.get_data(as_text=True)
    r = client.post_form(f"/meetings/{mid}/documents", {"title": "Evil", "agenda_item_id": "",
                                                        "file": (io.BytesIO(b"MZ\x00\x00binary"), "evil.pdf")},
                         content_type="multipart/form-data", follow_redirects=True)
    assert "This type of file is not accepted" in r.get_data(as_text=True)
    db.rollback()
    assert [v.number for v in db.scalars(select(DocumentVersion).order_by(DocumentVersion.number))] == [1, 2]
    assert db.scalar(select(MeetingDocument).where(MeetingDocument.title == "Evil")) is None
    # invitees download both versions; another country gets 404
    head, _ = login_as("head_of_spoc", "BE")
    assert head.get(f"/meetings/{mid}/documents/{doc.id}/v1").data == PDF
    assert head.get(f"/meetings/{mid}/documents/{doc.id}/v2").data == PDF + b"%v2\n"
    other, _ = login_as("head_of_spoc", "NL")
    assert other.get(f"/meetings/{mid}/documents/{doc.id}/v1").status_code == 404


def test_document_size_limit(login_as, make_meeting, db, app):
    mid = make_meeting()
    client, _ = login_as("secretariat")
    old = app.config["MAX_UPLOAD_MB"]
    app.config["MAX_UPLOAD_MB"] = 0  # 0 MB: any file is too large
    try:
        r = client.post_form(f"/meetings/{mid}/documents", {"title": "Big", "agenda_item_id": "",
                                                            "file": (io.BytesIO(PDF), "big.pdf")},
                             content_type="multipart/form-data", follow_redirects=True)
    finally:
        app.config["MAX_UPLOAD_MB"] = old
    assert "larger than" in r.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(MeetingDocument)) is None


def test_a_refused_upload_shows_the_page_again_with_the_message_beside_the_field(login_as, make_meeting, db):
    mid = make_meeting(countries=["BE"], send=True)
    client, _ = login_as("secretariat")
    # no file chosen: the upload form opens again with what was typed, the message beside the file field
    r = client.post_form(f"/meetings/{mid}/documents", {"title": "Draft agenda", "agenda_item_id": ""},
                         content_type="multipart/form-data")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    upload = page.split("<summary>Upload a document</summary>", 1)[1]
    assert '<details class="card card-body" open>' in page
    assert 'value="Draft agenda"' in upload
    error = upload.split('id="document-file-error"', 1)[1]
    assert error.split("</div>", 1)[0].endswith("Choose a file to upload.")
    assert 'aria-describedby="document-file-hint document-file-error"' in upload
    assert '<label class="form-label" for="document-title">' in upload  # not the agenda item form's title
    assert db.scalar(select(MeetingDocument)) is None
    # a refused new version: the message beside that document's own file field, nothing added
    r = client.post_form(f"/meetings/{mid}/documents", {"title": "Agenda", "agenda_item_id": "", "scan_confirmed": "y",
                                                        "file": (io.BytesIO(PDF), "agenda.pdf")},
                         content_type="multipart/form-data")
    assert r.status_code == 302
    db.rollback()
    doc = db.scalar(select(MeetingDocument))
    r = client.post_form(f"/meetings/{mid}/documents", {"document_id": str(doc.id), "agenda_item_id": "",
                                                        "file": (io.BytesIO(b"MZ\x00\x00binary"), "evil.pdf")},
                         content_type="multipart/form-data")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    beside = page.split(f'id="file-{doc.id}"', 1)[1].split("</form>", 1)[0]
    assert f'id="file-{doc.id}-error">This type of file is not accepted' in beside
    assert "<details class=\"card card-body\">" in page  # the new-document form stays closed and empty
    db.rollback()
    assert [v.number for v in db.scalars(select(DocumentVersion))] == [1]
