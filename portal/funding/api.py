"""Funding in the JSON API: a funded activity's budget with its cost lines, and a year's totals, as the
funding pages show them to the secretariat (policy.can_manage_funding; anyone else gets 404)."""

from __future__ import annotations

from decimal import Decimal

from flask import jsonify
from pydantic import BaseModel, Field

from portal import policy
from portal.api import APIError, current_api_user, endpoint, query_int
from portal.db import get_session, utcnow
from portal.funding import services


class Amounts(BaseModel):
    planned: Decimal
    actual: Decimal


class CostLineOut(BaseModel):
    id: int
    category: str = Field(description="travel, venue, interpretation or other")
    kind: str = Field(description="planned or actual")
    amount: Decimal = Field(description="EUR, two decimals (a string in JSON)")
    description: str


class BudgetTotals(BaseModel):
    subject_type: str = Field(description="the kind of activity funded: meeting, training_activity, ...")
    label: str = Field(description="the activity, as its domain names it")
    url: str = Field(description="its page in the portal ('' when it has none)")
    funding_source: str
    isf_rate: Decimal = Field(description="ISF co-financing rate, percent")
    planned: Decimal
    actual: Decimal
    isf_share: Decimal = Field(description="the part of the actual costs co-financed by the ISF")
    national_share: Decimal
    categories: dict[str, Amounts]


class BudgetOut(BudgetTotals):
    subject_id: int
    year: int
    lines: list[CostLineOut]


class YearTotals(BaseModel):
    year: int
    planned: Decimal
    actual: Decimal
    isf_share: Decimal
    categories: dict[str, Amounts]
    rows: list[BudgetTotals] = Field(description="every funded activity of the year")


def _ensure_funding_reader():
    if not policy.can_manage_funding(current_api_user()):
        raise APIError(404, "not_found", "Nothing here for this user.")


@endpoint("/funding/budgets/<subject_type>/<int:subject_id>", summary="The budget of one funded activity (e.g. "
          "meeting/12, training_activity/3): funding source, ISF rate, totals and cost lines", tag="funding",
          response=BudgetOut, statuses=(404,))
def funding_budget(subject_type: str, subject_id: int):
    _ensure_funding_reader()
    session = get_session()
    budget = services.budget_for(session, subject_type, subject_id)
    if budget is None:
        raise APIError(404, "not_found", "This activity has no budget.")
    return jsonify(BudgetOut(**services.budget_record(session, budget)).model_dump(mode="json"))


@endpoint("/funding/totals", summary="A year's funded activities with their totals, and the year's totals per "
          "category", tag="funding", response=YearTotals, statuses=(404, 422), params=[
              {"name": "year", "in": "query", "required": False, "description": "the year (default: this year)",
               "schema": {"type": "integer"}}])
def funding_totals():
    _ensure_funding_reader()
    year = query_int("year", utcnow().year, 2000, 2100)
    return jsonify(YearTotals(**services.year_totals(get_session(), year)).model_dump(mode="json"))
