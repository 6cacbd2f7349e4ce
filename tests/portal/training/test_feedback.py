"""Feedback: the shipped `training_feedback` questionnaire, answered by each participant through a one-time link;
summaries per activity and per trainer; the trainer's rating."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.mail import OutboxMessage
from portal.training.models import Feedback, Trainer
from tests.portal.training.conftest import TODAY

GOOD = {"a.overall_rating": "5", "a.relevance": "highly_relevant", "a.trainer_rating": "4",
        "a.organisation_rating": "4", "a.duration": "about_right", "a.would_recommend": "yes",
        "a.follow_up_topics": ["siena", "languages"], "a.most_useful": "The case studies."}


def _held_activity(make_trainer, make_activity, make_nomination, attendees=2):
    trainer = make_trainer("Marie Lambert")
    activity = make_activity(title="SIENA basics", start=TODAY - dt.timedelta(days=10), trainers=[trainer])
    ids = [make_nomination(activity, "BE", "confirmed", attended=True) for _ in range(attendees)]
    make_nomination(activity, "NL", "confirmed", attended=False)
    return trainer, activity, ids


def _links(db):
    db.rollback()
    out = []
    for m in db.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Your feedback%"))):
        out.append(re.search(r"http://portal\.test(/training/feedback/\S+)", m.body).group(1))
    return out


def test_participants_get_a_link_and_their_answers_update_the_trainers_rating(
        login_as, make_trainer, make_activity, make_nomination, client, db):
    trainer, activity, _ = _held_activity(make_trainer, make_activity, make_nomination)
    core, _ = login_as("trainer", "NL")
    r = core.post_form(f"/training/activities/{activity}/feedback-requests", follow_redirects=True)
    assert "The feedback request was mailed to 2 participants." in r.get_data(as_text=True)  # not the absentee
    link1, link2 = _links(db)
    form = client.get(link1)
    page = form.get_data(as_text=True)
    assert form.status_code == 200
    assert "How would you rate the trainers?" in page and "Would you recommend" in page
    assert client.post_form(link1, dict(GOOD)).status_code == 200
    assert client.post_form(link2, dict(GOOD, **{"a.trainer_rating": "5", "a.overall_rating": "2",
                                                 "a.low_rating_reason": "Too fast."})).status_code == 200
    db.rollback()
    assert len(db.scalars(select(Feedback)).all()) == 2
    t = db.get(Trainer, trainer)
    assert (str(t.rating), t.rating_count) == ("4.50", 2)
    # the link works once
    assert client.get(link1).status_code == 404
    assert client.post_form(link1, dict(GOOD)).status_code == 404
    page = core.get(f"/training/activities/{activity}").get_data(as_text=True)
    assert "2 of 2 participants answered" in page and "4.5 / 5" in page and "3.5 / 5" in page
    assert "Too fast." in page and "The case studies." in page and "SIENA: 2" in page
    pool = core.get("/training/trainers").get_data(as_text=True)
    assert "4.5 / 5" in pool and "(2 ratings)" in pool
    page = core.get(f"/training/trainers/{trainer}").get_data(as_text=True)
    assert "SIENA basics" in page and "4.5 / 5" in page


def test_invalid_feedback_is_refused_question_by_question(login_as, make_trainer, make_activity, make_nomination,
                                                          client, db):
    _, activity, _ = _held_activity(make_trainer, make_activity, make_nomination, attendees=1)
    sec, _ = login_as("secretariat")
    sec.post_form(f"/training/activities/{activity}/feedback-requests")
    (link,) = _links(db)
    bad = {k: v for k, v in GOOD.items() if k != "a.trainer_rating"}
    bad["a.relevance"] = "amazing"
    r = client.post_form(link, bad)
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="trainer_rating-error"' in page and "This answer is required." in page
    assert 'id="relevance-error"' in page and "Choose one of the options." in page
    assert 'value="5" checked' in page  # the answers given are kept
    db.rollback()
    assert db.scalar(select(Feedback)) is None


def test_feedback_is_asked_only_after_the_activity(login_as, make_activity, make_nomination, db):
    activity = make_activity(start=TODAY + dt.timedelta(days=3))
    make_nomination(activity, "BE", "confirmed")
    sec, _ = login_as("secretariat")
    r = sec.post_form(f"/training/activities/{activity}/feedback-requests", follow_redirects=True)
    assert "once the activity is over" in r.get_data(as_text=True)
    assert _links(db) == []


def test_unknown_token_is_404(client):
    assert client.get("/training/feedback/not-a-token").status_code == 404


def test_send_reminders_asks_for_feedback_once(app, make_trainer, make_activity, make_nomination, db):
    _held_activity(make_trainer, make_activity, make_nomination)
    runner = app.test_cli_runner()
    out = runner.invoke(args=["send-reminders"]).output
    assert "feedback requested from 2 participant(s) of 'SIENA basics'" in out
    out = runner.invoke(args=["send-reminders"]).output
    assert "SIENA basics" not in out
    assert len(_links(db)) == 2


def test_feedback_uses_the_engines_published_version(app, make_trainer, make_activity, make_nomination, client,
                                                     db, login_as):
    from questionnaires.services.versions import version_by_slug

    _, activity, _ = _held_activity(make_trainer, make_activity, make_nomination, attendees=1)
    sec, _ = login_as("secretariat")
    sec.post_form(f"/training/activities/{activity}/feedback-requests")
    (link,) = _links(db)
    client.post_form(link, dict(GOOD))
    db.rollback()
    version = version_by_slug(db, "training_feedback")
    fb = db.scalar(select(Feedback))
    assert fb.questionnaire_version_id == version.id and fb.definition_version == version.number
    assert fb.answers["follow_up_topics"] == ["siena", "languages"]


def test_the_feedback_form_is_in_the_participants_language(make_trainer, make_activity, make_nomination, client, db,
                                                            login_as):
    """Issue 19: the shipped questionnaire carries French and German texts; the form follows the page's language."""
    _, activity, _ = _held_activity(make_trainer, make_activity, make_nomination, attendees=1)
    sec, _ = login_as("secretariat")
    sec.post_form(f"/training/activities/{activity}/feedback-requests")
    (link,) = _links(db)
    french = client.get(link, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    for text in ("Évaluation de la formation", "Comment évaluez-vous les formateurs ?", "5 - excellent",
                 "Recommanderiez-vous cette activité à vos collègues ?", "Protection des données"):
        assert text in french, text
    german = client.get(link, headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Wie bewerten Sie die Trainerinnen und Trainer?" in german and "1 - sehr schlecht" in german
    assert "How would you rate the trainers?" not in french + german


def test_an_older_stored_feedback_questionnaire_gives_way_to_the_shipped_one(app, db):
    """A database that published version 1 (English only) gets the shipped version 2 when feedback is next used."""
    from portal.training.services.feedback import feedback_definition
    from questionnaires.definitions import load_definition, shipped
    from questionnaires.services.versions import publish_definition, version_by_slug

    data = shipped("training_feedback").model_dump(mode="json", exclude_defaults=True)
    data.update(version=1, languages=["en"], title={"en": "Training feedback"})
    publish_definition(db, load_definition(data))
    assert version_by_slug(db, "training_feedback").number == 1
    version, definition = feedback_definition(db)
    assert version.number == 2 and definition.languages == ["en", "fr", "de"]
    assert feedback_definition(db)[0].id == version.id  # published once
@pytest.mark.parametrize("lang,message", [
    ("fr", "La demande d'évaluation a été envoyée par courriel à 2 participants."),
    ("de", "Die Bitte um Rückmeldung wurde per E-Mail an 2 Teilnehmende gesendet."),
    ("en", "The feedback request was mailed to 2 participants."),
])
def test_the_feedback_request_says_how_many_were_mailed(app, login_as, make_trainer, make_activity, make_nomination,
                                                       lang, message):
    _, activity, _ = _held_activity(make_trainer, make_activity, make_nomination)
    core, user = login_as("trainer", "NL")
    with app.extensions["spoc_db"].unit_of_work() as session:
        session.get(User, user.id).language = lang
    r = core.post_form(f"/training/activities/{activity}/feedback-requests", follow_redirects=True)
    assert message in html.unescape(r.get_data(as_text=True))
