"""The case-management cards of the shared dashboard (added to the app's registry in init_app)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from casemgmt.models import Case
from casemgmt.services.retention import count_reviews_due
from portal import policy
from portal.cache import side_panels
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
    # the three counts are a side panel of the SPOC (portal/cache.py): kept a few seconds per country, dropped
    # by any change made by one of its users, so the Head of SPOC's home page does not count 100k cases each time
    # (visibility is the country alone once can_use_cases holds: policy.cases_visible_to)
    open_count, overdue, due = side_panels().get(user.country_code, "dashboard_cases",
                                                 lambda: _counts(user, session, now))
    cards = [{"title": _("Cases"), "text": _("%(open)s open cases, %(overdue)s overdue.", open=open_count, overdue=overdue),
              "url": url_for("casemgmt.inbox"), "link": _("Open the inbox"), "warning": overdue > 0}]
    if due:
        cards.append({"title": _("Retention reviews due"),
                      "text": ngettext("%(num)s closed case needs a retention decision.",
                                       "%(num)s closed cases need a retention decision.", due),
                      "url": url_for("casemgmt.retention_list"), "link": _("Review"), "warning": True})
    return cards


def _counts(user, session, now) -> tuple[int, int, int]:
    """Open cases, overdue ones and retention reviews due of the user's SPOC."""
    counted = (select(func.count()).select_from(Case).where(policy.cases_visible_to(user))
               .with_hint(Case.__table__, "INDEXED BY ix_cases_open_load", "sqlite"))
    return (session.scalar(counted.where(Case.is_open)) or 0, session.scalar(counted.where(Case.overdue(now))) or 0,
            count_reviews_due(session, user.country_code, now))
