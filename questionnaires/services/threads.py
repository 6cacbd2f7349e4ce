"""Questions to the secretariat: a country's respondent asks about one question of a round; the secretariat
answers in the thread (visible to that country and the secretariat only) and may publish an answer as a note
on the question, which every country of the round then reads on its answering page.

    thread = ask(session, round_, "BE", "staff_total", respondent, "Do seconded staff count?")
    reply(session, thread, secretariat_user, "Yes, if they work for the SPOC full time.", from_secretariat=True)
    publish(session, thread, secretariat_user, "Seconded staff count when full time.")   # '' withdraws it
    notes(session, round_)   # {question_id: [published notes]}
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal import policy
from portal.accounts.models import User
from portal.db import utcnow
from questionnaires.models import QuestionThread, Round, ThreadMessage
from questionnaires.services import QuestionnaireError
from questionnaires.services.versions import definition_of

MAX_TEXT = 4000


def _text(body: str, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise QuestionnaireError("Write your message.", field)
    if len(body) > MAX_TEXT:
        raise QuestionnaireError("At most %(limit)s characters (this is %(count)s).", field, limit=MAX_TEXT,
                                 count=len(body))
    return body


def ask(session: Session, round_: Round, country_code: str, question_id: str, actor, body: str) -> QuestionThread:
    """A new thread of the country about one question of the round's questionnaire."""
    if question_id not in definition_of(round_.version).question_map:
        raise QuestionnaireError("Choose a question of this questionnaire.", "question_id")
    body = _text(body)
    if not round_.is_open:
        raise QuestionnaireError("The round is closed.", "body")
    now = utcnow()
    thread = QuestionThread(round_id=round_.id, country_code=country_code, question_id=question_id,
                            created_by_id=getattr(actor, "id", None), created_at=now, answered=False, public_note="")
    thread.messages.append(ThreadMessage(author_id=getattr(actor, "id", None), from_secretariat=False, body=body,
                                         at=now))
    session.add(thread)
    session.flush()
    return thread


def reply(session: Session, thread: QuestionThread, actor, body: str, *, from_secretariat: bool) -> ThreadMessage:
    """A message in the thread: the secretariat's answer marks it answered; the country's follow-up reopens it."""
    message = ThreadMessage(thread_id=thread.id, author_id=getattr(actor, "id", None),
                            from_secretariat=from_secretariat, body=_text(body), at=utcnow())
    session.add(message)
    thread.answered = from_secretariat
    session.flush()
    return message


def publish(session: Session, thread: QuestionThread, actor, note: str) -> None:
    """Show `note` to every country of the round as a note on the question ('' withdraws it)."""
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise QuestionnaireError("At most %(limit)s characters (this is %(count)s).", "note", limit=MAX_TEXT,
                                 count=len(note))
    thread.public_note = note
    thread.published_at = utcnow() if note else None
    session.flush()


def threads_of(session: Session, round_: Round, country_code: str | None = None) -> list[QuestionThread]:
    """The round's threads, newest first; one country's when `country_code` is given."""
    query = (select(QuestionThread).where(QuestionThread.round_id == round_.id)
             .options(selectinload(QuestionThread.messages)).order_by(QuestionThread.id.desc()))
    if country_code is not None:
        query = query.where(QuestionThread.country_code == country_code)
    return list(session.scalars(query))


def notes(session: Session, round_: Round) -> dict[str, list[str]]:
    """{question_id: the published notes on it}, oldest first: what every country of the round reads."""
    found: dict[str, list[str]] = {}
    for thread in session.scalars(select(QuestionThread).where(QuestionThread.round_id == round_.id,
                                                               QuestionThread.public_note != "")
                                  .order_by(QuestionThread.published_at, QuestionThread.id)):
        found.setdefault(thread.question_id, []).append(thread.public_note)
    return found


def secretariat_emails(session: Session) -> list[str]:
    return list(session.scalars(select(User.email).where(policy.secretariat_staff()).order_by(User.email)))
