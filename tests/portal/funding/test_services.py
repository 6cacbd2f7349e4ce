"""Funding: planned and actual costs by category, ISF co-financing, totals per year; reusable by any activity."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portal.funding import services as funding


def test_budget_is_generic_for_other_activities(app, db):
    # a subject type of this test only: the registry is process-wide
    funding.register_funding_subject("test_activity", lambda s, i: (f"Training {i}", ""))
    database = app.extensions["spoc_db"]
    try:
        with database.unit_of_work() as s:
            budget = funding.ensure_budget(s, "test_activity", 7, 2027)
            funding.set_funding(s, budget, None, funding_source="CEPOL", isf_rate="90")
            funding.add_cost(s, budget, None, category="travel", kind="actual", amount="1000")
        summary = funding.year_totals(db, 2027)
    finally:
        funding.FUNDING_SUBJECTS.pop("test_activity")
    assert [(r["label"], r["actual"], r["isf_share"]) for r in summary["rows"]] == [
        ("Training 7", Decimal("1000.00"), Decimal("900.00"))]
    assert summary["categories"]["travel"]["actual"] == Decimal("1000.00")


def test_bad_amounts_and_rates_name_their_field_and_change_nothing(app, db):
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        budget = funding.ensure_budget(s, "test_activity", 8, 2027)
        for kwargs, field in (({"category": "travel", "kind": "actual", "amount": "lots"}, "amount"),
                              ({"category": "travel", "kind": "actual", "amount": "-1"}, "amount"),
                              ({"category": "food", "kind": "actual", "amount": "1"}, "category"),
                              ({"category": "travel", "kind": "maybe", "amount": "1"}, "kind")):
            with pytest.raises(funding.FundingError) as refused:
                funding.add_cost(s, budget, None, **kwargs)
            assert refused.value.field == field
        with pytest.raises(funding.FundingError) as refused:
            funding.set_funding(s, budget, None, funding_source="ISF", isf_rate="120")
        assert refused.value.field == "isf_rate"
    assert funding.totals(funding.budget_for(db, "test_activity", 8))["planned"] == Decimal("0.00")
    assert funding.budget_for(db, "test_activity", 8).lines == []
