"""A training activity in the participants' calendars follows iTIP (RFC 5546, mailed per RFC 6047), as the
meetings do: a confirmation is a REQUEST, a change of dates or place a REQUEST with SEQUENCE + 1 and the
same UID, a withdrawn nomination a CANCEL for that participant, a cancelled activity a CANCEL to every
confirmed participant; the mail part is `text/calendar; method=...`. Every message is read with two
independent parsers (icalendar and vobject)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.accounts.models import User
from portal.mail import OutboxMessage
from portal.training.models import Activity, Nomination
from tests.portal.itip import itip, read
from tests.portal.training.conftest import TODAY


def _outbox(db, subject: str) -> list[OutboxMessage]:
    db.rollback()
    return [m for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)) if m.subject.startswith(subject)]


def _form(activity: Activity, **changes) -> dict:
    values = {"title": activity.title, "topic_id": str(activity.topic_id or ""), "format": activity.format,
              "start_date": f"{activity.start_date:%Y-%m-%d}", "end_date": f"{activity.end_date:%Y-%m-%d}",
              "place": activity.place, "language": activity.language, "capacity": str(activity.capacity),
              "country_quota": "", "cepol_reference": "", "learning_objectives": activity.learning_objectives,
              "audience": activity.audience, "status": activity.status}
    return values | changes


def test_confirm_change_withdraw_cancel_is_one_event_with_a_rising_sequence(app, login_as, make_activity,
                                                                          make_nomination, db):
    aid = make_activity(title="SIENA for operators", place="Brussels")
    be, nl, other = (make_nomination(aid, cc, "nominated") for cc in ("BE", "NL", "FR"))
    email = {n: db.get(Nomination, n).nominee_email for n in (be, nl, other)}
    uid, sender = f"training-activity-{aid}@spoc-portal", app.config["MAIL_SENDER"].lower()
    sec, _ = login_as("secretariat")
    for n in (be, nl):
        assert sec.post_form(f"/training/nominations/{n}/confirm").status_code == 302
    confirmed = {m.to[0]: itip(m, "REQUEST") for m in _outbox(db, "Confirmed:")}
    assert set(confirmed) == {email[be], email[nl]}
    for to, seen in confirmed.items():
        assert (seen["uid"], seen["sequence"], seen["status"]) == (uid, 0, "CONFIRMED")
        assert seen["organizer"] == f"mailto:{sender}" and seen["attendees"] == [f"mailto:{to}"]  # only their own

    # new dates and place: the confirmed participants (not the one awaiting confirmation) get the update
    activity = db.get(Activity, aid)
    start = TODAY + dt.timedelta(days=40)
    r = sec.post_form(f"/training/activities/{aid}/edit", _form(
        activity, start_date=f"{start:%Y-%m-%d}", end_date=f"{start + dt.timedelta(days=1):%Y-%m-%d}", place="Lyon"))
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    changed = {m.to[0]: itip(m, "REQUEST") for m in _outbox(db, "Changed:")}
    assert set(changed) == {email[be], email[nl]}
    assert {(c["uid"], c["sequence"], c["start"], c["location"]) for c in changed.values()} == {(uid, 1, start, "Lyon")}
    # a change calendars do not hold (the audience) mails nobody and keeps the SEQUENCE
    count = len(_outbox(db, ""))
    assert sec.post_form(f"/training/activities/{aid}/edit",
                         _form(db.get(Activity, aid), audience="Case handlers")).status_code == 302
    assert len(_outbox(db, "")) == count and db.get(Activity, aid).ical_sequence == 1

    # withdrawing BE's participant: a CANCEL to them only, SEQUENCE 2; the unconfirmed nominee: no mail
    assert sec.post_form(f"/training/nominations/{be}/withdraw").status_code == 302
    assert sec.post_form(f"/training/nominations/{other}/withdraw").status_code == 302
    (withdrawn,) = _outbox(db, "Nomination withdrawn:")
    seen = itip(withdrawn, "CANCEL")
    assert withdrawn.to == [email[be]] and seen["attendees"] == [f"mailto:{email[be]}"]
    assert (seen["uid"], seen["sequence"], seen["status"]) == (uid, 2, "CANCELLED")

    # cancelling the activity: a CANCEL to the participants still confirmed, SEQUENCE 3
    assert sec.post_form(f"/training/activities/{aid}/edit",
                         _form(db.get(Activity, aid), status="cancelled")).status_code == 302
    (cancelled,) = _outbox(db, "Cancelled:")
    seen = itip(cancelled, "CANCEL")
    assert cancelled.to == [email[nl]] and seen["attendees"] == [f"mailto:{email[nl]}"]
    assert (seen["uid"], seen["sequence"], seen["status"]) == (uid, 3, "CANCELLED")
    # editing the cancelled activity mails nobody again
    count = len(_outbox(db, ""))
    sec.post_form(f"/training/activities/{aid}/edit", _form(db.get(Activity, aid), place="Paris"))
    assert len(_outbox(db, "")) == count

    # the download is a PUBLISH of the same event at its current SEQUENCE
    c, _ = login_as("respondent", "NL")
    seen = read(c.get(f"/training/activities/{aid}/calendar.ics").data)
    assert (seen["method"], seen["uid"], seen["sequence"], seen["status"]) == ("PUBLISH", uid, 3, "CANCELLED")


def test_the_head_of_spoc_reads_the_withdrawal_in_their_language(login_as, make_activity, db):
    aid = make_activity(title="SIENA avancé")
    head, user = login_as("head_of_spoc", "FR")
    db.get(User, user.id).language = "fr"
    db.commit()
    head.post_form(f"/training/activities/{aid}/nominations",
                   {"nominee_name": "Anne Martin", "nominee_email": "anne@police.fr", "country_code": "FR"})
    db.rollback()
    n = db.scalar(select(Nomination).where(Nomination.activity_id == aid))
    sec, _ = login_as("secretariat")
    sec.post_form(f"/training/nominations/{n.id}/confirm")
    sec.post_form(f"/training/nominations/{n.id}/withdraw")
    (english,) = _outbox(db, "Nomination withdrawn: SIENA avancé")
    (french,) = _outbox(db, "Nomination retirée : SIENA avancé")
    assert english.to == ["anne@police.fr"] and french.to == [user.email]
    # the same CANCEL whatever the language of the text, naming the participant, not the Head of SPOC
    assert itip(english, "CANCEL") == itip(french, "CANCEL")
    assert itip(french, "CANCEL")["attendees"] == ["mailto:anne@police.fr"]
