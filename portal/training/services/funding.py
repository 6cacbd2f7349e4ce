"""Funding of training activities through the meetings domain's budgets (keyed by subject type and id)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.training.models import Activity
from portal.training.services import TrainingError

SUBJECT = "training_activity"


def available() -> bool:
    """The meetings funding service is installed (it is the one place budgets are kept)."""
    try:
        from portal.meetings.services import funding  # noqa: F401
    except ImportError:
        return False
    return True


def _describe(session: Session, subject_id: int) -> tuple[str, str]:
    activity = session.get(Activity, subject_id)
    return ((f"Training: {activity.title}", f"/training/activities/{subject_id}#funding") if activity
            else (f"training activity {subject_id}", ""))


def register() -> None:
    if available():
        from portal.meetings.services import funding

        funding.register_funding_subject(SUBJECT, _describe)


def budget_for(session: Session, activity: Activity):
    if not available():
        return None
    from portal.meetings.services import funding

    return funding.budget_for(session, SUBJECT, activity.id)


def totals(session: Session, activity: Activity) -> dict | None:
    if not available():
        return None
    from portal.meetings.services import funding

    return funding.totals(funding.budget_for(session, SUBJECT, activity.id))


def _call(fn, *args, **kwargs):
    from portal.meetings.services import MeetingError

    try:
        return fn(*args, **kwargs)
    except MeetingError as exc:
        raise TrainingError(str(exc), exc.field) from None


def set_funding(session: Session, actor, activity: Activity, *, funding_source: str, isf_rate):
    from portal.meetings.services import funding

    budget = funding.ensure_budget(session, SUBJECT, activity.id, activity.start_date.year)
    return _call(funding.set_funding, session, budget, actor, funding_source=funding_source, isf_rate=isf_rate)


def add_cost(session: Session, actor, activity: Activity, *, category: str, kind: str, amount, description: str = ""):
    from portal.meetings.services import funding

    budget = funding.ensure_budget(session, SUBJECT, activity.id, activity.start_date.year)
    return _call(funding.add_cost, session, budget, actor, category=category, kind=kind, amount=amount,
                 description=description)


def remove_cost(session: Session, actor, activity: Activity, line_id: int) -> bool:
    from portal.meetings.models import CostLine
    from portal.meetings.services import funding

    line = session.get(CostLine, line_id)
    if line is None or line.budget.subject_type != SUBJECT or line.budget.subject_id != activity.id:
        return False
    funding.remove_cost(session, line, actor)
    return True


def euros(value) -> str:
    from portal.meetings.services import funding

    return funding.euros(value)
