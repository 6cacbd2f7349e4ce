"""The demo data agree with themselves per country (issue 19, item 13): names, languages, contacts, answers,
meetings on working days."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.demo import load_demo
from portal.directory.demo_people import CONTACTS, NOTIFIED_LANGUAGES
from portal.directory.models import Spoc
from portal.meetings.models import Meeting
from portal.meetings.services.meetings import local
from questionnaires.models import Response


@pytest.fixture(scope="module")
def demo(_app):
    from tests.conftest import _wipe

    _wipe(_app)
    with _app.extensions["spoc_db"].unit_of_work() as session:
        load_demo(session, "demo-password-123", _app)
    with _app.extensions["spoc_db"].read_session() as session:
        yield session
    _wipe(_app)


def test_the_demo_users_are_people_of_their_country(demo):
    users = {u.email: u for u in demo.scalars(select(User))}
    for cc in ("BE", "NL"):
        head = users[f"head.{cc.lower()}@demo.invalid"]
        assert head.name == demo.get(Spoc, cc).head_name  # the directory names the same Head of SPOC
        assert users[f"respondent.{cc.lower()}@demo.invalid"].name == CONTACTS[cc]
        assert all(u.language in NOTIFIED_LANGUAGES[cc] for u in users.values() if u.country_code == cc)
        assert len({u.name for u in users.values() if u.country_code == cc}) == 6  # six people, six names
    assert not any(u.name.endswith((" Be", " Nl")) for u in users.values())


def test_directory_and_answers_agree(demo):
    for spoc in demo.scalars(select(Spoc).where(Spoc.email != "")):
        assert tuple(p.strip() for p in spoc.languages.split(",")) == NOTIFIED_LANGUAGES[spoc.country_code]
    responses = list(demo.scalars(select(Response).where(Response.status.in_(("submitted", "draft")))))
    assert len(responses) > 15
    for response in responses:
        cc, answers = response.country_code, {a.question_id: a.value for a in response.answers}
        assert answers["resp_name"] == CONTACTS[cc], cc  # the same contact person in every round
        if "avail_languages" in answers:
            assert set(answers["avail_languages"]) == set(NOTIFIED_LANGUAGES[cc]), cc
        spoc = demo.get(Spoc, cc)
        if spoc is not None and spoc.email and "avail_247" in answers:
            assert answers["avail_247"] == "yes", cc  # the directory gives its 24/7 phone
    be = next(r for r in responses if r.country_code == "BE" and r.status == "draft")
    assert {a.question_id: a.value for a in be.answers}["resp_email"] == "respondent.be@demo.invalid"


def test_the_demo_meetings_are_on_working_days(demo):
    meetings = list(demo.scalars(select(Meeting)))
    assert meetings
    for meeting in meetings:
        assert local(meeting, meeting.starts_at).weekday() < 5, meeting.title
        assert local(meeting, meeting.ends_at).weekday() < 5, meeting.title
