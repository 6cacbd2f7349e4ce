"""The mail the questionnaires send, one kind a template (questionnaires/templates/questionnaires/mail/):
queued in the request's session, it leaves after the commit (portal/mail/). The caller gives the
link to the page (built from the request)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal import mail
from questionnaires.services import threads
from questionnaires.services.clearance import heads_of_spoc
from questionnaires.services.rounds import respondents


def who(user) -> str:
    return (user.name or user.email) if user is not None else "an import"


def _to(users) -> list[str]:
    return [u.email for u in users]


def sent_for_approval(session: Session, round_, response, actor, link: str) -> None:
    """To the country's Heads of SPOC: a response waits for their clearance."""
    mail.queue_template(session, _to(heads_of_spoc(session, response.country_code)),
                        "questionnaires/mail/for_approval.txt", round=round_, response=response, who=who(actor),
                        link=link)


def cleared(session: Session, round_, response, actor, approved: bool, link: str) -> None:
    """To the country's respondents: their Head of SPOC submitted the response, or sent it back."""
    mail.queue_template(session, _to(respondents(session, response.country_code)),
                        "questionnaires/mail/submitted.txt" if approved else "questionnaires/mail/sent_back.txt",
                        round=round_, response=response, who=who(actor), link=link)


def reopened(session: Session, round_, response, reason: str, link: str) -> None:
    """To the country's respondents: the secretariat reopened their response, and why."""
    mail.queue_template(session, _to(respondents(session, response.country_code)),
                        "questionnaires/mail/reopened.txt", round=round_, response=response,
                        reason=(reason or "").strip(), link=link)


def question_asked(session: Session, round_, thread, link: str) -> None:
    """To the secretariat: a country asks about a question."""
    mail.queue_template(session, threads.secretariat_emails(session), "questionnaires/mail/question.txt",
                        round=round_, country=thread.country_code, thread=thread,
                        question=thread.messages[0].body, link=link)


def question_answered(session: Session, round_, thread, answer: str, link: str) -> None:
    """To the country's respondents: the secretariat answered their question."""
    mail.queue_template(session, _to(respondents(session, thread.country_code)), "questionnaires/mail/answered.txt",
                        round=round_, thread=thread, answer=(answer or "").strip(), link=link)
