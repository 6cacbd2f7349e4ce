"""Funding of training activities: the funding package's budgets (portal/funding), keyed by subject type and id."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.funding import services as funding
from portal.funding.models import CostLine
from portal.training.models import Activity
from portal.training.services import TrainingError

SUBJECT = "training_activity"


def _describe(session: Session, subject_id: int) -> tuple[str, str]:
    activity = session.get(Activity, subject_id)
    return ((f"Training: {activity.title}", f"/training/activities/{subject_id}#funding") if activity
            else (f"training activity {subject_id}", ""))


def register() -> None:
    funding.register_funding_subject(SUBJECT, _describe)


def budget_for(session: Session, activity: Activity):
    return funding.budget_for(session, SUBJECT, activity.id)


def totals(session: Session, activity: Activity) -> dict:
    return funding.totals(funding.budget_for(session, SUBJECT, activity.id))


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except funding.FundingError as exc:
        raise TrainingError(exc.message, exc.field, **exc.params) from None


def set_funding(session: Session, actor, activity: Activity, *, funding_source: str, isf_rate):
    budget = funding.ensure_budget(session, SUBJECT, activity.id, activity.start_date.year)
    return _call(funding.set_funding, session, budget, actor, funding_source=funding_source, isf_rate=isf_rate)


def add_cost(session: Session, actor, activity: Activity, *, category: str, kind: str, amount, description: str = ""):
    budget = funding.ensure_budget(session, SUBJECT, activity.id, activity.start_date.year)
    return _call(funding.add_cost, session, budget, actor, category=category, kind=kind, amount=amount,
                 description=description)


def remove_cost(session: Session, actor, activity: Activity, line_id: int) -> bool:
    line = session.get(CostLine, line_id)
    if line is None or line.budget.subject_type != SUBJECT or line.budget.subject_id != activity.id:
        return False
    funding.remove_cost(session, line, actor)
    return True


def euros(value) -> str:
    return funding.euros(value)
