"""Funding of a training activity through the funding package's budgets."""

from __future__ import annotations

from portal.funding import services as funding_service


def test_cost_lines_per_activity(login_as, make_activity, db):
    from portal.training.services import funding

    funding.register()  # the registry is process-wide; another domain's test may have replaced the describer
    activity = make_activity(title="SIENA basics")
    sec, _ = login_as("secretariat")
    r = sec.post_form(f"/training/activities/{activity}/funding", {"action": "funding", "funding_source": "ISF Police",
                                                                  "isf_rate": "75"})
    assert r.status_code == 302
    sec.post_form(f"/training/activities/{activity}/funding", {"action": "cost", "category": "venue", "kind": "planned",
                                                               "amount": "1200", "description": "Room"})
    sec.post_form(f"/training/activities/{activity}/funding", {"action": "cost", "category": "venue", "kind": "actual",
                                                               "amount": "1000", "description": "Room"})
    r = sec.post_form(f"/training/activities/{activity}/funding", {"action": "cost", "category": "venue",
                                                                   "kind": "actual", "amount": "lots",
                                                                   "description": "Coffee breaks"})
    page = r.get_data(as_text=True)
    # refused on the activity page itself: the message beside the amount, what was typed kept
    assert r.status_code == 422 and "SIENA basics" in page
    amount = page[page.rindex("<input", 0, page.index('id="amount"')):page.index('id="amount-error"')]
    assert 'aria-invalid="true"' in amount and 'value="lots"' in amount
    beside = page[page.index('id="amount-error"'):].split("</div>", 1)[0]
    assert "Enter an amount in euros, e.g. 1250.00." in beside
    assert 'value="Coffee breaks"' in page
    db.rollback()
    budget = funding_service.budget_for(db, "training_activity", activity)
    totals = funding_service.totals(budget)
    assert (str(totals["planned"]), str(totals["actual"]), str(totals["isf_share"])) == ("1200.00", "1000.00", "750.00")
    page = sec.get(f"/training/activities/{activity}").get_data(as_text=True)
    assert "ISF Police" in page and "€ 1 200.00" in page
    year = funding_service.year_totals(db, budget.year)
    assert any(row["label"] == "Training: SIENA basics" for row in year["rows"])
    core, _ = login_as("trainer", "BE")
    assert "Add cost line" not in core.get(f"/training/activities/{activity}").get_data(as_text=True)
