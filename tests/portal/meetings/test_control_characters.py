"""A vertical tab pasted from a word processor (Word's line break) no longer breaks the minutes or the
activity report: the minutes are adopted and mailed, and every DOCX opens with the line break kept."""

from __future__ import annotations

import base64
import io
import re

from docx import Document
from sqlalchemy import select

from portal.meetings.models import AgendaItem
from tests.portal.meetings.conftest import outbox

PASTED = "The network agreed.\x0bBE will report back.\x0c\x01"


def test_minutes_with_a_pasted_line_break_are_adopted_and_exported(login_as, make_user, make_meeting, db):
    make_user("head_of_spoc", "BE")
    mid = make_meeting(countries=["BE"], send=True)
    sec, _ = login_as("secretariat")
    item = db.scalar(select(AgendaItem).where(AgendaItem.meeting_id == mid, AgendaItem.position == 1))
    page = sec.get(f"/meetings/{mid}/minutes/{item.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="([^"]*)"', page).group(1)
    assert sec.post_form(f"/meetings/{mid}/minutes/{item.id}/edit",
                         {"text": PASTED, "version": version}).status_code == 302
    # a single-line field refuses the control character beside the field (issue 23, item 6) ...
    r = sec.post_form(f"/meetings/actions/new?meeting={mid}", {"title": "Report\x0bback", "owner": "country:BE",
                                                                "due_on": "2030-01-31", "meeting": mid})
    assert r.status_code == 422
    # ... while the minutes' text keeps the pasted line break as a line break
    r = sec.post_form(f"/meetings/actions/new?meeting={mid}", {"title": "Report back", "owner": "country:BE",
                                                                "due_on": "2030-01-31", "meeting": mid})
    assert r.status_code == 302
    r = sec.get(f"/meetings/{mid}/minutes.docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.data)).paragraphs)
    assert "The network agreed.\nBE will report back." in text
    head, _ = login_as("head_of_spoc", "BE")
    head.post_form(f"/meetings/{mid}/answer", {"answer": "attend"})
    sec.post_form(f"/meetings/{mid}/minutes/circulate")
    assert sec.post_form(f"/meetings/{mid}/minutes/adopt").status_code == 302
    db.rollback()
    (mail,) = [m for m in outbox(db) if m.subject.startswith("Adopted minutes")]
    doc = Document(io.BytesIO(base64.b64decode(mail.attachments[0]["content_b64"])))
    assert "BE will report back." in "\n".join(p.text for p in doc.paragraphs)
    assert doc.tables[0].rows[1].cells[0].text == "Report back"
    r = sec.get("/meetings/report.docx?start=2020-01-01&end=2035-12-31")
    assert r.status_code == 200 and Document(io.BytesIO(r.data)).paragraphs


def test_a_nul_in_a_text_area_is_refused_beside_the_field_and_nothing_is_saved(login_as, make_meeting, db):
    """A NUL (pasted from a binary file) cannot be stored in PostgreSQL's text: the minutes' text area refuses
    it with a message beside the field, where the write used to fail with a server error on PostgreSQL."""
    from portal.meetings.models import Minutes

    mid = make_meeting(countries=["BE"], send=True)
    sec, _ = login_as("secretariat")
    item = db.scalar(select(AgendaItem).where(AgendaItem.meeting_id == mid, AgendaItem.position == 1))
    page = sec.get(f"/meetings/{mid}/minutes/{item.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="([^"]*)"', page).group(1)
    r = sec.post_form(f"/meetings/{mid}/minutes/{item.id}/edit", {"text": "Agreed.\x00 BE reports.", "version": version})
    assert r.status_code == 422 and "NUL character" in r.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(Minutes).where(Minutes.agenda_item_id == item.id)) is None
