"""A budget of a funded subject, its funding source and ISF rate, and its cost lines."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.enums import N_
from portal.funding.models import Budget, CostCategory, CostKind, CostLine
from portal.funding.services import ZERO, FundingError


def budget_for(session: Session, subject_type: str, subject_id: int) -> Budget | None:
    return session.scalar(select(Budget).where(Budget.subject_type == subject_type,
                                               Budget.subject_id == subject_id))


def ensure_budget(session: Session, subject_type: str, subject_id: int, year: int) -> Budget:
    budget = budget_for(session, subject_type, subject_id)
    if budget is None:
        budget = Budget(subject_type=subject_type, subject_id=subject_id, year=year, isf_rate=ZERO)
        session.add(budget)
        session.flush()
    elif budget.year != year:
        budget.year = year  # the activity moved to another year
    return budget


def _decimal(value, field: str, message: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise FundingError(message, field) from None
    if not number.is_finite():
        raise FundingError(message, field)
    return number


def set_funding(session: Session, budget: Budget, actor, *, funding_source: str, isf_rate) -> Budget:
    rate = _decimal(isf_rate if isf_rate not in (None, "") else "0", "isf_rate",
                    N_("Enter the ISF co-financing rate as a percentage between 0 and 100."))
    if not ZERO <= rate <= Decimal(100):
        raise FundingError("Enter the ISF co-financing rate as a percentage between 0 and 100.", "isf_rate")
    budget.funding_source = (funding_source or "").strip()
    budget.isf_rate = rate.quantize(Decimal("0.01"))
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN, object_type="budget",
                 object_id=f"{budget.subject_type}:{budget.subject_id}",
                 details={"funding_source": budget.funding_source, "isf_rate": str(budget.isf_rate)})
    return budget


def add_cost(session: Session, budget: Budget, actor, *, category: str, kind: str, amount,
             description: str = "") -> CostLine:
    if CostCategory.of(category) is None:
        raise FundingError("Choose travel, venue, interpretation or other.", "category")
    if CostKind.of(kind) is None:
        raise FundingError("Choose planned or actual.", "kind")
    value = _decimal(amount, "amount", N_("Enter an amount in euros, e.g. 1250.00."))
    if value < 0 or value >= Decimal("10000000000"):
        raise FundingError("Enter an amount in euros, e.g. 1250.00.", "amount")
    line = CostLine(budget=budget, category=category, kind=kind, amount=value.quantize(Decimal("0.01")),
                    description=(description or "").strip())
    session.add(line)
    session.flush()
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN, object_type="budget",
                 object_id=f"{budget.subject_type}:{budget.subject_id}",
                 details={"event": "cost_added", "category": category, "kind": kind, "amount": str(line.amount)})
    return line


def remove_cost(session: Session, line: CostLine, actor) -> None:
    budget = line.budget
    budget.lines.remove(line)
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN, object_type="budget",
                 object_id=f"{budget.subject_type}:{budget.subject_id}",
                 details={"event": "cost_removed", "amount": str(line.amount)})
    session.flush()
