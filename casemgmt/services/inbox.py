"""The inbox: a SPOC's open cases by priority, then time left; keyset pages; the team's load."""

from __future__ import annotations

import base64
import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import and_, bindparam, case, func, select, tuple_
from sqlalchemy.orm import Session

from casemgmt.crosscheck.rerun import unreviewed_new_strong
from casemgmt.models import Case, CaseStatus
from casemgmt.models.case import ACTION_STATES, WAITING_STATES
from portal import policy

PAGE = 50


def encode_cursor(case: Case | InboxEntry) -> str:
    raw = f"{case.priority}|{case.due_at.astimezone(dt.UTC).isoformat()}|{case.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, dt.datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        priority, due, ident = raw.split("|")
        key = int(priority), dt.datetime.fromisoformat(due), int(ident)
        # only what encode_cursor writes: an aware time (a naive one cannot be compared with the
        # column) and numbers within the database's integers
        if key[1].tzinfo is None or not (0 <= key[0] < 2**31 and 0 <= key[2] < 2**31):
            return None
        return key[0], key[1].astimezone(dt.UTC), key[2]
    except (ValueError, UnicodeDecodeError, OverflowError):
        return None


# The officer's lists (issue 16, point 9), each a state defined on the model (casemgmt.models.case):
# what needs the SPOC's action, what waits, what was answered. Each has its partial index.
LISTS = {"action": ACTION_STATES, "waiting": WAITING_STATES}


def status_filter(status: str):
    """`action`, `waiting`, `answered`, `open` (any state before closed), a workflow state, or `all`."""
    if status == "action":
        return Case.needs_action
    if status == "waiting":
        return Case.is_waiting
    if status == "answered":
        return Case.is_answered
    if status == "open":
        return Case.is_open
    if status == "merged":
        return Case.merged_into_id.is_not(None)
    if status in {s.value for s in CaseStatus}:
        return Case.status == status
    return None


_FILTERED = frozenset({"open", "merged", "action", "waiting", "answered"} | {s.value for s in CaseStatus})


# Only what a row of a case list shows (InboxEntry's first fields; the inbox and the search page select
# them): plain rows, not case objects with their whole state (a page of them is hydrated and rendered many
# times a second by a busy SPOC; bench/web.py).
ROW_COLUMNS = (Case.id, Case.registration_number, Case.priority, Case.urgent, Case.subject, Case.direction,
               Case.request_type, Case.channel, Case.counterpart_country, Case.status, Case.merged_into_id,
               Case.due_at, Case.paused_since, Case.replied_at, Case.judicial_authorisation_pending,
               Case.legal_clock)


class InboxEntry(NamedTuple):
    """One line of the inbox; `assignee` is the officer's name (or e-mail), None when unassigned;
    `new_hits` marks strong cross-check hits not reviewed yet that a re-run found after reference
    data were loaded (casemgmt.crosscheck.rerun).
    A tuple, so hashable (the view keeps the HTML of rows it has written, casemgmt.views.display)
    and made at C speed: a frozen dataclass set its 17 fields one by one, 0.15 ms a page."""

    id: int
    registration_number: str
    priority: int
    urgent: bool
    subject: str
    direction: str
    request_type: str
    channel: str
    counterpart_country: str | None
    status: str
    merged_into_id: int | None
    due_at: dt.datetime
    paused_since: dt.datetime | None
    replied_at: dt.datetime | None
    judicial_authorisation_pending: bool
    legal_clock: bool  # an incoming request under Directive (EU) 2023/977: timed by Art. 5(1)
    assignee: str | None
    new_hits: bool = False  # strong, unreviewed cross-check hits that a re-run after a data set load found

    # the Python side of Case.is_open, the one definition of an open case
    is_open = property(vars(Case)["is_open"].fget)


@dataclass
class InboxPage:
    cases: list[InboxEntry]
    next_cursor: str | None


def inbox(session: Session, country_code: str, *, status: str = "action", assignee_id: int | None = None,
          cursor: str | None = None, limit: int = PAGE) -> InboxPage:
    key = decode_cursor(cursor) if cursor else None
    params: dict = {"country": country_code, "status": status, "assignee": assignee_id}
    if key is not None:
        params["priority"], params["due"], params["ident"] = key
    query = _inbox_query(status if status in _FILTERED else "all", assignee_id is not None,
                         key is not None, limit + 1)
    # Core, not the ORM's execution: these are plain columns (0.05 ms a page less)
    connection = session.connection()
    with _one_plan(connection, status in LISTS and assignee_id is None):
        rows = [InboxEntry._make(r) for r in connection.execute(query, params)]
    more = len(rows) > limit
    rows = rows[:limit]
    return InboxPage(rows, encode_cursor(rows[-1]) if more and rows else None)


@contextmanager
def _one_plan(connection, lists: bool):
    """On PostgreSQL, the work lists' prepared statement (action, waiting: ix_cases_action_inbox / waiting's index
    read in order) runs on its generic plan, good for a SPOC of any size; the other filters keep the planner's
    choice by their values ('all' on a generic plan read every case of 1M: 13.7 ms instead of 1.3). Left to choose, PostgreSQL compared it with the plans made for each page's values and,
    past ~100k exchanges, planned every page afresh (0.4 ms a page: the inbox's growth in bench/scale.py). Said to
    the driver itself, with the statement's own transaction: SQLAlchemy's execution would cost more than it saves."""
    if not lists or connection.dialect.name != "postgresql":
        yield
        return
    driver = connection.connection.driver_connection
    driver.execute("SET LOCAL plan_cache_mode = force_generic_plan", prepare=False)
    try:
        yield
    finally:
        driver.execute("SET LOCAL plan_cache_mode = auto", prepare=False)


@lru_cache(maxsize=64)
def _inbox_query(status: str, by_assignee: bool, after: bool, limit: int):
    """The inbox's statement for one kind of page, built once (its values are parameters)."""
    from portal.accounts.models import User

    assignee_name = case((User.name != "", User.name), else_=User.email)
    # one EXISTS per row of the page, a probe of ix_xc_hits_case_status: no query per row
    q = (select(*ROW_COLUMNS, assignee_name, unreviewed_new_strong()).outerjoin(User, User.id == Case.assignee_id)
         .where(Case.country_code == bindparam("country")))
    if status in ("open", "merged", "action", "waiting", "answered"):
        q = q.where(status_filter(status))
    elif status != "all":
        q = q.where(Case.status == bindparam("status"))
    if by_assignee:
        q = q.where(Case.assignee_id == bindparam("assignee"))
    # the lists of work: the legal deadline first (overdue ones are the earliest), priority breaking ties;
    # cases without a legal clock come after them (their ordering time is far ahead: deadlines.NO_CLOCK_ORDER_HOURS)
    by_deadline = status in LISTS
    order = (Case.due_at, Case.priority, Case.id) if by_deadline else (Case.priority, Case.due_at, Case.id)
    if after:
        # a row-value comparison is one index range (an OR of three is three, then a sort)
        given = {"priority": bindparam("priority"), "due": bindparam("due", type_=Case.due_at.type),
                 "ident": bindparam("ident")}
        keys = ("due", "priority", "ident") if by_deadline else ("priority", "due", "ident")
        q = q.where(tuple_(*order) > tuple_(*[given[k] for k in keys]))
    return q.order_by(*order).limit(limit)


def team_load(session: Session, country_code: str, now: dt.datetime, due_soon_hours: int) -> list[dict]:
    """Per assignee: open cases, overdue, due soon (unassigned shown as None)."""
    from portal.accounts.models import User

    soon = now + dt.timedelta(hours=due_soon_hours)
    q = (select(Case.assignee_id, func.count(Case.id),
                func.sum(case((Case.overdue(now), 1), else_=0)),
                func.sum(case((and_(Case.clock_running, Case.due_at >= now, Case.due_at <= soon), 1), else_=0)))
         .where(Case.country_code == country_code, Case.is_open).group_by(Case.assignee_id))
    users = {u.id: u for u in session.scalars(select(User).where(User.country_code == country_code))}
    out = []
    for assignee_id, total, overdue, due_soon in session.execute(q):
        out.append({"user": users.get(assignee_id), "open": total, "overdue": int(overdue or 0),
                    "due_soon": int(due_soon or 0)})
    for user in users.values():
        if policy.can_be_assigned(user, country_code) and all(r["user"] is not user for r in out):
            out.append({"user": user, "open": 0, "overdue": 0, "due_soon": 0})
    return sorted(out, key=lambda r: (r["user"] is None, -(r["open"]), getattr(r["user"], "email", "")))

