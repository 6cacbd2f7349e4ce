"""24/7 duty and escalation (issue 17, point 4): the roster, an urgent request reaching the officer on
duty at once (mail and badge), escalation to the shift leader when nobody takes it, deadlines to the
supervisors; each alert once; handover notes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from casemgmt.models import Case, DutyAlert, DutyShift
from casemgmt.services import CaseError, duty
from portal.db import utcnow
from portal.mail import OutboxMessage
from tests.casemgmt.conftest import make_payload

URGENT = {"urgent": True, "urgency_ground": "life_or_physical_integrity", "information_access": "direct"}


def _mails(db, subject: str) -> list[OutboxMessage]:
    db.rollback()
    return list(db.scalars(select(OutboxMessage).where(OutboxMessage.subject.like(f"{subject}%"))))


@pytest.fixture
def team(app, make_user):
    """BE: an officer on duty now, a shift leader on duty now, a supervisor, an officer off duty."""
    people = {"duty": make_user("officer", "BE", email="duty@be.invalid"),
              "leader": make_user("supervisor", "BE", email="leader@be.invalid"),
              "supervisor": make_user("supervisor", "BE", email="boss@be.invalid"),
              "off": make_user("officer", "BE", email="off@be.invalid")}
    now = utcnow()
    with app.extensions["spoc_db"].unit_of_work() as s:
        duty.add_shift(s, people["supervisor"], "BE", people["duty"], "duty_officer", now - dt.timedelta(hours=2),
                       now + dt.timedelta(hours=6))
        duty.add_shift(s, people["supervisor"], "BE", people["leader"], "shift_leader", now - dt.timedelta(hours=2),
                       now + dt.timedelta(hours=6))
    return people


def test_the_roster_is_kept_by_supervisors_with_plain_checks(app, login_as, make_user, db):
    client, boss = login_as("supervisor", "BE")
    officer = make_user("officer", "BE", email="o@be.invalid")
    outsider = make_user("officer", "NL")
    form = {"sh-user_id": str(officer.id), "sh-role": "duty_officer", "sh-starts_at": "2026-12-05 20:00",
            "sh-ends_at": "2026-12-05 08:00"}
    r = client.post_form("/cases/duty/shifts", form)
    assert r.status_code == 422 and "The shift ends after it starts." in r.get_data(as_text=True)
    r = client.post_form("/cases/duty/shifts", {**form, "sh-ends_at": "2026-12-07 08:00"})
    assert r.status_code == 422 and "at most 24 hours" in r.get_data(as_text=True)
    with pytest.raises(CaseError, match="officer or supervisor of your SPOC"):
        duty.add_shift(db, boss, "BE", outsider, "duty_officer", utcnow(), utcnow() + dt.timedelta(hours=1))
    db.rollback()
    assert client.post_form("/cases/duty/shifts", {**form, "sh-ends_at": "2026-12-06 08:00"}).status_code == 302
    db.rollback()
    assert db.scalar(select(DutyShift.user_id)) == officer.id
    other, _ = login_as("officer", "BE")
    assert other.post_form("/cases/duty/shifts", form).status_code == 404
    assert "24/7 duty of the SPOC Belgium" in other.get("/cases/duty").get_data(as_text=True)


def test_an_urgent_request_reaches_the_officer_on_duty_at_once_and_a_badge_shows_it(team, api, app, login_as, db):
    from tests.conftest import PortalClient

    r = api(team["off"]).post("/api/v1/cases/intake", json=make_payload(**URGENT))
    assert r.status_code == 201
    number = r.get_json()["registration_number"]
    (mail,) = _mails(db, "New urgent request")
    assert mail.to == ["duty@be.invalid"] and number in mail.subject and "Kowalski" not in mail.body
    on_duty = PortalClient(app.test_client())
    on_duty.login("duty@be.invalid")
    assert "1 urgent not taken" in on_duty.get("/directory").get_data(as_text=True)  # on every page
    off, _ = login_as("officer", "BE")  # not on duty: no badge
    assert 'id="duty-badge"' not in off.get("/cases/").get_data(as_text=True)
    # taken: the badge goes
    assert on_duty.post_form(f"/cases/{number}/assign", {"as-assignee_id": str(team["duty"].id)}).status_code == 302
    assert 'id="duty-badge"' not in on_duty.get("/cases/").get_data(as_text=True)
    # a non-urgent request alerts nobody
    api(team["off"]).post("/api/v1/cases/intake", json=make_payload(external_reference="SIENA-CALM-1"))
    assert len(_mails(db, "New urgent request")) == 1


def test_handover_notes(team, app, db):
    from tests.conftest import PortalClient

    client = PortalClient(app.test_client())
    client.login("duty@be.invalid")
    assert client.post_form("/cases/duty/notes", {"ho-text": ""}).status_code == 422
    assert client.post_form("/cases/duty/notes", {"ho-text": "BE-2026-000004: DE will call back at 06:00."}
                            ).status_code == 302
    page = client.get("/cases/duty").get_data(as_text=True)
    assert "DE will call back at 06:00." in page and "on duty" in page


def test_nobody_takes_it_so_the_shift_leader_is_told_once_and_deadlines_go_to_supervisors(team, api, app, db):
    r = api(team["off"]).post("/api/v1/cases/intake", json=make_payload(**URGENT))
    number = r.get_json()["registration_number"]
    with app.extensions["spoc_db"].unit_of_work() as s:
        case = s.scalar(select(Case).where(Case.registration_number == number))
        case.created_at = utcnow() - dt.timedelta(minutes=31)
        case.due_at = utcnow() + dt.timedelta(hours=1)  # within the SPOC's 2 "due soon" hours
    for _ in range(2):  # the worker runs every 5 minutes: each alert goes once
        with app.extensions["spoc_db"].unit_of_work() as s:
            duty.duty_alerts(s, {}, utcnow())
    (leader,) = _mails(db, "Urgent request not taken for 30 minutes")
    assert leader.to == ["leader@be.invalid"]
    (deadline,) = _mails(db, "Legal deadline near")
    assert sorted(deadline.to) == ["boss@be.invalid", "leader@be.invalid"]
    kinds = sorted(db.scalars(select(DutyAlert.kind)))
    assert kinds == ["deadline", "new_urgent", "unassigned"]


def test_each_recipient_reads_the_alert_in_their_own_language(team, api, app, db):
    from portal.accounts import services as accounts

    with app.extensions["spoc_db"].unit_of_work() as s:
        accounts.set_language(s, s.get(type(team["leader"]), team["leader"].id), "fr")
        accounts.set_language(s, s.get(type(team["duty"]), team["duty"].id), "de")
    r = api(team["off"]).post("/api/v1/cases/intake", json=make_payload(**URGENT))
    number = r.get_json()["registration_number"]
    (new,) = _mails(db, "Neues dringendes Ersuchen")
    assert new.to == ["duty@be.invalid"] and f"Fall {number} des SPOC Belgien" in new.body  # the country by its name in German
    with app.extensions["spoc_db"].unit_of_work() as s:
        case = s.scalar(select(Case).where(Case.registration_number == number))
        case.created_at = utcnow() - dt.timedelta(minutes=31)
        case.due_at = utcnow() - dt.timedelta(minutes=5)
    with app.extensions["spoc_db"].unit_of_work() as s:
        duty.duty_alerts(s, {"BASE_URL": "http://portal.test"}, utcnow())
    (leader,) = _mails(db, "Demande urgente non prise en charge depuis 30 minutes")
    assert leader.to == ["leader@be.invalid"] and f"Ouvrir : http://portal.test/cases/{number}" in leader.body
    # one alert, one message per language: the shift leader in French, the supervisor in English (the default)
    (fr,) = _mails(db, "Délai légal dépassé")
    (en,) = _mails(db, "Legal deadline passed")
    assert (fr.to, en.to) == (["leader@be.invalid"], ["boss@be.invalid"])
    assert "Les données se trouvent uniquement dans le portail." in fr.body and "Kowalski" not in fr.body + en.body
