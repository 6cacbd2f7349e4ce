"""National clearance: in a round that requires it, respondents send the response to their Head of SPOC, who
submits it to the secretariat or sends it back with a comment. Every step is in the response's history
(questionnaire_response_events) and the audit log; the views mail the people concerned.

    problems = send_for_approval(session, response, respondent)   # [] → status for_approval (locked)
    approve(session, response, head)                              # → submitted, by the Head of SPOC
    send_back(session, response, head, "Section 3 is out of date") # → draft, the comment shown to respondents
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit, policy
from portal.accounts.models import User
from portal.db import utcnow
from questionnaires.models import Response, ResponseStatus
from questionnaires.services import QuestionnaireError
from questionnaires.services.prefill import unconfirmed
from questionnaires.services.responses import (
    answer_values,
    definition_for,
    ensure_editable,
    lock,
    record_event,
)
from questionnaires.services.validation import Problem, problems_for_submit

MAX_COMMENT = 2000


def heads_of_spoc(session: Session, country_code: str) -> list[User]:
    return list(session.scalars(select(User).where(policy.heads_of_spoc_of(country_code)).order_by(User.email)))


def _audit(session: Session, response: Response, actor, event: str, comment: str = "") -> None:
    audit.record(session, actor=actor, area="questionnaires", action=audit.AuditAction.ALTERATION,
                 object_type="questionnaire_response", object_id=str(response.id),
                 country_code=response.country_code, justification=comment,
                 details={"event": event, "round_id": response.round_id})


def send_for_approval(session: Session, response: Response, actor, lang: str = "en") -> list[Problem]:
    """A complete response goes to the Head of SPOC and is locked; otherwise the problems (nothing changes)."""
    lock(session, response)
    ensure_editable(response)
    if not response.round.requires_clearance:
        raise QuestionnaireError("This round does not ask for the Head of SPOC's approval: submit the response.")
    problems = problems_for_submit(definition_for(response), answer_values(response), lang, unconfirmed(response))
    if problems:
        return problems
    response.status = ResponseStatus.FOR_APPROVAL
    response.clearance_comment = ""
    response.updated_at = utcnow()
    record_event(session, response, "sent_for_approval", actor)
    _audit(session, response, actor, "sent_for_approval")
    session.flush()
    return []


def _awaiting(session: Session, response: Response) -> None:
    lock(session, response)
    if not response.round.is_open:
        raise QuestionnaireError("The round is closed.")
    if response.status != ResponseStatus.FOR_APPROVAL:
        raise QuestionnaireError("This response is not waiting for approval.")


def approve(session: Session, response: Response, actor, share_free_text: bool = False) -> None:
    """The Head of SPOC submits the response to the secretariat (`share_free_text`: the country agrees that
    other countries read its own words in the reports)."""
    _awaiting(session, response)
    now = utcnow()
    response.share_free_text = bool(share_free_text)
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = now
    response.submitted_by_id = getattr(actor, "id", None)
    response.updated_at = now
    record_event(session, response, "approved", actor)
    _audit(session, response, actor, "approved_and_submitted")
    session.flush()


def send_back(session: Session, response: Response, actor, comment: str) -> None:
    """The Head of SPOC returns the response to the respondents, saying what to change."""
    comment = (comment or "").strip()
    if not comment:
        raise QuestionnaireError("Say what should change; the respondents will read it.", "comment")
    if len(comment) > MAX_COMMENT:
        raise QuestionnaireError("At most %(limit)s characters.", "comment", limit=MAX_COMMENT)
    _awaiting(session, response)
    response.status = ResponseStatus.DRAFT
    response.clearance_comment = comment
    response.updated_at = utcnow()
    record_event(session, response, "sent_back", actor, comment)
    _audit(session, response, actor, "sent_back", comment)
    session.flush()
