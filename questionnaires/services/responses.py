"""A country's response: saving answers with per-answer optimistic locking, history, submit, reopen.

Locking, in two layers. The response row carries a version (SQLAlchemy `version_id_col`) that
every save increments; the API insists on it (a stale version is refused whole). The page is more
forgiving, so that two colleagues editing *different* answers both succeed: it sends, per answer,
the revision it was built from. A changed answer whose revision moved on in the meantime is a
conflict only if the colleague's value differs from ours: the stored value stays, and both values
are reported so that the page can show them side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.db import utcnow
from questionnaires.definitions import Definition
from questionnaires.models import Answer, AnswerHistory, Response, ResponseEvent, ResponseStatus, Round
from questionnaires.services import InvalidAnswers, Locked, QuestionnaireError, StaleVersion
from questionnaires.services.validation import (
    Problem,
    clean,
    constraint_error,
    effective_answers,
    filter_error,
    problems_for_submit,
    relevance,
    same_value,
    shape_error,
)
from questionnaires.services.versions import definition_of

UNKNOWN_QUESTION = "There is no such question in this questionnaire."


def definition_for(response: Response) -> Definition:
    return definition_of(response.round.version)


def get_response(session: Session, round_: Round, country_code: str) -> Response | None:
    """The response of a country invited to the round (None when it is not part of it)."""
    return session.scalar(select(Response).where(Response.round_id == round_.id,
                                                 Response.country_code == country_code.upper()))


def answers_by_question(response: Response) -> dict[str, Answer]:
    return {a.question_id: a for a in response.answers}


def answer_values(response: Response) -> dict[str, object]:
    """{question_id: value} of the non-empty answers."""
    return {a.question_id: a.value for a in response.answers if a.value is not None}


def value_at(session: Session, response: Response, question_id: str, revision: int) -> object:
    """The value an answer had at a revision (0: before its first answer)."""
    if revision <= 0:
        return None
    row = session.scalar(select(AnswerHistory.new_value).where(
        AnswerHistory.response_id == response.id, AnswerHistory.question_id == question_id,
        AnswerHistory.revision == revision))
    return row


def history(session: Session, response: Response, question_id: str) -> list[AnswerHistory]:
    return list(session.scalars(select(AnswerHistory).where(
        AnswerHistory.response_id == response.id, AnswerHistory.question_id == question_id)
        .order_by(AnswerHistory.revision.desc(), AnswerHistory.id.desc())))


@dataclass(frozen=True)
class Conflict:
    question_id: str
    theirs: object
    yours: object
    changed_by: object  # User or None
    changed_at: object
    revision: int


@dataclass
class SaveResult:
    changed: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def lock(session: Session, response: Response) -> None:
    """Re-read the response under a row lock (PostgreSQL; SQLite writers are serialised anyway), so
    that concurrent saves of one response wait for each other instead of failing on its version."""
    session.refresh(response, with_for_update=True)
    session.expire(response, ["answers"])


def ensure_editable(response: Response) -> None:
    if not response.round.is_open:
        raise Locked("This round is closed: its answers can no longer change.")
    if response.status == ResponseStatus.FOR_APPROVAL:
        raise Locked("This response awaits the approval of the Head of SPOC: it changes only once sent back.")
    if response.status == ResponseStatus.SUBMITTED:
        raise Locked("This response is submitted and locked. The secretariat can reopen it.")


def check_values(definition: Definition, response: Response, values: dict[str, object],
                 lang: str = "en") -> dict[str, str]:
    """{question_id: message} for unknown questions and changed values that are not valid."""
    questions = definition.question_map
    errors = {qid: UNKNOWN_QUESTION for qid in values if qid not in questions}
    if errors:
        return errors
    current = answer_values(response)
    merged = {**current, **{k: clean(v) for k, v in values.items()}}
    merged = {k: v for k, v in merged.items() if v is not None}
    _, relevant = relevance(definition, merged)
    effective = effective_answers(definition, merged)
    for qid, value in values.items():
        value = clean(value)
        if value is None or same_value(value, current.get(qid)):
            continue
        q = questions[qid]
        message = shape_error(q, value, lang)
        if message is None and relevant.get(qid):
            message = filter_error(q, value, effective) or constraint_error(q, value, effective, lang)
        if message:
            errors[qid] = message
    return errors


def save_answers(session: Session, response: Response, actor, values: dict[str, object], *,
                 base_revisions: dict[str, int] | None = None, expected_version: int | None = None,
                 via: str = "page", lang: str = "en") -> SaveResult:
    """Save changed answers. Raises Locked, StaleVersion (API: whole-response version) or
    InvalidAnswers (nothing saved); otherwise applies what it can and reports conflicts."""
    lock(session, response)
    ensure_editable(response)
    if expected_version is not None and expected_version != response.version:
        raise StaleVersion("Someone saved this response since you read it: read it again, then save.")
    definition = definition_for(response)
    errors = check_values(definition, response, values, lang)
    if errors:
        raise InvalidAnswers(errors)
    existing = answers_by_question(response)
    result = SaveResult()
    now = utcnow()
    for qid, raw in values.items():
        new = clean(raw)
        answer = existing.get(qid)
        current = answer.value if answer else None
        current_rev = answer.revision if answer else 0
        if same_value(new, current):
            continue
        base = current_rev if base_revisions is None else base_revisions.get(qid, current_rev)
        if base != current_rev:
            if same_value(new, value_at(session, response, qid, base)):
                continue  # this page did not touch it; the colleague's value stays
            result.conflicts.append(Conflict(qid, current, new, answer.updated_by if answer else None,
                                             answer.updated_at if answer else None, current_rev))
            continue
        if answer is None:
            answer = Answer(response=response, question_id=qid, value=new, revision=1,
                            updated_by_id=getattr(actor, "id", None), updated_at=now)
            session.add(answer)
        else:
            answer.value = new
            answer.prefilled_from_id = None  # the respondent's own answer now, no longer a carried-over one
            answer.confirmed = True
            answer.revision = current_rev + 1
            answer.updated_by_id = getattr(actor, "id", None)
            answer.updated_at = now
        session.add(AnswerHistory(response_id=response.id, question_id=qid, revision=answer.revision,
                                  old_value=current, new_value=new, changed_by_id=getattr(actor, "id", None),
                                  changed_at=now, via=via))
        result.changed.append(qid)
    if result.changed:
        response.updated_at = now
        if response.status == ResponseStatus.NOT_STARTED:
            response.status = ResponseStatus.DRAFT
        session.flush()
    return result


def events(response: Response) -> list[ResponseEvent]:
    """The response's history, oldest first."""
    from sqlalchemy.orm import object_session

    session = object_session(response)
    if session is None:
        return []
    return list(session.scalars(select(ResponseEvent).where(ResponseEvent.response_id == response.id)
                                .order_by(ResponseEvent.id)))


def record_event(session: Session, response: Response, event: str, actor, comment: str = "") -> None:
    """One line of the response's history (questionnaire_response_events)."""
    session.add(ResponseEvent(response_id=response.id, event=event, comment=comment,
                              actor_id=getattr(actor, "id", None), at=utcnow()))


def submit(session: Session, response: Response, actor, lang: str = "en", share_free_text: bool = False
           ) -> list[Problem]:
    """Lock the response if it is complete; otherwise the problems to fix (nothing changes).
    `share_free_text`: the country agrees that other countries read its own words in the reports.

    In a round that requires national clearance only the Head of SPOC submits (services.clearance)."""
    lock(session, response)
    ensure_editable(response)
    if response.round.requires_clearance:
        raise QuestionnaireError("In this round the Head of SPOC submits the response: send it for approval.")
    from questionnaires.services.prefill import unconfirmed

    problems = problems_for_submit(definition_for(response), answer_values(response), lang, unconfirmed(response))
    if problems:
        return problems
    record_event(session, response, "submitted", actor)
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = utcnow()
    response.submitted_by_id = getattr(actor, "id", None)
    response.updated_at = response.submitted_at
    response.share_free_text = bool(share_free_text)
    audit.record(session, actor=actor, area="questionnaires", action=audit.AuditAction.ALTERATION,
                 object_type="questionnaire_response", object_id=str(response.id),
                 country_code=response.country_code,
                 details={"event": "submitted", "round_id": response.round_id,
                          "share_free_text": response.share_free_text})
    session.flush()
    return []


def reopen(session: Session, response: Response, actor, reason: str) -> None:
    """The secretariat unlocks a submitted response; the reason is kept and audit-logged."""
    reason = (reason or "").strip()
    lock(session, response)
    if not reason:
        raise QuestionnaireError("Give the reason for reopening; the respondents will read it.", "reason")
    # the response's or the round's state, not the reason: no field (the page shows no reopen form then)
    if response.status != ResponseStatus.SUBMITTED:
        raise QuestionnaireError("Only a submitted response can be reopened.")
    if not response.round.is_open:
        raise QuestionnaireError("The round is closed; reopen the round first.")
    record_event(session, response, "reopened", actor, reason)
    response.status = ResponseStatus.REOPENED
    response.reopened_at = utcnow()
    response.reopened_by_id = getattr(actor, "id", None)
    response.reopen_reason = reason
    response.updated_at = response.reopened_at
    audit.record(session, actor=actor, area="questionnaires", action=audit.AuditAction.ALTERATION,
                 object_type="questionnaire_response", object_id=str(response.id),
                 country_code=response.country_code, justification=reason,
                 details={"event": "reopened", "round_id": response.round_id})
    session.flush()


def file_ids(session: Session, response: Response) -> set[int]:
    """Every stored file this response refers to, now or in its history (who may see the response
    may download them; nobody else)."""
    found: set[int] = set()
    values = [a.value for a in response.answers]
    values += list(session.scalars(select(AnswerHistory.new_value).where(AnswerHistory.response_id == response.id)))
    for value in values:
        if isinstance(value, dict) and isinstance(value.get("file_id"), int):
            found.add(value["file_id"])
    return found


def progress(response: Response) -> tuple[int, int]:
    """(answered, relevant) for this response."""
    from questionnaires.services.validation import answered_share

    return answered_share(definition_for(response), answer_values(response))
