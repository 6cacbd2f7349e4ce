"""The rules of funding: budgets, cost lines, totals (no Flask; see the package docstring)."""


from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.errors import RuleError
from portal.funding.models import Budget, CostCategory, CostKind, CostLine

ZERO = Decimal("0.00")


class FundingError(RuleError):
    """A rule refused the input; `field` names the form field (or API field) it is about."""

# subject_type -> fn(session, subject_id) -> (label, url path or "")
FUNDING_SUBJECTS: dict[str, Callable[[Session, int], tuple[str, str]]] = {}


def register_funding_subject(subject_type: str, describe: Callable[[Session, int], tuple[str, str]]) -> None:
    FUNDING_SUBJECTS[subject_type] = describe


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
                    "Enter the ISF co-financing rate as a percentage between 0 and 100.")
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
    if category not in {c.value for c in CostCategory}:
        raise FundingError("Choose travel, venue, interpretation or other.", "category")
    if kind not in {k.value for k in CostKind}:
        raise FundingError("Choose planned or actual.", "kind")
    value = _decimal(amount, "amount", "Enter an amount in euros, e.g. 1250.00.")
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


def totals(budget: Budget | None) -> dict:
    """Planned and actual per category, the totals, and the ISF share of the actual costs."""
    rows = {c.value: {"planned": ZERO, "actual": ZERO} for c in CostCategory}
    for line in budget.lines if budget else []:
        rows[line.category][line.kind] += line.amount
    planned = sum((r["planned"] for r in rows.values()), ZERO)
    actual = sum((r["actual"] for r in rows.values()), ZERO)
    rate = budget.isf_rate if budget else ZERO
    isf = (actual * rate / Decimal(100)).quantize(Decimal("0.01"))
    return {"categories": rows, "planned": planned, "actual": actual, "isf_rate": rate, "isf_share": isf,
            "national_share": actual - isf, "funding_source": budget.funding_source if budget else ""}


def year_totals(session: Session, year: int) -> dict:
    """Every funded activity of a year with its totals, and the year's totals per category."""
    budgets = list(session.scalars(select(Budget).where(Budget.year == year)
                                   .order_by(Budget.subject_type, Budget.subject_id)))
    rows, by_category = [], {c.value: {"planned": ZERO, "actual": ZERO} for c in CostCategory}
    grand = {"planned": ZERO, "actual": ZERO, "isf_share": ZERO}
    for budget in budgets:
        t = totals(budget)
        describe = FUNDING_SUBJECTS.get(budget.subject_type)
        label, url = describe(session, budget.subject_id) if describe else (
            f"{budget.subject_type} {budget.subject_id}", "")
        rows.append({"subject_type": budget.subject_type, "label": label, "url": url, **t})
        for cat, vals in t["categories"].items():
            by_category[cat]["planned"] += vals["planned"]
            by_category[cat]["actual"] += vals["actual"]
        for key in grand:
            grand[key] += t[key]
    return {"year": year, "rows": rows, "categories": by_category, **grand}


def budget_years(session: Session) -> list[int]:
    return sorted(set(session.scalars(select(Budget.year))), reverse=True)


def euros(value: Decimal) -> str:
    return f"€ {value:,.2f}".replace(",", " ")
