"""The case-management cards of the shared dashboard (added to the app's registry in init_app)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
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
    # SQLite's planner took ix_cases_api_status and read each open case's row (1.4 / 1.8 ms at 100k cases);
    # the partial ix_cases_open_load holds every column both counts read (0.1 / 0.35 ms), issue 24
    counted = (select(func.count()).select_from(Case).where(policy.cases_visible_to(user))
               .with_hint(Case.__table__, "INDEXED BY ix_cases_open_load", "sqlite"))
    open_count = session.scalar(counted.where(Case.is_open)) or 0
    overdue = session.scalar(counted.where(Case.overdue(now))) or 0
    cards = [{"title": _("Cases"), "text": _("%(open)s open cases, %(overdue)s overdue.", open=open_count, overdue=overdue),
              "url": url_for("casemgmt.inbox"), "link": _("Open the inbox"), "warning": overdue > 0}]
    due = count_reviews_due(session, user.country_code, now)
    if due:
        cards.append({"title": _("Retention reviews due"),
                      "text": _("%(count)s closed cases need a retention decision.", count=due),
                      "url": url_for("casemgmt.retention_list"), "link": _("Review"), "warning": True})
    return cards
