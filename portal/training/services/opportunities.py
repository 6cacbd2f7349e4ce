"""Training opportunities: proposed by a Head of SPOC or the core group, assessed and decided by the core group."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from portal import audit, policy
from portal.audit import AuditAction
from portal.db import utcnow
from portal.training.models import (
    Opportunity,
    OpportunityEvent,
    OpportunityStatus,
    ProposerKind,
    TrainingTopic,
)
from portal.training.services import TrainingError

DECISIONS = (OpportunityStatus.APPROVED, OpportunityStatus.REJECTED, OpportunityStatus.PARKED)


def _event(opp: Opportunity, actor, to_status: OpportunityStatus, note: str = "",
           from_status: OpportunityStatus | None = None) -> None:
    opp.events.append(OpportunityEvent(actor_id=actor.id, actor_name=actor.name or actor.email,
                                       from_status=from_status, to_status=to_status, note=note))


def _cost(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        cost = Decimal(str(value))
    except InvalidOperation:
        raise TrainingError("Give the cost as a number of euros, e.g. 12500.", "estimated_cost") from None
    if cost < 0 or cost > Decimal("100000000"):
        raise TrainingError("The cost must be between 0 and 100 000 000 euros.", "estimated_cost")
    return cost.quantize(Decimal("0.01"))


@dataclass
class OpportunityInput:
    title: str
    description: str = ""
    topic_id: int | None = None
    target_audience: str = ""
    estimated_cost: object = None


def propose(session: Session, actor, data: OpportunityInput) -> Opportunity:
    title = (data.title or "").strip()
    if not title:
        raise TrainingError("Give the opportunity a title.", "title")
    topic = None
    if data.topic_id:
        topic = session.get(TrainingTopic, int(data.topic_id))
        if topic is None:
            raise TrainingError("Choose a topic from the list.", "topic_id")
    kind = ProposerKind(policy.proposes_as(actor))
    opp = Opportunity(title=title[:200], description=(data.description or "").strip(), topic=topic,
                      proposer_kind=kind, proposed_by_id=actor.id,
                      country_code=actor.country_code if kind is ProposerKind.COUNTRY else None,
                      target_audience=(data.target_audience or "").strip(), estimated_cost=_cost(data.estimated_cost),
                      status=OpportunityStatus.PROPOSED)
    _event(opp, actor, OpportunityStatus.PROPOSED, "Proposed.")
    session.add(opp)
    session.flush()
    audit.record(session, actor=actor, area="training", action=AuditAction.COLLECTION, object_type="training_opportunity",
                 object_id=opp.id, country_code=opp.country_code, details={"event": "proposed"})
    return opp


@dataclass
class Assessment:
    relevance: int | None
    target_audience: str
    estimated_cost: object
    assessment: str
    decision: str  # approved | rejected | parked


def assess(session: Session, actor, opp: Opportunity, data: Assessment) -> Opportunity:
    """Record the core group's assessment and decision; every decision is kept in the history."""
    if opp.activity is not None:
        raise TrainingError("This opportunity has become an activity; it can no longer be re-assessed.", "decision")
    if data.relevance is None or not 1 <= int(data.relevance) <= 5:
        raise TrainingError("Rate the relevance from 1 (low) to 5 (essential).", "relevance")
    if data.decision not in DECISIONS:
        raise TrainingError("Choose approve, reject or park.", "decision")
    text = (data.assessment or "").strip()
    if len(text) < 10:
        raise TrainingError("Write the assessment (at least a sentence): it is the record of the decision.",
                            "assessment")
    before = opp.status
    opp.relevance = int(data.relevance)
    opp.target_audience = (data.target_audience or "").strip()
    opp.estimated_cost = _cost(data.estimated_cost)
    opp.assessment = text
    opp.status = OpportunityStatus(data.decision)
    opp.decided_at = utcnow()
    _event(opp, actor, opp.status, text, from_status=before)
    audit.record(session, actor=actor, area="training", action=AuditAction.ALTERATION,
                 object_type="training_opportunity", object_id=opp.id, country_code=opp.country_code,
                 details={"event": "assessed", "from": before, "to": data.decision, "relevance": opp.relevance})
    return opp


def record_conversion(session: Session, actor, opp: Opportunity, activity_id: int) -> None:
    _event(opp, actor, opp.status, f"Turned into training activity #{activity_id}.", from_status=opp.status)
