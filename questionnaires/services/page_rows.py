"""The rows the answering page of a response is made of, as the driver returns them: a part of the key
under which its body is kept (questionnaires/views/question_cache.py, issue 24). Whole rows, so a change
of any column of an answer (its value, revision, confirmation, who changed it when) or of a published
note changes the key, whoever wrote it (another app server, a plain statement)."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.db import Prepared
from questionnaires.models import Answer, QuestionThread, Response

_STATEMENTS: list[Prepared] = []


def _statements() -> list[Prepared]:
    answers, users, threads = Answer.__table__, User.__table__, QuestionThread.__table__
    source = Response.__table__.alias("source")  # a carried-over answer shows the year of its submission
    return [Prepared(s, raw=True) for s in (
        select(answers, users.c.name, users.c.email, source.c.submitted_at, source.c.updated_at)
        .outerjoin(users, users.c.id == answers.c.updated_by_id)
        .outerjoin(source, source.c.id == answers.c.prefilled_from_id)
        .where(answers.c.response_id == bindparam("response_id")).order_by(answers.c.id),
        select(threads).where(threads.c.round_id == bindparam("round_id"), threads.c.public_note != "")
        .order_by(threads.c.id),
    )]


def response_page_rows(session: Session, response: Response) -> tuple:
    """The response's answers (with who changed each, and the submission a carried-over one came from)
    and the round's published notes, whole rows."""
    if not _STATEMENTS:
        _STATEMENTS.extend(_statements())
    conn = session.connection()
    params = {"response_id": response.id, "round_id": response.round_id}
    return tuple(s.key_rows(conn, params) for s in _STATEMENTS)
