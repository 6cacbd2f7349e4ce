"""`spoc send-reminders`: warn assignees of cases near their deadline (once per deadline)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.models import Case
from casemgmt.services.deadlines import describe_time_left, time_left_parts
from casemgmt.services.priority import refresh_priority
from casemgmt.services.settings import load_settings
from portal.mail import queue_template


def deadline_reminders(session: Session, config, now: dt.datetime, days: int = 0) -> list[str]:
    """Queue one mail per assignee and case due within the SPOC's reminder hours (or overdue)."""
    lines: list[str] = []
    settings_cache: dict[str, dict] = {}
    q = select(Case).where(Case.is_open, Case.direction == "in", Case.request_type == "request", Case.replied_at.is_(None),
                           Case.legal_clock)
    base_url = (config.get("BASE_URL") if hasattr(config, "get") else "") or ""
    for case in session.scalars(q.order_by(Case.due_at)):
        settings = settings_cache.setdefault(case.country_code, load_settings(session, case.country_code))
        refresh_priority(case, settings, now)  # the time-left rule moves priorities as time passes
        if case.assignee is None or not case.assignee.active or case.paused_since is not None:
            continue
        if case.due_at > now + dt.timedelta(hours=int(settings["reminder_hours"])):
            continue
        if case.reminded_for_due_at is not None and case.reminded_for_due_at == case.due_at:
            continue
        left = describe_time_left(case, now)
        queue_template(session, case.assignee.email, "casemgmt/mail/deadline_reminder.txt", case=case,
                       link=f"{base_url}/cases/{case.registration_number}", **time_left_parts(case, now))
        case.reminded_for_due_at = case.due_at
        lines.append(f"case {case.registration_number}: reminded {case.assignee.email} ({left})")
    session.flush()
    return lines
