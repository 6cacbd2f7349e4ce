"""Planning meetings: the form, the Presidency proposal, time zones, cloning, status, the dashboard warning."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.db import utcnow
from portal.meetings.models import AgendaItem, Invitation, Meeting


def _form(**over):
    data = {"title": "Spring meeting", "start": "2026-03-10T09:30", "end": "2026-03-11T13:00",
            "timezone": "Europe/Nicosia", "presidency_code": "", "venue": "Nicosia", "online_url": "",
            "registration_deadline": "2026-02-20", "description": "", "clone_from": ""}
    data.update(over)
    return data


def test_secretariat_plans_a_meeting_with_proposed_presidency_and_time_zone(login_as, db):
    client, _ = login_as("secretariat")
    r = client.post_form("/meetings/new", _form())
    assert r.status_code == 302
    meeting = db.scalar(select(Meeting))
    assert meeting.presidency_code == "CY"  # January-June 2026 in the Presidency calendar
    assert meeting.timezone == "Europe/Nicosia"
    # 09:30 in Nicosia (UTC+2 in winter) is 07:30 UTC
    assert meeting.starts_at == dt.datetime(2026, 3, 10, 7, 30, tzinfo=dt.UTC)
    assert meeting.registration_deadline.astimezone(dt.UTC).date() == dt.date(2026, 2, 20)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Spring meeting" in page and "09:30" in page and "Europe/Nicosia" in page


def test_presidency_can_be_chosen_instead_of_the_proposal(login_as, db):
    client, _ = login_as("secretariat")
    client.post_form("/meetings/new", _form(presidency_code="BE"))
    assert db.scalar(select(Meeting.presidency_code)) == "BE"


def test_bad_input_shows_the_error_beside_the_field_and_saves_nothing(login_as, db):
    client, _ = login_as("secretariat")
    r = client.post_form("/meetings/new", _form(end="2026-03-09T09:00"))
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="end-error"' in page and "The end must be after the start." in page
    assert 'value="Spring meeting"' in page  # typed value kept
    r = client.post_form("/meetings/new", _form(timezone="Mars/Olympus"))
    assert r.status_code == 422 and 'id="timezone-error"' in r.get_data(as_text=True)
    r = client.post_form("/meetings/new", _form(venue="", online_url=""))
    assert r.status_code == 422 and 'id="venue-error"' in r.get_data(as_text=True)
    r = client.post_form("/meetings/new", _form(online_url="javascript:alert(1)"))
    assert r.status_code == 422 and 'id="online_url-error"' in r.get_data(as_text=True)
    assert db.scalar(select(Meeting)) is None


def test_clone_copies_agenda_skeleton_and_invitees_not_yet_sent(login_as, db, make_meeting):
    source = make_meeting(countries=["BE", "NL"], agencies={"EUROPOL": "SIENA"}, send=True, items=3)
    client, _ = login_as("secretariat")
    r = client.post_form("/meetings/new", _form(clone_from=str(source), start="2026-09-01T10:00",
                                                end="2026-09-01T17:00", registration_deadline=""))
    assert r.status_code == 302
    new = db.scalar(select(Meeting).where(Meeting.id != source))
    assert new.cloned_from_id == source and new.presidency_code == "IE"
    items = db.scalars(select(AgendaItem).where(AgendaItem.meeting_id == new.id).order_by(AgendaItem.position))
    assert [i.title for i in items] == ["Item 1", "Item 2", "Item 3"]
    invs = list(db.scalars(select(Invitation).where(Invitation.meeting_id == new.id)))
    assert sorted(i.invitee for i in invs) == ["BE", "EUROPOL", "NL"]
    assert all(i.sent_at is None and i.answer is None for i in invs)


def test_status_held_and_cancel(login_as, db, make_meeting):
    mid = make_meeting(countries=["BE"], send=True)
    client, _ = login_as("secretariat")
    r = client.post_form(f"/meetings/{mid}/status", {"status": "held"}, follow_redirects=True)
    assert "once it has started" in r.get_data(as_text=True)
    client.post_form(f"/meetings/{mid}/status", {"status": "cancelled"})
    assert db.get(Meeting, mid).status == "cancelled"


def test_cancellation_mails_invitees_a_cancelled_ics(login_as, db, make_meeting, make_user):
    import icalendar

    from tests.portal.meetings.conftest import outbox

    make_user("head_of_spoc", "BE")
    mid = make_meeting(countries=["BE"], send=True)
    client, _ = login_as("secretariat")
    client.post_form(f"/meetings/{mid}/status", {"status": "cancelled"})
    msg = [m for m in outbox(db) if m.subject.startswith("Cancelled")][0]
    import base64

    cal = icalendar.Calendar.from_ical(base64.b64decode(msg.attachments[0]["content_b64"]))
    assert str(next(iter(cal.walk("VEVENT")))["STATUS"]) == "CANCELLED"


def test_dashboard_warns_when_a_half_year_has_no_meeting(login_as, make_meeting):
    client, _ = login_as("secretariat")
    page = client.get("/").get_data(as_text=True)
    assert "No meeting planned" in page
    today = utcnow().date()
    # plan one meeting in each of the current and the next half-year: no more warning
    this_end = dt.date(today.year, 6, 30) if today.month <= 6 else dt.date(today.year, 12, 31)
    make_meeting(days_ahead=(this_end - today).days // 2)
    make_meeting(days_ahead=(this_end - today).days + 20)
    page = client.get("/").get_data(as_text=True)
    assert "No meeting planned" not in page


def test_heads_of_spoc_cannot_plan_or_edit(login_as, make_meeting):
    mid = make_meeting(countries=["BE"], send=True)
    client, _ = login_as("head_of_spoc", "BE")
    assert client.get("/meetings/new").status_code == 404
    assert client.get(f"/meetings/{mid}/edit").status_code == 404
    assert client.post_form(f"/meetings/{mid}/status", {"status": "cancelled"}).status_code == 404


def test_a_title_with_a_line_break_is_refused_beside_the_field(login_as, db):
    client, _ = login_as("secretariat")
    r = client.post_form("/meetings/new", _form(title="Spring meeting\r\nBcc: everyone@example.invalid"))
    assert r.status_code in (200, 422)
    assert "on one line" in r.get_data(as_text=True)
    assert db.scalar(select(Meeting)) is None


def test_a_meeting_saved_with_a_line_break_still_gives_its_ics(login_as, make_meeting, db):
    """Titles stored before the rule (or by a service call) still give a calendar file, not a 500."""
    meeting_id = make_meeting(title="Spring\r\nmeeting")
    client, _ = login_as("secretariat")
    r = client.get(f"/meetings/{meeting_id}/meeting.ics")
    assert r.status_code == 200 and b"SUMMARY:Spring  meeting" in r.data


def test_editing_a_meeting_with_an_empty_registration_deadline_saves_it_without_one(login_as, db):
    """The deadline is optional: emptied (or left out of the form) it is removed, not a server error."""
    client, _ = login_as("secretariat")
    assert client.post_form("/meetings/new", _form()).status_code == 302
    meeting = db.scalar(select(Meeting))
    for data in ({k: v for k, v in _form().items() if k != "registration_deadline"}, _form(),
                 _form(registration_deadline="")):
        r = client.post_form(f"/meetings/{meeting.id}/edit", data)
        assert r.status_code == 302, r.get_data(as_text=True)[:2000]
        db.rollback()
        deadline = db.get(Meeting, meeting.id).registration_deadline
        assert (deadline is None) == (data.get("registration_deadline") in (None, "")), data
    r = client.post_form(f"/meetings/{meeting.id}/edit", _form(registration_deadline="tomorrow"))
    assert r.status_code == 422 and "Not a valid date value" in r.get_data(as_text=True)
