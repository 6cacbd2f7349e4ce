"""Funding in the API: a meeting's budget with its cost lines and the year's totals, for the secretariat;
everyone else, and an activity without a budget, gets 404."""

from __future__ import annotations

from portal.db import utcnow


def test_the_secretariat_reads_a_meeting_s_budget_and_cost_lines(api, make_user, funded_meeting):
    mid = funded_meeting()
    body = api(make_user("secretariat")).get(f"/api/v1/funding/budgets/meeting/{mid}").get_json()
    assert (body["label"], body["url"], body["year"]) == ("Funded meeting", f"/meetings/{mid}/funding", utcnow().year)
    assert (body["funding_source"], body["isf_rate"]) == ("ISF Police", "75.00")
    assert (body["planned"], body["actual"], body["isf_share"], body["national_share"]) == (
        "4500.50", "4000.00", "3000.00", "1000.00")
    assert body["categories"]["venue"] == {"planned": "3000.00", "actual": "4000.00"}
    assert [(line["category"], line["kind"], line["amount"]) for line in body["lines"]] == [
        ("venue", "planned", "3000.00"), ("travel", "planned", "1500.50"), ("venue", "actual", "4000.00")]


def test_the_year_s_totals_list_every_funded_activity(api, make_user, funded_meeting):
    funded_meeting("First meeting", actual="1000")
    funded_meeting("Second meeting", actual="2000")
    client = api(make_user("admin"))
    body = client.get(f"/api/v1/funding/totals?year={utcnow().year}").get_json()
    assert [r["label"] for r in body["rows"]] == ["First meeting", "Second meeting"]
    assert (body["planned"], body["actual"], body["isf_share"]) == ("9001.00", "3000.00", "2250.00")
    assert client.get("/api/v1/funding/totals").get_json()["year"] == utcnow().year
    empty = client.get("/api/v1/funding/totals?year=2001").get_json()
    assert empty["rows"] == [] and empty["actual"] == "0.00"
    bad = client.get("/api/v1/funding/totals?year=soon")
    assert bad.status_code == 422 and "year" in bad.get_json()["error"]["fields"]


def test_others_and_activities_without_a_budget_get_404(api, make_user, funded_meeting):
    mid = funded_meeting()
    for role, country in (("head_of_spoc", "BE"), ("observer", None), ("officer", "BE")):
        client = api(make_user(role, country))
        assert client.get(f"/api/v1/funding/budgets/meeting/{mid}").status_code == 404
        assert client.get("/api/v1/funding/totals").status_code == 404
    staff = api(make_user("secretariat"))
    missing = staff.get(f"/api/v1/funding/budgets/meeting/{mid + 1000}")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    assert staff.get(f"/api/v1/funding/budgets/training_activity/{mid}").status_code == 404
