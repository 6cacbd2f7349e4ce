"""Invitations: the invitee list, mails with a parsable .ics, answers until the deadline, reminders,
participants by country, attendance; answers are the secretariat's and the invitee's own."""

from __future__ import annotations

import base64
import datetime as dt

import icalendar
from sqlalchemy import select

from portal.meetings.models import Invitation, Meeting
from tests.portal.meetings.conftest import outbox


def test_invitee_list_defaults_to_all_31_countries(login_as, make_meeting):
    mid = make_meeting()
    client, _ = login_as("secretariat")
    page = client.get(f"/meetings/{mid}/invitations").get_data(as_text=True)
    assert page.count('name="countries"') == 31 and page.count('name="countries" value="') == 31
    assert page.count(" checked") == 31  # every country ticked, no agency


def test_agency_needs_a_reason_beside_its_field(login_as, make_meeting, db):
    mid = make_meeting()
    client, _ = login_as("secretariat")
    r = client.post_form(f"/meetings/{mid}/invitations", {"countries": ["BE"], "agencies": ["EUROPOL"],
                                                          "reason_EUROPOL": "", "action": "send"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="reason_EUROPOL-error"' in page and "Say why EUROPOL" in page
    db.rollback()
    assert db.scalars(select(Invitation)).all() == [] and outbox(db) == []


def test_sending_invitations_mails_an_ics_to_heads_and_agency(login_as, make_user, make_meeting, db):
    head = make_user("head_of_spoc", "BE")
    observer = make_user("observer", agency="CEPOL")
    mid = make_meeting()
    client, _ = login_as("secretariat")
    r = client.post_form(f"/meetings/{mid}/invitations", {
        "countries": ["BE", "NL"], "agencies": ["CEPOL"], "reason_CEPOL": "Training plan", "action": "send"})
    assert r.status_code == 302
    assert db.get(Meeting, mid).status == "invitations_sent"
    mails = {tuple(m.to): m for m in outbox(db)}
    assert (head.email,) in mails and (observer.email,) in mails
    msg = mails[(observer.email,)]
    assert "Training plan" in msg.body
    att = msg.attachments[0]
    assert att["filename"] == "invitation.ics" and att["mimetype"] == "text/calendar; method=REQUEST"
    event = next(iter(icalendar.Calendar.from_ical(base64.b64decode(att["content_b64"])).walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Heads of SPOC meeting"
    assert event.decoded("DTSTART") == db.get(Meeting, mid).starts_at
    # sending again mails nobody twice
    r = client.post_form(f"/meetings/{mid}/invitations", {"countries": ["BE", "NL"], "agencies": ["CEPOL"],
                                                          "reason_CEPOL": "Training plan", "action": "send"})
    assert r.status_code == 422 and len(outbox(db)) == 2


def test_head_of_spoc_answers_own_invitation(login_as, make_meeting, db):
    mid = make_meeting(countries=["BE", "NL"], send=True)
    client, _ = login_as("head_of_spoc", "BE")
    page = client.get(f"/meetings/{mid}").get_data(as_text=True)
    assert "Your invitation (BE)" in page
    r = client.post_form(f"/meetings/{mid}/answer", {"answer": "delegate", "participants-0-name": ""})
    assert r.status_code == 422 and 'id="participants-0-name-error"' in r.get_data(as_text=True)
    r = client.post_form(f"/meetings/{mid}/answer", {"answer": "delegate", "participants-0-name": "Jan Peeters",
                                                     "participants-0-function": "Deputy Head of SPOC"})
    assert r.status_code == 302
    db.rollback()
    inv = db.scalar(select(Invitation).where(Invitation.country_code == "BE"))
    assert inv.answer == "delegate" and inv.delegate_name == "Jan Peeters, Deputy Head of SPOC"


def test_no_answer_after_the_deadline(login_as, make_meeting, db):
    mid = make_meeting(days_ahead=3, deadline_days=5, countries=["BE"], send=True)
    client, _ = login_as("head_of_spoc", "BE")
    assert "Answers are closed" in client.get(f"/meetings/{mid}").get_data(as_text=True)
    r = client.post_form(f"/meetings/{mid}/answer", {"answer": "attend"})
    assert r.status_code == 422 and "deadline has passed" in r.get_data(as_text=True)
    assert db.scalar(select(Invitation.answer)) is None


def test_heads_see_only_their_invitations_and_never_other_answers(login_as, make_meeting, api, make_user):
    invited = make_meeting(countries=["BE", "NL"], send=True)
    other = make_meeting(countries=["NL"], send=True, title="Not for BE")
    planned = make_meeting(countries=["BE"], send=False, title="Not sent yet")
    nl_client, nl = login_as("head_of_spoc", "NL")
    nl_client.post_form(f"/meetings/{invited}/answer", {"answer": "decline"})
    client, be = login_as("head_of_spoc", "BE")
    listing = client.get("/meetings").get_data(as_text=True)
    assert "Heads of SPOC meeting" in listing and "Not for BE" not in listing and "Not sent yet" not in listing
    assert client.get(f"/meetings/{other}").status_code == 404
    assert client.get(f"/meetings/{planned}").status_code == 404
    assert client.get(f"/meetings/{invited}/invitations").status_code == 404
    page = client.get(f"/meetings/{invited}").get_data(as_text=True)
    assert "Netherlands" not in page and "declined 1" not in page  # nothing of NL's answer
    detail = api(be).get(f"/api/v1/meetings/{invited}").get_json()
    assert detail["invitees"] is None and detail["my_answer"]["invitee"] == "BE"
    assert client.post_form(f"/meetings/{other}/answer", {"answer": "attend"}).status_code == 404


def test_observer_sees_meetings_their_agency_is_invited_to(login_as, make_meeting):
    invited = make_meeting(countries=["BE"], agencies={"EUROPOL": "SIENA"}, send=True)
    not_invited = make_meeting(countries=["BE"], agencies={"CEPOL": "Training"}, send=True)
    client, _ = login_as("observer", agency="EUROPOL")
    assert client.get(f"/meetings/{invited}").status_code == 200
    assert client.get(f"/meetings/{not_invited}").status_code == 404
    r = client.post_form(f"/meetings/{invited}/answer", {"answer": "attend"})
    assert r.status_code == 302


def test_other_roles_see_no_meetings(login_as, make_meeting):
    mid = make_meeting(countries=["BE"], send=True)
    client, _ = login_as("officer", "BE")
    assert client.get("/meetings").status_code == 404
    assert client.get(f"/meetings/{mid}").status_code == 404


def test_reminders_go_to_those_who_have_not_answered(login_as, make_user, make_meeting, db):
    be, nl = make_user("head_of_spoc", "BE"), make_user("head_of_spoc", "NL")
    mid = make_meeting(countries=["BE", "NL"], send=True)
    nl_client, _ = login_as("head_of_spoc", "NL")
    nl_client.post_form(f"/meetings/{mid}/answer", {"answer": "attend"})
    before = len(outbox(db))
    client, _ = login_as("secretariat")
    r = client.post_form(f"/meetings/{mid}/invitations/remind", follow_redirects=True)
    assert "Reminded 1 invitees" in r.get_data(as_text=True)
    new = outbox(db)[before:]
    assert [m.to for m in new] == [[be.email]] and new[0].subject.startswith("Reminder")
    assert nl.email not in new[0].to


def test_participants_grouped_by_country_and_attendance(login_as, make_meeting, db):
    mid = make_meeting(countries=["NL", "BE", "AT"], agencies={"EUROPOL": "SIENA"}, send=True)
    client, _ = login_as("secretariat")
    page = client.get(f"/meetings/{mid}/invitations").get_data(as_text=True)
    section = page[page.index('id="participants"'):]
    assert section.index("Austria") < section.index("Belgium") < section.index("Netherlands") < section.index(
        "EUROPOL")
    invs = {i.invitee: i.id for i in db.scalars(select(Invitation))}
    # before the meeting starts there is no attendance to record: no control, and the form is refused
    assert f'name="attendance_{invs["BE"]}"' not in section and "once the meeting has started" in section
    r = client.post_form(f"/meetings/{mid}/attendance", {f"attendance_{invs['BE']}": "attended"})
    assert r.status_code == 422 and "once the meeting has started" in r.get_data(as_text=True)
    _start_now(db, mid)
    section = client.get(f"/meetings/{mid}/invitations").get_data(as_text=True)
    assert f'name="attendance_{invs["BE"]}"' in section
    r = client.post_form(f"/meetings/{mid}/attendance", {f"attendance_{invs['BE']}": "attended",
                                                         f"attendance_{invs['NL']}": "excused",
                                                         f"attendance_{invs['AT']}": "absent"})
    assert r.status_code == 302
    db.rollback()
    got = {i.invitee: i.attendance for i in db.scalars(select(Invitation))}
    assert got == {"BE": "attended", "NL": "excused", "AT": "absent", "EUROPOL": None}
    r = client.post_form(f"/meetings/{mid}/attendance", {f"attendance_{invs['BE']}": "sleeping"})
    assert r.status_code == 422


def _start_now(db, meeting_id: int) -> None:
    """The meeting began an hour ago (it is under way)."""
    from portal.db import utcnow

    db.rollback()
    meeting = db.get(Meeting, meeting_id)
    meeting.starts_at = utcnow() - dt.timedelta(hours=1)
    db.commit()


def test_a_meeting_not_started_offers_no_held_control(login_as, make_meeting, db):
    mid = make_meeting(countries=["BE"], send=True)
    client, _ = login_as("secretariat")
    page = client.get(f"/meetings/{mid}").get_data(as_text=True)
    assert "Mark as held" not in page and "Cancel the meeting" in page
    _start_now(db, mid)
    assert "Mark as held" in client.get(f"/meetings/{mid}").get_data(as_text=True)


def test_the_head_of_spoc_dashboard_links_each_invitation(login_as, make_meeting, db):
    first = make_meeting(countries=["BE"], send=True, title="Spring meeting", days_ahead=20)
    second = make_meeting(countries=["BE", "NL"], send=True, title="Autumn meeting", days_ahead=60)
    make_meeting(countries=["NL"], send=True, title="Dutch-only meeting")
    client, _ = login_as("head_of_spoc", "BE")
    page = client.get("/").get_data(as_text=True)
    assert f'href="/meetings/{first}">Spring meeting' in page and f'href="/meetings/{second}">Autumn meeting' in page
    assert "Dutch-only meeting" not in page and "2 meetings wait for your answer." in page
    client.post_form(f"/meetings/{first}/answer", {"answer": "attend"})
    page = client.get("/").get_data(as_text=True)
    assert f'href="/meetings/{first}">Spring meeting' in page  # answered, still linked, with the answer
    assert "1 meeting waits for your answer." in page


def test_private_calendar_feed(login_as, make_meeting, client, db):
    mid = make_meeting(countries=["BE"], send=True)
    make_meeting(countries=["NL"], send=True, title="Other")
    head_client, head = login_as("head_of_spoc", "BE")
    page = head_client.post_form("/meetings/calendar-feed", {"action": "create"}).get_data(as_text=True)
    import re

    url = re.search(r'id="feed-url">http://portal.test(/meetings/feed/[^<]+)<', page).group(1)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    from portal.meetings.models import CalendarFeedToken

    db.rollback()
    stored = db.scalar(select(CalendarFeedToken))
    assert stored.token_hash != token and token not in stored.token_hash  # stored hashed
    r = client.get(url)  # no login
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    events = list(icalendar.Calendar.from_ical(r.data).walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Heads of SPOC meeting"]
    assert str(events[0]["UID"]) == f"meeting-{mid}@spoc-portal"
    head_client.post_form("/meetings/calendar-feed", {"action": "revoke"})
    assert client.get(url).status_code == 404
    assert client.get("/meetings/feed/cal_guessed.ics").status_code == 404


def test_meeting_ics_download_parses(login_as, make_meeting, db):
    mid = make_meeting(countries=["BE"], send=True)
    client, _ = login_as("head_of_spoc", "BE")
    r = client.get(f"/meetings/{mid}/meeting.ics")
    event = next(iter(icalendar.Calendar.from_ical(r.data).walk("VEVENT")))
    meeting = db.get(Meeting, mid)
    assert event.decoded("DTSTART") == meeting.starts_at and event.decoded("DTEND") == meeting.ends_at
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)


def _withdraw_ics(msg) -> icalendar.Event:
    att = msg.attachments[0]
    assert att["filename"] == "withdrawn.ics" and att["mimetype"] == "text/calendar; method=CANCEL"
    return next(iter(icalendar.Calendar.from_ical(base64.b64decode(att["content_b64"])).walk("VEVENT")))


def test_withdrawing_a_sent_invitation_tells_the_invitee_and_shuts_them_out(login_as, make_user, make_meeting, db):
    head = make_user("head_of_spoc", "BE")
    mid = make_meeting(countries=["BE", "NL"], send=True)
    be_client, _ = login_as("head_of_spoc", "BE")
    assert be_client.post_form(f"/meetings/{mid}/answer", {"answer": "attend"}).status_code == 302
    db.rollback()
    inv = db.scalar(select(Invitation).where(Invitation.country_code == "BE"))
    sent_before = len(outbox(db))
    client, _ = login_as("secretariat")
    r = client.post_form(f"/meetings/{mid}/invitations/{inv.id}/withdraw",
                         {"reason": "Wrong meeting: BE attends the Presidency's workshop instead"})
    assert r.status_code == 302
    db.rollback()
    mail = outbox(db)[sent_before:]
    assert len(mail) == 1 and head.email in mail[0].to and all(".be@" in to for to in mail[0].to)
    assert mail[0].subject.startswith("Invitation withdrawn") and "Presidency's workshop" in mail[0].body
    event = _withdraw_ics(mail[0])
    assert str(event["STATUS"]) == "CANCELLED" and str(event["UID"]) == f"meeting-{mid}@spoc-portal"
    # the row is kept, with its answer, but the meeting is no longer BE's
    inv = db.get(Invitation, inv.id)
    assert inv.withdrawn_at is not None and inv.answer == "attend"
    assert [i.invitee for i in db.get(Meeting, mid).invitations] == ["NL"]
    assert be_client.get(f"/meetings/{mid}").status_code == 404
    assert be_client.post_form(f"/meetings/{mid}/answer", {"answer": "decline"}).status_code == 404
    assert f"/meetings/{mid}\"" not in be_client.get("/meetings/").get_data(as_text=True)
    page = client.get(f"/meetings/{mid}/invitations").get_data(as_text=True)
    assert "Withdrawn invitations" in page and "Presidency&#39;s workshop" in page
    assert "Attending 0 " in page and "not answered 1" in page
    from portal.audit import AuditEntry
    entry = db.scalar(select(AuditEntry).where(AuditEntry.object_type == "invitation",
                                                AuditEntry.object_id == str(inv.id)).order_by(AuditEntry.id.desc()))
    assert entry.details["event"] == "invitation_withdrawn" and entry.details["answer"] == "attend"


def test_withdrawal_needs_a_reason_beside_its_field_and_changes_nothing(login_as, make_meeting, db):
    mid = make_meeting(countries=["BE"], send=True)
    inv = db.scalar(select(Invitation))
    sent_before = len(outbox(db))
    client, _ = login_as("secretariat")
    r = client.post_form(f"/meetings/{mid}/invitations/{inv.id}/withdraw", {"reason": "  "})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and f'id="withdraw_reason_{inv.id}-error"' in page and "Say why" in page
    db.rollback()
    assert db.get(Invitation, inv.id).withdrawn_at is None and len(outbox(db)) == sent_before
    r = client.post_form(f"/meetings/{mid}/invitations/{inv.id}/withdraw", {"reason": "Too long " * 200})
    assert r.status_code == 422 and 'value="Too long Too long' in r.get_data(as_text=True)  # what was typed stays
    assert client.post_form(f"/meetings/{mid}/invitations/99999/withdraw", {"reason": "x"}).status_code == 404
    other, _ = login_as("head_of_spoc", "BE")
    assert other.post_form(f"/meetings/{mid}/invitations/{inv.id}/withdraw", {"reason": "x"}).status_code == 404
    db.rollback()
    assert db.get(Invitation, inv.id).withdrawn_at is None


def test_a_withdrawn_invitee_can_be_invited_anew(login_as, make_user, make_meeting, db):
    head = make_user("head_of_spoc", "BE")
    mid = make_meeting(countries=["BE", "NL"], send=True)
    inv = db.scalar(select(Invitation).where(Invitation.country_code == "BE"))
    client, _ = login_as("secretariat")
    client.post_form(f"/meetings/{mid}/invitations/{inv.id}/withdraw", {"reason": "Sent by mistake"})
    sent_before = len(outbox(db))
    r = client.post_form(f"/meetings/{mid}/invitations", {"countries": ["BE", "NL"], "action": "send"})
    assert r.status_code == 302
    db.rollback()
    again = db.get(Invitation, inv.id)
    assert again.withdrawn_at is None and again.sent_at is not None and again.answer is None
    mail = outbox(db)[sent_before:]
    assert len(mail) == 1 and head.email in mail[0].to and mail[0].subject.startswith("Invitation:")
    be_client, _ = login_as("head_of_spoc", "BE")
    assert be_client.get(f"/meetings/{mid}").status_code == 200


def test_no_withdrawal_once_the_meeting_is_held(login_as, make_meeting, db):
    mid = make_meeting(countries=["BE"], send=True)
    inv = db.scalar(select(Invitation))
    db.get(Meeting, mid).status = "held"
    db.commit()
    client, _ = login_as("secretariat")
    r = client.post_form(f"/meetings/{mid}/invitations/{inv.id}/withdraw", {"reason": "Too late"})
    assert r.status_code == 422 and "invitations are closed" in r.get_data(as_text=True)
    db.rollback()
    assert db.get(Invitation, inv.id).withdrawn_at is None
