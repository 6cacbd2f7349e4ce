"""The funding card of the dashboard: the secretariat sees this year's spending against the plan (a warning
once it is over), others see no card, and a year without budgets shows none."""

from __future__ import annotations

import re

from portal.db import utcnow


def _funding_card(client) -> str | None:
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'<div class="card h-100[^"]*">\s*<div class="card-body">\s*<h2 class="h5 card-title">'
                      r"Funding of the network&#39;s activities</h2>.*?</div>", page, re.S)
    return found.group(0) if found else None


def test_the_secretariat_sees_this_year_s_spending_against_the_plan(login_as, funded_meeting):
    c, _ = login_as("secretariat")
    assert _funding_card(c) is None  # no budget this year yet
    funded_meeting(actual="1000")
    card = _funding_card(c)
    assert f"{utcnow().year}: € 1 000.00 spent of € 4 500.50 planned, in 1 activities." in card
    assert 'href="/meetings/funding">Open the year&#39;s funding</a>' in card
    assert "border-warning" not in card  # within the plan
    funded_meeting("Over budget", actual="9000")
    card = _funding_card(c)
    assert "€ 10 000.00 spent of € 9 001.00 planned, in 2 activities." in card and "border-warning" in card


def test_no_funding_card_for_those_who_do_not_manage_funding(login_as, funded_meeting):
    funded_meeting()
    for role, country in (("head_of_spoc", "BE"), ("observer", None)):
        c, _ = login_as(role, country)
        assert _funding_card(c) is None and "spent of" not in c.get("/").get_data(as_text=True)
