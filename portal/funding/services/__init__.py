"""The rules of funding, one module per concern (no Flask; see the package docstring): budgets (a
budget, its funding and its cost lines) and totals (per budget and per year, and how subjects are named)."""

from __future__ import annotations

from decimal import Decimal

from portal.errors import RuleError

ZERO = Decimal("0.00")


class FundingError(RuleError):
    """A rule refused the input; `field` names the form field (or API field) it is about."""


from portal.funding.services.budgets import (  # noqa: E402
    add_cost,
    budget_for,
    ensure_budget,
    remove_cost,
    set_funding,
)
from portal.funding.services.totals import (  # noqa: E402
    FUNDING_SUBJECTS,
    budget_record,
    budget_years,
    euros,
    register_funding_subject,
    totals,
    year_spending,
    year_totals,
)

__all__ = ["FUNDING_SUBJECTS", "ZERO", "FundingError", "add_cost", "budget_for", "budget_years", "ensure_budget",
           "budget_record", "euros", "register_funding_subject", "remove_cost", "set_funding", "totals",
           "year_spending", "year_totals"]
