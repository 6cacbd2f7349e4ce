"""Nominations: quota per country, waiting list, confirmation with mail and .ics, attendance, certificate, tenancy."""

from __future__ import annotations

import base64
import datetime as dt
import io

from icalendar import Calendar
from sqlalchemy import select

from portal.mail import OutboxMessage
from portal.training.models import Nomination
from tests.portal.training.conftest import TODAY


def _nominate(client, activity_id, name, email, country=None):
    data = {"nominee_name": name, "nominee_email": email, "nominee_position": "Case handler"}
    if country:
        data["country_code"] = country
    return client.post_form(f"/training/activities/{activity_id}/nominations", data)


def _statuses(db, activity_id):
    db.rollback()
    return [(n.country_code, n.nominee_name, n.status) for n in db.scalars(
        select(Nomination).where(Nomination.activity_id == activity_id).order_by(Nomination.id))]


def test_head_of_spoc_nominates_within_the_quota_then_the_waiting_list(login_as, make_activity, db):
    activity = make_activity(quota=2, capacity=10)
    head, _ = login_as("head_of_spoc", "BE")
    for name in ("Ann", "Bob", "Cas"):
        r = _nominate(head, activity, name, f"{name.lower()}@police.be")
        assert r.status_code == 302, r.get_data(as_text=True)[:300]
    assert _statuses(db, activity) == [("BE", "Ann", "nominated"), ("BE", "Bob", "nominated"), ("BE", "Cas", "waiting")]
    page = head.get(f"/training/activities/{activity}").get_data(as_text=True)
    assert "Quota 2: 2 taken" in page and "0 left" in page
    assert "Waiting list of BE" in page and "Cas (BE)" in page
    # the flash message says why
    r = _nominate(head, activity, "Dan", "dan@police.be")
    assert "waiting list" in head.get(r.headers["Location"]).get_data(as_text=True)


def test_capacity_is_shared_by_all_countries(login_as, make_activity, db):
    activity = make_activity(quota=2, capacity=3)
    be, _ = login_as("head_of_spoc", "BE")
    nl, _ = login_as("head_of_spoc", "NL")
    _nominate(be, activity, "Ann", "ann@police.be")
    _nominate(be, activity, "Bob", "bob@police.be")
    _nominate(nl, activity, "Joost", "joost@politie.nl")
    _nominate(nl, activity, "Mies", "mies@politie.nl")  # NL within quota, but the activity is full
    assert _statuses(db, activity)[-1] == ("NL", "Mies", "waiting")


def test_a_head_of_spoc_nominates_only_for_their_own_country(login_as, make_activity, db):
    activity = make_activity()
    head, _ = login_as("head_of_spoc", "BE")
    r = _nominate(head, activity, "Ann", "ann@police.be", country="NL")
    assert r.status_code == 302
    assert _statuses(db, activity) == [("BE", "Ann", "nominated")]  # the country is always the head's own


def test_bad_nomination_shows_the_message_beside_the_field_and_saves_nothing(login_as, make_activity, db):
    activity = make_activity()
    head, _ = login_as("head_of_spoc", "BE")
    r = _nominate(head, activity, "Ann", "not-an-email")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert 'id="nominee_email-error"' in page and "This is not an email address." in page
    assert 'value="Ann"' in page  # the typed value is kept
    _nominate(head, activity, "Ann", "ann@police.be")
    r = _nominate(head, activity, "Ann again", "ANN@police.be")
    assert r.status_code == 422 and "already nominated" in r.get_data(as_text=True)
    assert len(_statuses(db, activity)) == 1


def test_nominations_only_while_the_activity_is_open(login_as, make_activity, db):
    activity = make_activity(status="planned")
    head, _ = login_as("head_of_spoc", "BE")
    r = _nominate(head, activity, "Ann", "ann@police.be")
    assert r.status_code == 422 and "not open for nominations" in r.get_data(as_text=True)
    assert _statuses(db, activity) == []


def test_a_head_of_spoc_sees_only_their_own_countrys_nominations(login_as, make_activity, make_nomination):
    activity = make_activity()
    make_nomination(activity, "BE", "nominated", name="Belgian Nominee")
    make_nomination(activity, "NL", "nominated", name="Dutch Nominee")
    be, _ = login_as("head_of_spoc", "BE")
    page = be.get(f"/training/activities/{activity}").get_data(as_text=True)
    assert "Belgian Nominee" in page and "Dutch Nominee" not in page
    sec, _ = login_as("secretariat")
    page = sec.get(f"/training/activities/{activity}").get_data(as_text=True)
    assert "Belgian Nominee" in page and "Dutch Nominee" in page
    officer, _ = login_as("officer", "BE")
    page = officer.get(f"/training/activities/{activity}").get_data(as_text=True)
    assert "Belgian Nominee" not in page


def test_another_countrys_head_gets_404_on_a_nomination(login_as, make_activity, make_nomination, db):
    activity = make_activity(start=TODAY - dt.timedelta(days=3))
    n = make_nomination(activity, "BE", "confirmed", attended=True)
    nl, _ = login_as("head_of_spoc", "NL")
    assert nl.post_form(f"/training/nominations/{n}/withdraw").status_code == 404
    assert nl.get(f"/training/nominations/{n}/certificate.pdf").status_code == 404
    assert nl.post_form(f"/training/nominations/{n}/confirm").status_code == 404
    db.rollback()
    assert db.get(Nomination, n).status == "confirmed"


def test_the_secretariat_confirms_and_the_participant_gets_an_ics(login_as, make_activity, make_trainer, db):
    trainer = make_trainer("Marie Lambert")
    activity = make_activity(title="SIENA for operators", trainers=[trainer], cepol_support=True,
                             cepol_reference="CEPOL 12/2026")
    head, head_user = login_as("head_of_spoc", "BE")
    _nominate(head, activity, "Ann Peeters", "ann@police.be")
    db.rollback()
    n = db.scalar(select(Nomination))
    sec, _ = login_as("secretariat")
    r = sec.post_form(f"/training/nominations/{n.id}/confirm")
    assert r.status_code == 302
    db.rollback()
    assert db.get(Nomination, n.id).status == "confirmed"
    msg = db.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    assert msg.to == ["ann@police.be", head_user.email]
    assert "SIENA for operators" in msg.subject and "CEPOL 12/2026" in msg.body
    (att,) = msg.attachments
    assert att["filename"].endswith(".ics") and att["mimetype"] == "text/calendar; method=REQUEST"
    cal = Calendar.from_ical(base64.b64decode(att["content_b64"]))
    assert str(cal["METHOD"]) == "REQUEST"  # the part and the calendar name the same iTIP method
    (event,) = cal.walk("VEVENT")
    start = TODAY + dt.timedelta(days=30)
    assert str(event["SUMMARY"]) == "Training: SIENA for operators"
    assert event.decoded("DTSTART") == start and event.decoded("DTEND") == start + dt.timedelta(days=2)
    assert str(event["LOCATION"]) == "Brussels"
    # confirming twice is refused with a message, and mails nothing more
    count = len(db.scalars(select(OutboxMessage)).all())
    r = sec.post_form(f"/training/nominations/{n.id}/confirm", follow_redirects=True)
    assert "Only a nomination holding a place" in r.get_data(as_text=True)
    db.rollback()
    assert len(db.scalars(select(OutboxMessage)).all()) == count


def test_a_head_of_spoc_cannot_confirm(login_as, make_activity, make_nomination, db):
    n = make_nomination(make_activity(), "BE", "nominated")
    head, _ = login_as("head_of_spoc", "BE")
    assert head.post_form(f"/training/nominations/{n}/confirm").status_code == 404
    db.rollback()
    assert db.get(Nomination, n).status == "nominated"


def test_a_withdrawal_gives_the_place_to_the_waiting_list(login_as, make_activity, db):
    activity = make_activity(quota=1, capacity=10)
    head, _ = login_as("head_of_spoc", "BE")
    _nominate(head, activity, "Ann", "ann@police.be")
    _nominate(head, activity, "Bob", "bob@police.be")
    db.rollback()
    ann = db.scalar(select(Nomination).where(Nomination.nominee_name == "Ann"))
    r = head.post_form(f"/training/nominations/{ann.id}/withdraw", follow_redirects=True)
    assert "Bob moved up from the waiting list" in r.get_data(as_text=True)
    assert _statuses(db, activity) == [("BE", "Ann", "withdrawn"), ("BE", "Bob", "nominated")]


def test_raising_the_quota_moves_the_waiting_list_up(login_as, make_activity, db):
    activity = make_activity(quota=1, capacity=10)
    head, _ = login_as("head_of_spoc", "BE")
    _nominate(head, activity, "Ann", "ann@police.be")
    _nominate(head, activity, "Bob", "bob@police.be")
    sec, _ = login_as("secretariat")
    form = {"title": "SIENA basics", "format": "classroom", "start_date": (TODAY + dt.timedelta(days=30)).isoformat(),
            "end_date": (TODAY + dt.timedelta(days=31)).isoformat(), "place": "Brussels", "language": "en",
            "capacity": "10", "country_quota": "2", "status": "open", "topic_id": ""}
    r = sec.post_form(f"/training/activities/{activity}/edit", form)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    assert _statuses(db, activity) == [("BE", "Ann", "nominated"), ("BE", "Bob", "nominated")]


def test_the_default_quota_is_a_setting(login_as, make_activity, db):
    activity = make_activity(quota=None)
    sec, _ = login_as("secretariat")
    r = sec.post_form("/training/settings/quota", {"default_quota": "1"})
    assert r.status_code == 302
    head, _ = login_as("head_of_spoc", "BE")
    _nominate(head, activity, "Ann", "ann@police.be")
    _nominate(head, activity, "Bob", "bob@police.be")
    assert [s for *_, s in _statuses(db, activity)] == ["nominated", "waiting"]
    r = sec.post_form("/training/settings/quota", {"default_quota": "0"})
    assert r.status_code == 422 and "between 1 and 100" in r.get_data(as_text=True)


def test_attendance_then_certificate_pdf(login_as, make_activity, make_nomination, make_trainer, db):
    from pypdf import PdfReader

    trainer = make_trainer("Marie Lambert")
    activity = make_activity(title="Directive 2023/977 in practice", start=TODAY - dt.timedelta(days=5),
                             trainers=[trainer], cepol_support=True, cepol_reference="CEPOL 7/2026")
    n = make_nomination(activity, "BE", "confirmed", name="Łukasz Wiśniewski-Ørsted")
    head, _ = login_as("head_of_spoc", "BE")
    assert head.get(f"/training/nominations/{n}/certificate.pdf").status_code == 404  # not yet recorded
    assert head.post_form(f"/training/nominations/{n}/attendance", {"attended": "yes"}).status_code == 404
    core, _ = login_as("trainer", "NL")
    assert core.post_form(f"/training/nominations/{n}/attendance", {"attended": "yes"}).status_code == 302
    db.rollback()
    assert db.get(Nomination, n).attended is True
    r = head.get(f"/training/nominations/{n}/certificate.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert "attachment" in r.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(r.data))
    text = reader.pages[0].extract_text()
    assert "Certificate of attendance" in text
    assert "Łukasz Wiśniewski-Ørsted" in text
    assert "Directive 2023/977 in practice" in text and "CEPOL 7/2026" in text and "Belgium" in text
    assert "Marie Lambert" in text
    assert reader.metadata.title == "Certificate of attendance - Directive 2023/977 in practice"


def test_attendance_is_recorded_only_once_the_activity_started(login_as, make_activity, make_nomination, db):
    n = make_nomination(make_activity(), "BE", "confirmed")
    sec, _ = login_as("secretariat")
    r = sec.post_form(f"/training/nominations/{n}/attendance", {"attended": "yes"}, follow_redirects=True)
    assert "once the activity has started" in r.get_data(as_text=True)
    db.rollback()
    assert db.get(Nomination, n).attended is None


def test_trainers_see_nominees_names_but_not_other_countries_emails(login_as, make_activity, make_nomination):
    activity = make_activity()
    make_nomination(activity, country="NL", name="Nora Nominee")
    make_nomination(activity, country="BE", name="Bert Nominee")
    trainer, _ = login_as("trainer", "BE")
    page = trainer.get(f"/training/activities/{activity}").get_data(as_text=True)
    assert "Nora Nominee" in page and "Bert Nominee" in page  # they run the activity and take attendance
    assert "@spoc.test" not in page  # contact details stay with the secretariat and each Head of SPOC
    head_nl, _ = login_as("head_of_spoc", "NL")
    page = head_nl.get(f"/training/activities/{activity}").get_data(as_text=True)
    assert ".nl@spoc.test" in page and ".be@spoc.test" not in page
    sec, _ = login_as("secretariat")
    page = sec.get(f"/training/activities/{activity}").get_data(as_text=True)
    assert ".nl@spoc.test" in page and ".be@spoc.test" in page
