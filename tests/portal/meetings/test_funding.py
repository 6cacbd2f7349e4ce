"""A meeting's funding page and the year's totals (the rules: portal/funding, tests/portal/funding)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from portal.funding.models import Budget
from portal.meetings.models import Meeting


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
    assert "Meeting</span>" in page and ">meeting</span>" not in page  # the kind of activity, in words
    page = client.get("/meetings/funding").get_data(as_text=True)  # no year asked: this year's, in the field too
    this_year = dt.datetime.now(dt.UTC).year
    assert f'name="year" type="number" value="{this_year}"' in page or f'value="{this_year}"' in page


def test_heads_cannot_see_funding(login_as, make_meeting):
    mid = make_meeting(countries=["BE"], send=True)
    client, _ = login_as("head_of_spoc", "BE")
    assert client.get(f"/meetings/{mid}/funding").status_code == 404
    assert client.get("/meetings/funding").status_code == 404
