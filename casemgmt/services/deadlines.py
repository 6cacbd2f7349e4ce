"""Art. 5 time limits: counted from receipt in calendar time, 24/7; stopped only while a
clarification is awaited (Art. 6(3)). The limits are the law's (casemgmt.services.frameworks); a
SPOC's settings only give shorter internal targets, shown beside the deadline."""

from __future__ import annotations

import datetime as dt

from casemgmt.models import Case
from casemgmt.services.frameworks import PAUSING_STATES, legal_limit_hours
from portal.enums import N_

# A case without a legal clock has no deadline: the inbox's lists of work order it after every timed one
# (its due_at is this far after receipt, an ordering time never shown: deadline_state says "none").
NO_CLOCK_ORDER_HOURS = 100 * 365 * 24


def limit_hours(urgent: bool, information_access: str | None, settings: dict | None = None) -> int:
    """8 hours / 3 days / 7 days (Art. 5(1)(a)-(c)); the law's, whatever the settings say."""
    return legal_limit_hours(urgent, information_access)


def set_deadline(case: Case, settings: dict) -> None:
    """Due time from receipt plus the time the clock stood still (for the first exchange)."""
    case.limit_hours = limit_hours(case.urgent, case.information_access) if case.legal_clock is not False \
        else NO_CLOCK_ORDER_HOURS
    case.due_at = case.received_at + dt.timedelta(hours=case.limit_hours, seconds=case.paused_seconds or 0)


def on_status_change(case: Case, old: str, new: str, now: dt.datetime, settings: dict | None = None) -> None:
    """Stop the clock on entering a pausing state; on leaving it, move the deadline by the pause."""
    pausing = set(PAUSING_STATES)
    if new in pausing and old not in pausing and case.paused_since is None:
        case.paused_since = now
    elif old in pausing and new not in pausing and case.paused_since is not None:
        paused = max(0, int((now - case.paused_since).total_seconds()))
        case.paused_seconds = (case.paused_seconds or 0) + paused
        case.due_at = case.due_at + dt.timedelta(seconds=paused)
        case.paused_since = None


def time_left(case: Case, now: dt.datetime) -> dt.timedelta:
    """Negative when overdue; frozen while the clock is paused."""
    return case.due_at - (case.paused_since or now)


def deadline_state(case: Case, now: dt.datetime, settings: dict) -> str:
    """met | late | paused | delayed (Art. 5(2)) | overdue | due_soon | running | partner | chase | none."""
    if case.legal_clock is False:
        return _partner_state(case, now)
    if case.replied_at is not None:
        if case.replied_at <= case.due_at:
            return "met"
        # Art. 5(2): answered after the limit for a judicial authorisation the requester was told of
        return "deviation" if case.judicial_authorisation_pending else "late"
    if case.request_type != "request" or case.direction != "in" or not case.is_open or case.legal_clock is False:
        return "none"
    if case.paused_since is not None:
        return "paused"
    left = time_left(case, now)
    if left < dt.timedelta(0):
        return "delayed" if case.judicial_authorisation_pending else "overdue"
    if left <= dt.timedelta(hours=int(settings["due_soon_hours"])):
        return "due_soon"
    return "running"


PARTNER_HORIZON = dt.timedelta(days=365 * 50)  # a due time further out is NO_CLOCK_ORDER_HOURS's order, not a deadline


def _partner_state(case: Case, now: dt.datetime) -> str:
    """An outgoing request waits for the partner's answer, due by the same Art. 5(1) rules: `partner`
    while its deadline runs, `chase` once it has passed (issue 16, point 3); otherwise `none`."""
    if (case.direction != "out" or case.request_type != "request" or not case.is_open
            or case.replied_at is not None or case.due_at is None or case.due_at - now > PARTNER_HORIZON):
        return "none"
    return "chase" if case.due_at < now else "partner"


STATE_LABELS = {"met": N_("Answered in time"), "late": N_("Answered late"),
                "deviation": N_("Late for judicial authorisation (Art. 5(2))"), "paused": N_("Clock paused"),
                "delayed": N_("Delayed for judicial authorisation (Art. 5(2))"), "overdue": N_("Overdue"),
                "due_soon": N_("Due soon"), "running": N_("Running"), "none": N_("No time limit"),
                "partner": N_("Partner's deadline"), "chase": N_("Partner overdue: chase")}


def time_left_parts(case: Case, now: dt.datetime) -> dict:
    """The time left as its parts, for a text in any language: overdue, days, hours, minutes."""
    left = time_left(case, now)
    days, rest = divmod(abs(int(left.total_seconds())), 86400)
    hours, rest = divmod(rest, 3600)
    return {"overdue": left < dt.timedelta(0), "days": days, "hours": hours, "minutes": rest // 60}


def describe_time_left(case: Case, now: dt.datetime) -> str:
    parts = time_left_parts(case, now)
    days, hours, minutes = parts["days"], parts["hours"], parts["minutes"]
    text = f"{days} d {hours} h" if days else f"{hours} h {minutes:02d} min"
    return "overdue by " + text if parts["overdue"] else text + " left"


def record_reply(case: Case, now: dt.datetime) -> None:
    """The first answer stops the clock; whether the deadline was kept is fixed then."""
    if case.replied_at is None:
        case.replied_at = now
        case.deadline_met = now <= case.due_at
