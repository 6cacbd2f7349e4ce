"""The secretariat's rounds: opening one with invitations, progress per country, closing."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from portal.accounts.models import OneTimeLink
from portal.db import utcnow
from portal.mail import OutboxMessage
from questionnaires.definitions import load_definition
from questionnaires.models import Response, Round
from questionnaires.services import versions
from tests.questionnaires.conftest import COMPLETE, MINI, form_for, response_url


def _publish(app):
    with app.extensions["spoc_db"].unit_of_work() as session:
        return versions.publish_definition(session, load_definition(MINI)).version.id


def test_open_round_for_chosen_countries_and_invite(app, login_as, make_user, db):
    version_id = _publish(app)
    with_password = make_user("respondent", "BE", email="has.password@test.invalid")
    from portal.accounts import services as accounts

    with app.extensions["spoc_db"].unit_of_work() as session:
        newcomer = accounts.create_user(session, email="new.nl@test.invalid", role="respondent", country_code="NL",
                                        name="New", password=None)
    sec, _ = login_as("secretariat")
    page = sec.get("/questionnaires/rounds/new").get_data(as_text=True)
    assert page.count('type="checkbox" value=') >= 31 and page.count("checked") >= 31  # all 31 by default
    deadline = (utcnow().date() + dt.timedelta(days=21)).isoformat()
    r = sec.post_form("/questionnaires/rounds/new", {"version_id": version_id, "title": "", "deadline": deadline,
                                                     "countries": ["BE", "NL"], "invite": "y"})
    assert r.status_code == 422 and "Give the round a title." in r.get_data(as_text=True)
    r = sec.post_form("/questionnaires/rounds/new", {"version_id": version_id, "title": "Round A",
                                                     "deadline": "2001-01-01", "countries": ["BE"], "invite": "y"})
    assert r.status_code == 422 and "The deadline cannot be in the past." in r.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(Round.id)) is None
    r = sec.post_form("/questionnaires/rounds/new", {"version_id": version_id, "title": "Round A",
                                                     "deadline": deadline, "countries": ["BE", "NL"], "invite": "y"})
    assert r.status_code == 302
    db.rollback()
    round_ = db.scalar(select(Round))
    assert round_.country_codes == ["BE", "NL"] and round_.version_id == version_id
    assert sorted(db.scalars(select(Response.country_code).where(Response.round_id == round_.id))) == ["BE", "NL"]
    mails = {m.to[0]: m for m in db.scalars(select(OutboxMessage))}
    assert set(mails) == {with_password.email, newcomer.email}
    assert response_url(round_.id, "BE") in mails[with_password.email].body
    assert "/set-password/" not in mails[with_password.email].body
    link = re.search(r"http://portal\.test(/set-password/\S+)", mails[newcomer.email].body).group(1)
    anon = app.test_client()
    assert anon.get(link).status_code == 200
    # the link expires
    with app.extensions["spoc_db"].unit_of_work() as session:
        for row in session.scalars(select(OneTimeLink)):
            row.expires_at = utcnow() - dt.timedelta(minutes=1)
    assert anon.get(link).status_code == 404


def test_progress_per_country(app, login_as, open_mini):
    rid = open_mini(countries=("BE", "NL", "DE"))
    be, _ = login_as("respondent", "BE")
    be.post_form(response_url(rid), form_for({"has_cms": "no", "staff": "3"}))
    de, _ = login_as("respondent", "DE")
    de.post_form(response_url(rid, "DE"), form_for(COMPLETE) | {"action": "submit"})
    sec, _ = login_as("secretariat")
    page = sec.get(f"/questionnaires/rounds/{rid}").get_data(as_text=True)
    rows = {cc: re.search(rf'<span class="text-muted small">{cc}</span>.*?</tr>', page, re.S).group(0)
            for cc in ("BE", "NL", "DE")}
    assert "Draft" in rows["BE"] and "29%" in rows["BE"] and "2 of 7" in rows["BE"]
    assert "Not started" in rows["NL"]
    assert "Submitted" in rows["DE"]
    assert "1 submitted" in page and "1 in progress" in page and "1 not started" in page
    index = sec.get("/questionnaires/").get_data(as_text=True)
    assert "Test round" in index and "1 of 3" in index
    assert be.get(f"/questionnaires/rounds/{rid}").status_code == 404  # progress is for the secretariat
    listing = be.get("/questionnaires/").get_data(as_text=True)
    assert "Test round" in listing and "2 of 7 answered" in listing
    assert "Test round" in be.get("/").get_data(as_text=True)  # dashboard card


def test_progress_lists_countries_by_their_names(login_as, open_mini):
    """Issue 19, item 13: Austria, Czechia, Switzerland, as people look for them (not AT, CH, CZ)."""
    rid = open_mini(countries=("CH", "AT", "CZ"))
    sec, _ = login_as("secretariat")
    page = sec.get(f"/questionnaires/rounds/{rid}").get_data(as_text=True)
    assert page.index('small">AT</span>') < page.index('small">CZ</span>') < page.index('small">CH</span>')


def test_close_round_locks_answers(app, login_as, open_mini, api, make_user):
    rid = open_mini()
    sec, _ = login_as("secretariat")
    assert sec.post_form(f"/questionnaires/rounds/{rid}/close").status_code == 302
    be, _ = login_as("respondent", "BE")
    page = be.get(response_url(rid)).get_data(as_text=True)
    assert "Round closed" in page and "questionnaire-form" not in page
    r = api(make_user("respondent", "BE")).patch(f"/api/v1/rounds/{rid}/responses/BE",
                                                json={"answers": {"staff": 1}, "version": 1})
    assert r.status_code == 409
    deadline = (utcnow().date() + dt.timedelta(days=5)).isoformat()
    assert sec.post_form(f"/questionnaires/rounds/{rid}/reopen", {"deadline": deadline}).status_code == 302
    assert "questionnaire-form" in be.get(response_url(rid)).get_data(as_text=True)


def test_new_round_page_is_for_the_secretariat_only(login_as):
    for role, cc in (("respondent", "BE"), ("head_of_spoc", "BE"), ("officer", "BE")):
        c, _ = login_as(role, cc)
        assert c.get("/questionnaires/rounds/new").status_code == 404
    c, _ = login_as("officer", "BE")
    assert c.get("/questionnaires/").status_code == 404


def test_published_version_is_immutable_and_edits_make_a_new_version(app, db):
    from questionnaires.models import ImmutableVersionError, QuestionnaireVersion

    database = app.extensions["spoc_db"]
    with database.unit_of_work() as session:
        first = versions.publish_definition(session, load_definition(MINI))
        again = versions.publish_definition(session, load_definition(MINI))
        assert first.created and not again.created and again.version.id == first.version.id
        edited = {**MINI, "title": {"en": "Mini, edited"}}
        second = versions.publish_definition(session, load_definition(edited))
        assert second.created and second.version.number == 2
        assert second.version.definition["version"] == 2
    try:
        with database.unit_of_work() as session:
            v = session.get(QuestionnaireVersion, first.version.id)
            v.definition = {**v.definition, "title": {"en": "sneaky"}}
            session.flush()
    except ImmutableVersionError:
        pass
    else:
        raise AssertionError("a published version was changed")
    db.rollback()
    assert db.get(QuestionnaireVersion, first.version.id).definition["title"] == {"en": "Mini questionnaire",
                                                                                "fr": "Mini questionnaire (FR)"}


def test_text_in_a_number_does_not_hide_the_other_fields_errors(login_as, open_mini):
    """Issue 19, item 13: every error of the page at once, each beside its field, nothing saved."""
    import re

    from tests.questionnaires.conftest import form_for, response_url

    rid = open_mini()
    be, _ = login_as("respondent", "BE")
    r = be.post_form(response_url(rid), form_for({"staff": "abc", "night": "-5"}))
    assert r.status_code == 422
    messages = [m for m in re.findall(r'invalid-feedback[^>]*>([^<]*)<', r.get_data(as_text=True)) if m.strip()]
    assert "Enter a number." in messages and "The smallest allowed value is 0." in messages


def test_a_round_s_marking_is_chosen_from_the_secretariat_s_list(app, login_as, db):
    version_id = _publish(app)
    sec, _ = login_as("secretariat")
    page = sec.get("/questionnaires/rounds/new").get_data(as_text=True)
    assert '<option value="LIMITE">LIMITE</option>' in page
    deadline = (utcnow().date() + dt.timedelta(days=21)).isoformat()
    base = {"version_id": version_id, "title": "Round M", "deadline": deadline, "countries": ["BE"]}
    r = sec.post_form("/questionnaires/rounds/new", base | {"marking": "EU RESTRICTED"})
    assert r.status_code == 422 and "Choose a marking from the list the secretariat keeps." in r.get_data(as_text=True)
    assert sec.post_form("/questionnaires/rounds/new", base | {"marking": "LIMITE"}).status_code == 302
    db.rollback()
    assert db.scalar(select(Round.marking).where(Round.title == "Round M")) == "LIMITE"
