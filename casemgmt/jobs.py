"""Case management's periodic work on the task queue (portal.jobs): the daily notice of due retention
reviews. (Case deadline reminders and the priority refresh are the 5-minute reminder registered in
casemgmt/__init__.py; the cross-check's jobs are in casemgmt/crosscheck/jobs.py.)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.models import Case
from casemgmt.services.retention import reviews_due
from portal import jobs, policy
from portal.accounts.models import User
from portal.db import utcnow
from portal.mail import queue_template


def retention_review_reminders(session: Session, base_url: str, now: dt.datetime) -> list[str]:
    """One mail per SPOC with closed cases whose retention review is due, to those who decide them."""
    lines = []
    countries = session.scalars(select(Case.country_code).distinct().where(
        Case.erased_at.is_(None), Case.review_due_at.is_not(None), Case.review_due_at <= now))
    for country in sorted(countries):
        due = reviews_due(session, country, now)
        to = list(session.scalars(select(User.email).where(User.country_code == country, User.active.is_(True),
                                                           User.role.in_(policy.retention_decider_roles()))
                                  .order_by(User.email)))
        if not due or not to:
            continue
        queue_template(session, to, "casemgmt/mail/retention_reviews.txt", country=country, due=due,
                       link=f"{base_url.rstrip('/')}/cases/retention")
        lines.append(f"retention reviews: {country} {len(due)} due -> {', '.join(to)}")
    return lines


@jobs.periodic("casemgmt.retention_reviews", jobs.crontab(minute="15", hour="6"))
def daily_retention_reviews() -> int:
    from flask import current_app

    with current_app.extensions["spoc_db"].unit_of_work() as session:
        return len(retention_review_reminders(session, current_app.config.get("BASE_URL") or "", utcnow()))


@jobs.job("casemgmt.duty_new_urgent", retries=3, retry_delay=30)
def duty_new_urgent(case_id: int) -> str | None:
    """A new urgent request: mail the officers on duty at once (the 5-minute run catches any missed)."""
    from flask import current_app

    from casemgmt.services.duty import alert_new_urgent

    with current_app.extensions["spoc_db"].unit_of_work() as session:
        case = session.get(Case, case_id)
        if case is None:
            return None
        return alert_new_urgent(session, case, utcnow(), current_app.config.get("BASE_URL") or "")


@jobs.periodic("casemgmt.search_purge", jobs.crontab(minute="40", hour="3"))
def nightly_search_purge() -> int:
    """The words of the day's erasures leave the full-text index's pages (casemgmt.services.search)."""
    from flask import current_app

    from casemgmt.services.search import purge_erased

    with current_app.extensions["spoc_db"].unit_of_work() as session:
        purge_erased(session)
    return 1
