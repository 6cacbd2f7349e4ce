"""`spoc send-reminders` mails the countries that have not submitted, through a real SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from portal.dates import format_day
from portal.db import utcnow
from questionnaires.models import ReminderSent
from tests.questionnaires.conftest import COMPLETE, form_for, response_url


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    old = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    try:
        yield inbox
    finally:
        app.config.update(old)
        controller.stop()


def test_reminders_go_to_countries_that_have_not_submitted(app, smtp, open_mini, login_as, make_user, db):
    soon = open_mini(countries=("BE", "NL", "DE"), deadline_days=3)
    open_mini(countries=("BE",), deadline_days=30)  # not due yet
    be, be_user = login_as("respondent", "BE")
    be.post_form(response_url(soon), form_for({"staff": "2"}))
    nl, _ = login_as("respondent", "NL")
    nl.post_form(response_url(soon, "NL"), form_for(COMPLETE) | {"action": "submit"})
    head_de = make_user("head_of_spoc", "DE")  # DE has no respondent: its Head of SPOC is reminded
    runner = app.test_cli_runner()

    result = runner.invoke(args=["send-reminders", "--days", "7"])
    assert result.exit_code == 0, result.output
    got = {tuple(to): msg for to, msg in smtp.messages}
    assert set(got) == {(be_user.email,), (head_de.email,)}
    msg = got[(be_user.email,)]
    assert "is due in 3 days" in msg["Subject"]
    body = msg.get_payload(decode=True).decode()
    assert "BE's response is a draft" in body and f"http://portal.test{response_url(soon)}" in body
    assert "2 reminders queued; 0 messages waiting to be sent" in result.output

    # at most once a day
    result = runner.invoke(args=["send-reminders", "--days", "7"])
    assert result.exit_code == 0 and len(smtp.messages) == 2
    db.rollback()
    sent = db.scalars(select(ReminderSent).order_by(ReminderSent.country_code)).all()
    assert [(r.country_code, r.sent_on) for r in sent] == [("BE", utcnow().date()), ("DE", utcnow().date())]

    # the next day the countries that still have not submitted are reminded again
    with app.extensions["spoc_db"].unit_of_work() as session:
        for row in session.scalars(select(ReminderSent)):
            row.sent_on = row.sent_on - dt.timedelta(days=1)
    result = runner.invoke(args=["send-reminders", "--days", "7"])
    assert len(smtp.messages) == 4


def test_no_reminder_when_all_submitted_or_round_closed(app, smtp, open_mini, login_as):
    rid = open_mini(countries=("NL",), deadline_days=1)
    nl, _ = login_as("respondent", "NL")
    nl.post_form(response_url(rid, "NL"), form_for(COMPLETE) | {"action": "submit"})
    closed = open_mini(countries=("BE",), deadline_days=1)
    login_as("respondent", "BE")
    sec, _ = login_as("secretariat")
    sec.post_form(f"/questionnaires/rounds/{closed}/close")
    result = app.test_cli_runner().invoke(args=["send-reminders", "--days", "7"])
    assert result.exit_code == 0 and smtp.messages == []


def test_a_response_awaiting_clearance_reminds_the_head_of_spoc_not_the_respondents(app, smtp, open_mini, login_as,
                                                                                    make_user):
    rid = open_mini(countries=("BE",), deadline_days=2, requires_clearance=True)
    be, be_user = login_as("respondent", "BE")
    be.post_form(response_url(rid), form_for(COMPLETE) | {"action": "submit"})
    head = make_user("head_of_spoc", "BE")
    smtp.messages.clear()  # the mail asking for approval
    result = app.test_cli_runner().invoke(args=["send-reminders", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert [to for to, _ in smtp.messages] == [[head.email]]
    body = smtp.messages[0][1].get_payload(decode=True).decode()
    assert "BE's response is waiting for your approval (submit it or send it back)" in body


@pytest.mark.parametrize("lang,subject,words,english", [
    ("fr", "Rappel : Test round, échéance dans 3 jours",
     ["La date limite du cycle de questionnaire « Test round » est dans 3 jours ({day})",
      "la réponse de BE n'est pas encore commencée", "Ouvrez-la ici :"], ["Dear colleague", "is due"]),
    ("de", "Erinnerung: Test round ist in 3 Tagen fällig",
     ["die Frist der Fragebogenrunde „Test round“ endet in 3 Tagen ({day})",
      "die Antwort von BE ist noch nicht begonnen", "Öffnen Sie sie hier:"], ["Dear colleague", "is due"]),
])
def test_the_reminder_is_in_each_recipients_language(app, smtp, open_mini, make_user, lang, subject, words, english):
    """Issue 19, items 10 and 12: the round reminder is written in the respondent's language, its deadline as that
    language writes a day; a respondent reading English gets the English one."""
    from portal.accounts.models import User

    rid = open_mini(countries=("BE",), deadline_days=3)
    reader = make_user("respondent", "BE", email="reader@test.invalid")
    english_reader = make_user("respondent", "BE", email="english@test.invalid")
    with app.extensions["spoc_db"].unit_of_work() as session:
        session.get(User, reader.id).language = lang
        session.get(User, english_reader.id).language = "en"
        deadline = session.get(__import__("questionnaires.models", fromlist=["Round"]).Round, rid).deadline
    result = app.test_cli_runner().invoke(args=["send-reminders", "--days", "7"])
    assert result.exit_code == 0, result.output
    got = {to[0]: msg for to, msg in smtp.messages}
    assert set(got) == {"reader@test.invalid", "english@test.invalid"}
    msg = got["reader@test.invalid"]
    assert str(email.header.make_header(email.header.decode_header(msg["Subject"]))) == subject
    body = msg.get_payload(decode=True).decode()
    for text in words:
        # the deadline as the pages write a day in that language (portal/dates.py: 8 déc. 2026, 8. Dez. 2026)
        assert text.format(day=format_day(deadline, language=lang)) in body, (text, body)
    for text in english:
        assert text not in body
    assert "is due in 3 days" in got["english@test.invalid"]["Subject"]
