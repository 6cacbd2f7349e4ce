"""Invitations, changes, withdrawals and cancellations are iTIP messages (RFC 5546, mailed per RFC 6047):
METHOD REQUEST or CANCEL, ORGANIZER, ATTENDEE, one UID, SEQUENCE raised on each change, and the mail part
`text/calendar; method=...`. Every message is read with two independent parsers (icalendar and vobject)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.meetings.models import Invitation, Meeting
from portal.meetings.services.meetings import local
from tests.portal.itip import itip as _itip
from tests.portal.itip import read as _read
from tests.portal.meetings.conftest import outbox


def _form(meeting: Meeting, **changes) -> dict:
    values = {"title": meeting.title, "start": f"{local(meeting, meeting.starts_at):%Y-%m-%dT%H:%M}",
              "end": f"{local(meeting, meeting.ends_at):%Y-%m-%dT%H:%M}", "timezone": meeting.timezone,
              "presidency_code": meeting.presidency_code or "", "venue": meeting.venue,
              "online_url": meeting.online_url, "description": meeting.description,
              "registration_deadline": f"{local(meeting, meeting.registration_deadline):%Y-%m-%d}"}
    return values | changes


def test_invite_change_withdraw_cancel_is_one_event_with_a_rising_sequence(app, login_as, make_user,
                                                                         make_meeting, db):
    be = make_user("head_of_spoc", "BE")
    nl = make_user("head_of_spoc", "NL")
    sender = app.config["MAIL_SENDER"].lower()
    mid = make_meeting(countries=["BE", "NL"])
    uid = f"meeting-{mid}@spoc-portal"
    sec, _ = login_as("secretariat")
    assert sec.post_form(f"/meetings/{mid}/invitations", {"countries": ["BE", "NL"], "action": "send"}).status_code == 302
    db.rollback()
    invites = {m.to[0]: _itip(m, "REQUEST") for m in outbox(db) if m.subject.startswith("Invitation:")}
    assert set(invites) == {be.email, nl.email}
    for email, seen in invites.items():
        assert seen["uid"] == uid and seen["sequence"] == 0 and seen["organizer"] == f"mailto:{sender}"
        assert seen["attendees"] == [f"mailto:{email}"]  # each country sees only its own addresses

    # a change of time: everyone gets the update, same UID, SEQUENCE 1, the new start
    meeting = db.get(Meeting, mid)
    later = local(meeting, meeting.starts_at) + dt.timedelta(hours=1)
    r = sec.post_form(f"/meetings/{mid}/edit", _form(meeting, start=f"{later:%Y-%m-%dT%H:%M}",
                                                     end=f"{later + dt.timedelta(hours=6):%Y-%m-%dT%H:%M}"))
    assert r.status_code == 302
    db.rollback()
    changed = [_itip(m, "REQUEST") for m in outbox(db) if m.subject.startswith("Meeting changed")]
    assert len(changed) == 2 and {c["uid"] for c in changed} == {uid}
    assert {c["sequence"] for c in changed} == {1} and changed[0]["start"] == later.astimezone(dt.UTC)
    # a change calendars do not hold (the registration deadline) mails nobody and keeps the SEQUENCE
    before = len(outbox(db))
    meeting = db.get(Meeting, mid)
    deadline = local(meeting, meeting.registration_deadline) - dt.timedelta(days=1)
    assert sec.post_form(f"/meetings/{mid}/edit", _form(meeting, registration_deadline=f"{deadline:%Y-%m-%d}")
                         ).status_code == 302
    db.rollback()
    assert len(outbox(db)) == before and db.get(Meeting, mid).ical_sequence == 1

    # withdrawing BE: a CANCEL to BE only, SEQUENCE 2
    inv = db.scalar(select(Invitation).where(Invitation.meeting_id == mid, Invitation.country_code == "BE"))
    sec.post_form(f"/meetings/{mid}/invitations/{inv.id}/withdraw", {"reason": "Wrong meeting"})
    db.rollback()
    (withdrawn,) = [m for m in outbox(db) if m.subject.startswith("Invitation withdrawn")]
    seen = _itip(withdrawn, "CANCEL")
    assert withdrawn.to == [be.email] and seen["attendees"] == [f"mailto:{be.email}"]
    assert (seen["uid"], seen["sequence"], seen["status"]) == (uid, 2, "CANCELLED")

    # cancelling the meeting: a CANCEL to the invitees still invited, SEQUENCE 3
    sec.post_form(f"/meetings/{mid}/status", {"status": "cancelled"})
    db.rollback()
    (cancelled,) = [m for m in outbox(db) if m.subject.startswith("Cancelled")]
    seen = _itip(cancelled, "CANCEL")
    assert cancelled.to == [nl.email] and (seen["uid"], seen["sequence"], seen["status"]) == (uid, 3, "CANCELLED")

    # the download is a PUBLISH of the same event at its current SEQUENCE
    head, _ = login_as("head_of_spoc", "NL")
    r = head.get(f"/meetings/{mid}/meeting.ics")
    seen = _read(r.data)
    assert (seen["method"], seen["uid"], seen["sequence"]) == ("PUBLISH", uid, 3)
    assert r.headers["Content-Disposition"].startswith("attachment;") and "no-store" in r.headers["Cache-Control"]
