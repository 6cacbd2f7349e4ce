"""Totals of a budget and of a year, and how each domain names the subjects it funds."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.funding.models import Budget, CostCategory, CostLine
from portal.funding.services import ZERO

# subject_type -> fn(session, subject_id) -> (label, url path or "")
FUNDING_SUBJECTS: dict[str, Callable[[Session, int], tuple[str, str]]] = {}


def register_funding_subject(subject_type: str, describe: Callable[[Session, int], tuple[str, str]]) -> None:
    FUNDING_SUBJECTS[subject_type] = describe


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


def budget_record(session: Session, budget: Budget) -> dict:
    """A budget as the API gives it: its subject (named by its domain), totals and cost lines."""
    describe = FUNDING_SUBJECTS.get(budget.subject_type)
    label, url = describe(session, budget.subject_id) if describe else (
        f"{budget.subject_type} {budget.subject_id}", "")
    lines = [{"id": line.id, "category": line.category, "kind": line.kind, "amount": line.amount,
              "description": line.description} for line in budget.lines]
    return {"subject_type": budget.subject_type, "subject_id": budget.subject_id, "label": label, "url": url,
            "year": budget.year, **totals(budget), "lines": lines}


def year_spending(session: Session, year: int) -> dict:
    """The year's planned and actual costs and how many activities have a budget, in one query each
    (the secretariat's dashboard card; `year_totals` reads every budget with its lines)."""
    sums = dict(session.execute(select(CostLine.kind, func.coalesce(func.sum(CostLine.amount), 0))
                                .join(Budget, Budget.id == CostLine.budget_id)
                                .where(Budget.year == year).group_by(CostLine.kind)).all())
    count = session.scalar(select(func.count()).select_from(Budget).where(Budget.year == year)) or 0
    return {"year": year, "activities": count, "planned": Decimal(sums.get("planned", 0)).quantize(Decimal("0.01")),
            "actual": Decimal(sums.get("actual", 0)).quantize(Decimal("0.01"))}
