"""Funding: planned and actual costs by category, ISF co-financing, totals per year; reusable by any activity."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from portal.meetings.models import Budget, Meeting
from portal.meetings.services import funding


def test_meeting_funding_page_totals_and_isf_share(login_as, make_meeting, db):
    mid = make_meeting()
    client, _ = login_as("secretariat")
    client.post_form(f"/meetings/{mid}/funding", {"action": "funding", "funding_source": "ISF Police",
                                                  "isf_rate": "75"})
    for cat, kind, amount in (("venue", "planned", "1000"), ("venue", "actual", "900.50"),
                              ("travel", "actual", "99.50"), ("interpretation", "planned", "500")):
        r = client.post_form(f"/meetings/{mid}/funding", {"action": "cost", "category": cat, "kind": kind,
                                                          "amount": amount, "description": ""})
        assert r.status_code == 302
    page = client.get(f"/meetings/{mid}/funding").get_data(as_text=True)
    assert "€ 1 500.00" in page and "€ 1 000.00" in page and "€ 750.00" in page  # planned, actual, ISF 75%
    r = client.post_form(f"/meetings/{mid}/funding", {"action": "cost", "category": "venue", "kind": "actual",
                                                      "amount": "lots"})
    assert r.status_code == 422 and 'id="amount-error"' in r.get_data(as_text=True)
    r = client.post_form(f"/meetings/{mid}/funding", {"action": "funding", "isf_rate": "120"})
    assert r.status_code == 422 and 'id="isf_rate-error"' in r.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(Budget)).isf_rate == Decimal("75.00")
    year = db.get(Meeting, mid).starts_at.year
    page = client.get(f"/meetings/funding?year={year}").get_data(as_text=True)
    assert "Heads of SPOC meeting" in page and "€ 750.00" in page


def test_budget_is_generic_for_other_activities(app, db, secretariat):
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


def test_heads_cannot_see_funding(login_as, make_meeting):
    mid = make_meeting(countries=["BE"], send=True)
    client, _ = login_as("head_of_spoc", "BE")
    assert client.get(f"/meetings/{mid}/funding").status_code == 404
    assert client.get("/meetings/funding").status_code == 404
