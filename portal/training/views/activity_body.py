"""A training activity's page body rendered once per what it shows, through portal/fragments.py (issue 24:
loading the activity, its nominations, feedback and trainers through the ORM, summarising the feedback and
rendering the template were four fifths of the page's CPU).

The key holds every row the body is made of, read as the driver returns them
(`portal.training.services.page_rows`: the activity with its topic, opportunity and the default quota,
its trainers, the activities they are also booked on at overlapping dates, every nomination and feedback
of the activity, and, when the user sees them, the feedback questionnaire's version, the budget with its
cost lines and the countries one may nominate for), the page's language, time zone and today's date (the
attendance buttons and the feedback request depend on it), and the user's role and country: everything
the template decides by the user (which nominations, contact details, buttons and sections show) is a
function of those two (portal/policy/training.py). The user's country leads the key. Any request but a GET
and a page with a query string are rendered afresh; a refused nomination form re-shown never comes here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from portal import policy
from portal.fragments import fragments
from portal.layout import user_zone
from portal.training.services.page_rows import activity_page_rows


def page_rows(session, activity_id: int) -> tuple | None:
    """The rows of the activity's page as this user sees it; None when there is no such activity."""
    user = current_user
    return activity_page_rows(session, activity_id, feedback=policy.can_view_training_feedback(user),
                              funding=policy.can_manage_funding(user),
                              countries=policy.can_nominate(user) and policy.acting_country(user) is None)


def title_of(rows: tuple) -> str:
    return rows[0][0][0]


def body_html(activity_id: int, rows: tuple, today: dt.date, render: Callable[[], str]) -> Markup:
    """The body's HTML: kept by its key, or rendered by `render()` (with `today` as the date of the page)."""
    if request.method != "GET" or request.args:
        return Markup(render())  # noqa: S704 - rendered by the template, escaped there
    user = current_user
    key = (user.country_code, "training-activity", activity_id, user.role, str(get_locale()), str(user_zone()),
           today, rows)
    return fragments().get(key, render)
