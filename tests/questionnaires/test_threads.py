"""Questions to the secretariat: a respondent asks about a question, the secretariat answers; the thread is
the country's and the secretariat's only; a published answer is a note on the question for every country."""

from __future__ import annotations

from sqlalchemy import select

from portal.mail import OutboxMessage
from questionnaires.models import QuestionThread, ThreadMessage
from tests.questionnaires.conftest import response_url


def _mail(db, start: str) -> OutboxMessage:
    db.rollback()
    return db.scalars(select(OutboxMessage).where(OutboxMessage.subject.like(f"{start}%"))
                      .order_by(OutboxMessage.id.desc())).first()


def test_a_respondent_asks_and_the_secretariat_answers(login_as, open_mini, db, make_user):
    rid = open_mini()
    make_user("secretariat", email="desk@test.invalid")
    c, _ = login_as("respondent", "BE")
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert f'href="/questionnaires/rounds/{rid}/responses/BE/questions?question=staff#ask"' in page
    page = c.get(response_url(rid) + "/questions?question=staff").get_data(as_text=True)
    assert '<option value="staff" selected>' in page
    # bad input: beside the field, nothing saved
    r = c.post_form(response_url(rid) + "/questions", {"question_id": "staff", "body": "  "})
    assert r.status_code == 422 and 'id="body-error">Write your message.' in r.get_data(as_text=True)
    r = c.post_form(response_url(rid) + "/questions", {"question_id": "nope", "body": "Hello"})
    assert r.status_code == 422 and 'id="question_id-error">Choose a question' in r.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(QuestionThread)) is None
    r = c.post_form(response_url(rid) + "/questions", {"question_id": "staff", "body": "Do seconded officers count?"})
    assert r.status_code == 302
    mail = _mail(db, "Question from BE:")
    assert mail.to == ["desk@test.invalid"] and "Do seconded officers count?" in mail.body
    thread = db.scalar(select(QuestionThread))
    sec, _ = login_as("secretariat")
    page = sec.get(f"/questionnaires/rounds/{rid}/questions").get_data(as_text=True)
    assert "Do seconded officers count?" in page and "1 waiting for an answer" in page
    r = sec.post_form(f"/questionnaires/rounds/{rid}/questions/{thread.id}", {"action": "reply", "body": ""})
    assert r.status_code == 422 and "Write your message." in r.get_data(as_text=True)
    r = sec.post_form(f"/questionnaires/rounds/{rid}/questions/{thread.id}",
                      {"action": "reply", "body": "Yes, when they work full time for the SPOC."})
    assert r.status_code == 302
    assert "Yes, when they work full time" in _mail(db, "The secretariat answered:").body
    page = c.get(response_url(rid) + "/questions").get_data(as_text=True)
    assert "Yes, when they work full time for the SPOC." in page and "Answered" in page
    # a follow-up from the country: waiting again
    c.post_form(response_url(rid) + f"/questions/{thread.id}", {"body": "And trainees?"})
    db.rollback()
    assert [m.from_secretariat for m in db.scalars(select(ThreadMessage).order_by(ThreadMessage.id))] == \
        [False, True, False]
    assert db.get(QuestionThread, thread.id).answered is False


def test_the_thread_is_the_country_s_and_a_published_note_is_everyone_s(login_as, open_mini, db):
    rid = open_mini()
    be, _ = login_as("respondent", "BE")
    be.post_form(response_url(rid) + "/questions", {"question_id": "staff", "body": "Private question of BE"})
    db.rollback()
    thread = db.scalar(select(QuestionThread))
    nl, _ = login_as("respondent", "NL")
    assert "Private question of BE" not in nl.get(response_url(rid, "NL") + "/questions").get_data(as_text=True)
    assert nl.get(response_url(rid, "BE") + "/questions").status_code == 404
    assert nl.post_form(response_url(rid, "NL") + f"/questions/{thread.id}", {"body": "x"}).status_code == 404
    assert nl.get(f"/questionnaires/rounds/{rid}/questions").status_code == 404
    head, _ = login_as("head_of_spoc", "BE")
    assert "Private question of BE" in head.get(response_url(rid) + "/questions").get_data(as_text=True)
    sec, _ = login_as("secretariat")
    r = sec.post_form(f"/questionnaires/rounds/{rid}/questions/{thread.id}",
                      {"action": "publish", "note": "Count seconded officers working full time for the SPOC."})
    assert r.status_code == 302
    for client, cc in ((nl, "NL"), (be, "BE")):
        page = client.get(response_url(rid, cc)).get_data(as_text=True)
        assert "Note from the secretariat: Count seconded officers working full time for the SPOC." in page
    assert "Private question of BE" not in nl.get(response_url(rid, "NL")).get_data(as_text=True)
    sec.post_form(f"/questionnaires/rounds/{rid}/questions/{thread.id}", {"action": "publish", "note": ""})
    assert "Note from the secretariat" not in nl.get(response_url(rid, "NL")).get_data(as_text=True)
