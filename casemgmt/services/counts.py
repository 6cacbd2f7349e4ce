"""The statistics' maintained counts (issue 24): what each case and exchange adds to the dashboard and to
the Art. 18 figures, kept in `case_statistics_counts` by the services that change them.

A service that changes a case or its exchanges is marked `@keeps_counts` (or says `with counting(session,
case)`): the case's contribution is taken before and after, and the difference is added to the counts
in the same transaction (`INSERT … ON CONFLICT DO UPDATE`, keys in one order: no lost update, no
deadlock between two writers). A new case adds its contribution once (`new_cases_delta`, then `add`). Nested calls count
once, at the outermost. `rebuild` recounts from the rows (the migration, the benchmark databases, the
demo). No session listener: only these explicit calls change the counts.

The definitions are those of casemgmt.services.statistics (its docstrings):
- dashboard (a case, by the UTC year of its receipt, unless merged into another): `case` (channel, type,
  counterpart, urgent, direct access), `compliance` (met / late, an incoming request replied to) and
  `reply` (label, the reply time in seconds to the millisecond: medians and maxima exact). Open,
  unanswered requests are not counted here: whether one is overdue depends on the time of reading;
- Art. 18 (an exchange under Directive (EU) 2023/977 with a Member State, a request, no confirmed
  duplicate, its case not merged, by the year of receipt in the SPOC's time zone): `a18_sent` (country),
  `a18_received` / `a18_answered` (country, urgent or non_urgent), `a18_dev` (country), `a18_refused`
  (country) and `a18_ground` (country, ground) for a refused request with a refusal sent.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.models import Case, Exchange, Message, StatisticsCount
from portal.db import Prepared

_ZONES: dict[str, ZoneInfo] = {}
KEYS = ("k1", "k2", "k3", "k4", "k5")


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at


def spoc_year(country_code: str, at: dt.datetime) -> int:
    from portal.directory.reference import SPOC_TIME_ZONES

    zone = _ZONES.get(country_code)
    if zone is None:
        zone = _ZONES[country_code] = ZoneInfo(SPOC_TIME_ZONES.get(country_code, "UTC"))
    return _utc(at).astimezone(zone).year


def reply_label(urgent, access) -> str:
    return ("urgent, direct" if access == "direct" else "urgent, indirect") if urgent else "not urgent"


def case_keys(c) -> Counter:
    """What a case adds to the dashboard: {(country, year, figure, k1..k5, value): 1}."""
    out: Counter = Counter()
    if c.merged_into_id is not None:
        return out
    year = _utc(c.received_at).year
    cc = c.country_code
    direct = "direct" if c.information_access == "direct" else ""
    urgent = "1" if c.urgent else ""
    out[(cc, year, "case", c.channel or "", c.request_type or "", c.counterpart_country or "", urgent, direct, 0.0)] += 1
    if c.direction == "in" and c.request_type == "request" and c.replied_at is not None:
        out[(cc, year, "compliance", "met" if c.deadline_met else "late", "", "", "", "", 0.0)] += 1
        seconds = round((_utc(c.replied_at) - _utc(c.received_at)).total_seconds(), 3)
        out[(cc, year, "reply", reply_label(c.urgent, c.information_access), "", "", "", "", seconds)] += 1
    return out


def art18_counted(x) -> bool:
    return (x.legal_framework == "2023/977" and x.counterpart_kind == "member_state" and x.type == "request"
            and x.duplicate_of_id is None)


def exchange_keys(x, grounds: set | None) -> Counter:
    """What an exchange adds to the Art. 18 figures (its case not merged: the caller's check); `grounds`
    the Art. 6 grounds of the refusals sent on it (None: no refusal sent)."""
    out: Counter = Counter()
    if not art18_counted(x):
        return out
    cc, year, country = x.country_code, spoc_year(x.country_code, x.received_at), x.counterpart_country or ""
    if x.direction == "out":
        out[(cc, year, "a18_sent", country, "", "", "", "", 0.0)] += 1
        return out
    if x.direction != "in":
        return out
    urgency = "urgent" if x.urgent else "non_urgent"
    out[(cc, year, "a18_received", country, urgency, "", "", "", 0.0)] += 1
    if x.answered:
        out[(cc, year, "a18_answered", country, urgency, "", "", "", 0.0)] += 1
    if x.art5_2_deviation:
        out[(cc, year, "a18_dev", country, "", "", "", "", 0.0)] += 1
    if x.refused and grounds is not None:
        out[(cc, year, "a18_refused", country, "", "", "", "", 0.0)] += 1
        for g in grounds:
            out[(cc, year, "a18_ground", country, g, "", "", "", 0.0)] += 1
    return out


def _refusal_grounds(session_or_conn, exchange_ids: list[int]) -> dict[int, set]:
    found: dict[int, set] = {}
    if not exchange_ids:
        return found
    for exchange_id, grounds in session_or_conn.execute(
            select(Message.exchange_id, Message.refusal_grounds)
            .where(Message.exchange_id.in_(exchange_ids), Message.type == "refusal", Message.direction == "out")):
        found.setdefault(exchange_id, set()).update(grounds or [])
    return found


def contribution(session: Session, case: Case) -> Counter:
    """What one case and its exchanges add to the counts, as the session sees them now."""
    out = case_keys(case)
    if case.merged_into_id is not None:
        return out
    exchanges = [x for x in session.scalars(select(Exchange).where(Exchange.case_id == case.id)) if art18_counted(x)]
    grounds = _refusal_grounds(session, [x.id for x in exchanges if x.refused and x.direction == "in"])
    for x in exchanges:
        out.update(exchange_keys(x, grounds.get(x.id)))
    return out


_UPSERTS: dict[str, Prepared] = {}


def _upsert(dialect: str) -> Prepared:
    """The upsert of one count, built once per dialect and run on the driver's cursor (an intake runs
    it inside the write lock: portal.db.Prepared)."""
    stmt = _UPSERTS.get(dialect)
    if stmt is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        table = StatisticsCount.__table__
        upsert = insert(table)
        stmt = _UPSERTS[dialect] = Prepared(upsert.on_conflict_do_update(
            index_elements=[c.name for c in table.primary_key.columns],
            set_={"count": table.c.count + upsert.excluded.count}))
    return stmt


def add(session_or_conn, delta: Counter) -> None:
    """Add delta to the counts, keys in sorted order (so that concurrent writers lock them in one order):
    on PostgreSQL one statement of all rows, elsewhere one statement run for each."""
    rows = [dict(zip(("country_code", "year", "figure", *KEYS, "value"), key, strict=True), count=n)
            for key, n in sorted(delta.items()) if n]
    if not rows:
        return
    conn = session_or_conn.connection() if isinstance(session_or_conn, Session) else session_or_conn
    if conn.dialect.name == "postgresql":  # the rows in one statement (the delta's keys are unique: an upsert
        _upsert("postgresql").execute_values(conn, rows)  # of several rows may not touch one key twice)
    else:
        _upsert(conn.dialect.name).executemany(conn, rows)


def new_cases_delta(cases: list[tuple]) -> Counter:
    """What cases about to be registered (with their exchanges, no refusal yet) add to the counts:
    worked out before the write transaction (casemgmt.services.intake.prepare_intake)."""
    delta = Counter()
    for case, exchanges in cases:
        delta.update(case_keys(case))
        if case.merged_into_id is None:
            for x in exchanges:
                delta.update(exchange_keys(x, None))
    return delta


@contextmanager
def counting(session: Session, *cases: Case):
    """Around a change of these cases: the difference of their contribution added to the counts."""
    busy: set = session.info.setdefault("statistics_counting", set())
    mine = [c for c in dict.fromkeys(cases) if c is not None and c.id is not None and c.id not in busy]
    before = Counter()
    for c in mine:
        busy.add(c.id)
        before.update(contribution(session, c))
    try:
        yield
        after = Counter()
        for c in mine:
            after.update(contribution(session, c))
        delta = Counter(after)
        delta.subtract(before)
        add(session, delta)
    finally:
        busy.difference_update(c.id for c in mine)


def keeps_counts(fn):
    """A service changing the cases it is given (positional or keyword): counted around the call."""
    @functools.wraps(fn)
    def wrapper(session, *args, **kwargs):
        cases = [a for a in (*args, *kwargs.values()) if isinstance(a, Case)]
        with counting(session, *cases):
            return fn(session, *args, **kwargs)
    return wrapper


def rebuild(conn, country_code: str | None = None) -> int:
    """Recount everything (or one SPOC) from the rows, on a Connection; returns the rows written."""
    from sqlalchemy import delete, insert

    table = StatisticsCount.__table__
    c, x = Case.__table__.c, Exchange.__table__.c
    where_case = [c.country_code == country_code] if country_code else []
    conn.execute(delete(table).where(*([table.c.country_code == country_code] if country_code else [])))
    counts: Counter = Counter()
    for row in conn.execute(select(c.country_code, c.received_at, c.merged_into_id, c.channel, c.request_type,
                                   c.counterpart_country, c.urgent, c.information_access, c.direction,
                                   c.replied_at, c.deadline_met).where(*where_case)
                            .execution_options(yield_per=20_000)):
        counts.update(case_keys(row))
    refused = [r.id for r in conn.execute(
        select(x.id).where(x.refused, x.direction == "in", *([x.country_code == country_code] if country_code else [])))]
    grounds: dict[int, set] = {}
    for i in range(0, len(refused), 500):
        grounds.update(_refusal_grounds(conn, refused[i:i + 500]))
    q = (select(x.id, x.country_code, x.received_at, x.legal_framework, x.counterpart_kind, x.type,
                x.duplicate_of_id, x.direction, x.counterpart_country, x.urgent, x.answered, x.art5_2_deviation,
                x.refused)
         .join(Case.__table__, c.id == x.case_id)
         .where(c.merged_into_id.is_(None), x.legal_framework == "2023/977", x.counterpart_kind == "member_state",
                x.type == "request", x.duplicate_of_id.is_(None), *where_case))
    for row in conn.execute(q.execution_options(yield_per=20_000)):
        counts.update(exchange_keys(row, grounds.get(row.id)))
    rows = [dict(zip(("country_code", "year", "figure", *KEYS, "value"), key, strict=True), count=n)
            for key, n in sorted(counts.items()) if n]
    for i in range(0, len(rows), 5_000):
        conn.execute(insert(table), rows[i:i + 5_000])
    return len(rows)
