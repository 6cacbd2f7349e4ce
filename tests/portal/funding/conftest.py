"""A meeting of this year with a budget: planned venue and travel, actual venue (the meeting names it)."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def funded_meeting(app, make_user):
    """funded_meeting(title="Funded meeting", actual="4000") -> meeting id; the budget is this year's."""
    from portal.db import utcnow
    from portal.funding import services as funding
    from portal.meetings.services import meetings

    sec = make_user("secretariat")

    def make(title: str = "Funded meeting", actual: str = "4000") -> int:
        day = (utcnow() + dt.timedelta(days=10)).date()
        with app.extensions["spoc_db"].unit_of_work() as s:
            actor = s.merge(sec)
            m = meetings.create_meeting(s, actor, title=title, start=dt.datetime.combine(day, dt.time(9)),
                                        end=dt.datetime.combine(day, dt.time(17)), timezone="Europe/Brussels",
                                        deadline=day, venue="Brussels")
            budget = funding.ensure_budget(s, "meeting", m.id, utcnow().year)
            funding.set_funding(s, budget, actor, funding_source="ISF Police", isf_rate="75")
            funding.add_cost(s, budget, actor, category="venue", kind="planned", amount="3000")
            funding.add_cost(s, budget, actor, category="travel", kind="planned", amount="1500.50")
            funding.add_cost(s, budget, actor, category="venue", kind="actual", amount=actual,
                             description="Conference room, =HYPERLINK(\"x\")")
            return m.id

    return make
