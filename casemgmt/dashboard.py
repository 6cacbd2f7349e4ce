"""The case-management cards of the shared dashboard (added to the app's registry in init_app)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import func, select

from casemgmt.models import Case
from casemgmt.services.retention import count_reviews_due
from portal import policy
from portal.db import utcnow


def dashboard_cards(user, session) -> list[dict]:
    """The home page tells a SPOC's staff what is burning."""
    if not policy.can_use_cases(user):
        return []
    now = utcnow()
    # what the API lists (the same visibility), counted off the partial index of open cases: the SPOC's
    # open work, never its history
    counted = select(func.count()).select_from(Case).where(policy.cases_visible_to(user))
    open_count = session.scalar(counted.where(Case.is_open)) or 0
    overdue = session.scalar(counted.where(Case.overdue(now))) or 0
    cards = [{"title": "Cases", "text": f"{open_count} open cases, {overdue} overdue.",
              "url": url_for("casemgmt.inbox"), "link": "Open the inbox", "warning": overdue > 0}]
    due = count_reviews_due(session, user.country_code, now)
    if due:
        cards.append({"title": "Retention reviews due", "text": f"{due} closed cases need a retention decision.",
                      "url": url_for("casemgmt.retention_list"), "link": "Review", "warning": True})
    return cards
