"""Minutes: sanitised Markdown, draft → circulated (invitees comment) → adopted (read-only, mailed with the
action list), and no silent overwrite when two people edit the same minutes."""

from __future__ import annotations

import base64
import io
import re

from docx import Document
from sqlalchemy import select

from portal.meetings.models import AgendaItem, Meeting, Minutes
from portal.meetings.services.minutes import render_markdown
from tests.portal.meetings.conftest import outbox


def _item(db, mid, position=1):
    db.rollback()
    return db.scalar(select(AgendaItem).where(AgendaItem.meeting_id == mid, AgendaItem.position == position))


def _version(page: str) -> str:
    return re.search(r'name="version"[^>]*value="([^"]*)"', page).group(1)


def test_markdown_is_sanitised():
    html = render_markdown("**agreed**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) "
                           '<img src=x onerror="alert(1)">')
    assert "<strong>agreed</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_write_circulate_comment_adopt(login_as, make_user, make_meeting, db):
    be_head = make_user("head_of_spoc", "BE")
    nl_head = make_user("head_of_spoc", "NL")
    mid = make_meeting(countries=["BE", "NL"], send=True)
    sec, _ = login_as("secretariat")
    item = _item(db, mid)
    page = sec.get(f"/meetings/{mid}/minutes/{item.id}/edit").get_data(as_text=True)
    r = sec.post_form(f"/meetings/{mid}/minutes/{item.id}/edit",
                      {"text": "The network **agreed**.\n\n<script>x()</script>", "version": _version(page)})
    assert r.status_code == 302
    page = sec.get(f"/meetings/{mid}/minutes").get_data(as_text=True)
    assert "<strong>agreed</strong>" in page and "<script>x()" not in page

    head, head_user = login_as("head_of_spoc", "BE")
    assert head.get(f"/meetings/{mid}/minutes").status_code == 404  # drafts are the secretariat's
    sec.post_form(f"/meetings/{mid}/minutes/circulate")
    assert db.get(Meeting, mid).minutes_state == "circulated" or _item(db, mid).meeting.minutes_state == "circulated"
    assert any(m.subject.startswith("Draft minutes") for m in outbox(db))
    assert head.get(f"/meetings/{mid}/minutes").status_code == 200
    assert head.get(f"/meetings/{mid}/minutes/{item.id}/edit").status_code == 404  # invitees comment only
    r = head.post_form(f"/meetings/{mid}/minutes/comments", {"comment": "", "agenda_item_id": str(item.id)})
    assert r.status_code == 422 and 'id="comment-error"' in r.get_data(as_text=True)
    # an item that is not a number is refused beside its field, not filed on the minutes as a whole
    r = head.post_form(f"/meetings/{mid}/minutes/comments", {"comment": "Misfiled?", "agenda_item_id": "bogus"})
    assert r.status_code == 422 and 'id="agenda_item_id-error"' in r.get_data(as_text=True)
    assert "Misfiled?" not in sec.get(f"/meetings/{mid}/minutes").get_data(as_text=True).split('id="comments"')[-1]
    head.post_form(f"/meetings/{mid}/minutes/comments", {"comment": "BE agrees.", "agenda_item_id": str(item.id)})
    assert "BE agrees." in sec.get(f"/meetings/{mid}/minutes").get_data(as_text=True)

    # the secretariat records an action and adopts: the participants get minutes and action list
    r = sec.post_form(f"/meetings/actions/new?meeting={mid}", {"title": "Send the guidelines",
                                                                "owner": "country:BE", "due_on": "2030-01-31",
                                                                "agenda_item_id": str(item.id), "meeting": mid})
    assert r.status_code == 302
    head.post_form(f"/meetings/{mid}/answer", {"answer": "attend"})
    sec.post_form(f"/meetings/{mid}/minutes/adopt")
    mails = [m for m in outbox(db) if m.subject.startswith("Adopted minutes")]
    assert len(mails) == 1 and sorted(mails[0].to) == sorted([be_head.email, head_user.email])
    assert nl_head.email not in mails[0].to  # NL did not answer: not a participant
    assert "Send the guidelines" in mails[0].body and "The network **agreed**." in mails[0].body
    doc = Document(io.BytesIO(base64.b64decode(mails[0].attachments[0]["content_b64"])))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "The network agreed." in text and "**" not in text and "x()" not in text  # Markdown, rendered
    assert [r.text for p in doc.paragraphs for r in p.runs if r.bold] == ["agreed"]
    assert doc.tables[0].rows[1].cells[0].text == "Send the guidelines"

    # adopted minutes are read-only
    assert sec.get(f"/meetings/{mid}/minutes/{item.id}/edit").status_code == 404
    assert "Adopted minutes are read-only" in sec.get(f"/meetings/{mid}/minutes").get_data(as_text=True)
    assert head.post_form(f"/meetings/{mid}/minutes/comments", {"comment": "late"}).status_code == 404


def test_two_editors_never_overwrite_each_other(login_as, make_meeting, db):
    mid = make_meeting()
    alice, _ = login_as("secretariat")
    bob, _ = login_as("admin")
    item = _item(db, mid)
    url = f"/meetings/{mid}/minutes/{item.id}/edit"
    v_alice = _version(alice.get(url).get_data(as_text=True))
    v_bob = _version(bob.get(url).get_data(as_text=True))
    assert alice.post_form(url, {"text": "Alice's text", "version": v_alice}).status_code == 302
    r = bob.post_form(url, {"text": "Bob's text", "version": v_bob})
    page = r.get_data(as_text=True)
    assert r.status_code == 409 and "Someone else saved these minutes" in page
    assert "Alice&#39;s text" in page and "Bob&#39;s text" in page  # both texts kept
    db.rollback()
    assert db.scalar(select(Minutes.text)) == "Alice's text"
    # Bob merges on top of the current version: saved
    r = bob.post_form(url, {"text": "Alice's text\n\nBob's text", "version": _version(page)})
    assert r.status_code == 302
    db.rollback()
    minutes = db.scalar(select(Minutes))
    assert minutes.text == "Alice's text\n\nBob's text" and minutes.version == 2


def test_stale_write_between_transactions_is_a_conflict(app, make_meeting, secretariat):
    """The version column itself refuses an UPDATE based on a row another transaction changed."""
    import datetime as dt

    import pytest

    from portal.meetings.services import minutes as service

    mid = make_meeting()
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        item = s.scalar(select(AgendaItem).where(AgendaItem.meeting_id == mid))
        service.save_minutes(s, item, None, "first", None, dt.datetime.now(dt.UTC))
    with database.read_session() as first:
        stale = first.scalar(select(Minutes))
        stale.text = "stale edit"  # version 1 loaded
        first.expunge(stale)
    with database.unit_of_work() as s:
        s.scalar(select(Minutes)).text = "someone else"
    with database.write_session() as s:
        s.add(stale)  # still believes it is version 1
        from sqlalchemy.orm.exc import StaleDataError

        with pytest.raises(StaleDataError):
            s.flush()
        s.rollback()
