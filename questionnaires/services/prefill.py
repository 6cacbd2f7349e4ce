"""Prefill: a new round starts each country's draft from its last submitted answers to the same questions.

Each carried-over answer keeps where it came from (`Answer.prefilled_from_id`, the earlier response) and is
unconfirmed until a respondent confirms it (still true) or changes it; a submission lists the unconfirmed
ones as problems, and the report's change table counts the confirmed ones.

    prefill_round(session, round_, actor)            # called by rounds.open_round(..., prefill=True)
    confirm(session, response, actor, ["staff"])     # → the ids confirmed
    unconfirmed(response)                            # {question_id: year of the answer it came from}
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.db import utcnow
from questionnaires.models import Answer, AnswerHistory, QuestionnaireVersion, Response, ResponseStatus, Round
from questionnaires.question_types import question_type
from questionnaires.services.responses import definition_for, ensure_editable, lock, record_event
from questionnaires.services.validation import is_empty, shape_error
from questionnaires.services.versions import definition_of


def last_submitted(session: Session, round_: Round, country_code: str) -> Response | None:
    """The country's most recently submitted response to the same questionnaire in an earlier round."""
    return session.scalar(
        select(Response).join(Round, Response.round_id == Round.id)
        .join(QuestionnaireVersion, Round.version_id == QuestionnaireVersion.id)
        .where(QuestionnaireVersion.questionnaire_id == round_.version.questionnaire_id,
               Response.country_code == country_code, Response.round_id != round_.id,
               Response.status == ResponseStatus.SUBMITTED, Round.opened_at <= round_.opened_at)
        .order_by(Response.submitted_at.desc(), Response.id.desc()).limit(1))


def prefill_round(session: Session, round_: Round, actor) -> dict[str, int]:
    """Copy into each not-started response the last submitted answers to questions of the same id and type
    (and still valid for the new version's question). {country: answers copied}."""
    definition = definition_of(round_.version)
    questions = definition.question_map
    copied: dict[str, int] = {}
    now = utcnow()
    for response in session.scalars(select(Response).where(Response.round_id == round_.id)):
        if response.status != ResponseStatus.NOT_STARTED:
            continue
        source = last_submitted(session, round_, response.country_code)
        if source is None:
            continue
        old_questions = definition_of(source.round.version).question_map
        count = 0
        for old in source.answers:
            q = questions.get(old.question_id)
            was = old_questions.get(old.question_id)
            if (q is None or was is None or q.type != was.type or not question_type(q).carried_over
                    or is_empty(old.value) or shape_error(q, old.value) is not None):
                continue
            session.add(Answer(response=response, question_id=q.id, value=old.value, revision=1,
                               updated_by_id=None, updated_at=now, prefilled_from_id=source.id, confirmed=False))
            session.add(AnswerHistory(response_id=response.id, question_id=q.id, revision=1, old_value=None,
                                      new_value=old.value, changed_by_id=getattr(actor, "id", None),
                                      changed_at=now, via="prefill"))
            count += 1
        if count:
            response.status = ResponseStatus.DRAFT
            response.updated_at = now
            record_event(session, response, "prefilled", actor,
                         f"{count} answers from {source.round.title}")
            copied[response.country_code] = count
    round_.prefilled = True
    session.flush()
    return copied


def unconfirmed(response: Response) -> dict[str, int]:
    """{question_id: year of the submission it came from} of the carried-over answers not yet confirmed."""
    out = {}
    for a in response.answers:
        if a.unconfirmed_prefill and a.value is not None:
            source = a.prefilled_from
            moment = source.submitted_at or source.updated_at
            out[a.question_id] = moment.year
    return out


def confirm(session: Session, response: Response, actor, question_ids: list[str]) -> list[str]:
    """Mark these carried-over answers as confirmed by a respondent; the ids that were confirmed now."""
    wanted = set(question_ids)
    if not wanted:
        return []
    lock(session, response)
    ensure_editable(response)
    done = []
    for a in response.answers:
        if a.question_id in wanted and a.unconfirmed_prefill:
            a.confirmed = True
            done.append(a.question_id)
    if done:
        definition = definition_for(response)
        labels = [q.id for q in definition.questions if q.id in done]
        record_event(session, response, "confirmed", actor, ", ".join(labels))
        response.updated_at = utcnow()
        session.flush()
    return done
