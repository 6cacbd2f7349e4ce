"""The inbox's lists are read off an index in display order, whatever the SPOC's history holds: the
query plan never sorts the SPOC's cases (bench/scale.py measures what that is worth at 1M cases)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from casemgmt.services.inbox import encode_cursor, inbox
from tests.casemgmt.query_plans import plan_of_cases_query


@pytest.mark.parametrize(("status", "after"), [("open", False), ("open", True), ("all", False), ("all", True),
                                               ("closed", False), ("action", False), ("action", True),
                                               ("waiting", False), ("waiting", True), ("answered", False)])
def test_inbox_pages_never_sort_the_spocs_cases(db, status, after):
    if db.bind.dialect.name != "sqlite":
        pytest.skip("SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans by its statistics (bench/scale.py)")
    # the statement the inbox runs, as it runs it (one page, after a cursor when `after`)
    cursor = encode_cursor(SimpleNamespace(priority=3, due_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), id=10))
    _, plan = plan_of_cases_query(db, lambda: inbox(db, "BE", status=status, cursor=cursor if after else None))
    assert "USING INDEX" in plan and "TEMP B-TREE" not in plan, plan


def test_dashboard_counts_open_requests_off_their_own_index(db):
    """The statistics dashboard's one count read from the cases (open requests overdue or in time) is read
    off ix_cases_open_requests: the SPOC's closed history and other kinds of case are never visited."""
    if db.bind.dialect.name != "sqlite":
        pytest.skip("SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans by its statistics (bench/scale.py)")
    from casemgmt.services.statistics import dashboard

    figures, plan = plan_of_cases_query(db, lambda: dashboard(db, "BE", 2026, dt.datetime(2026, 6, 1, tzinfo=dt.UTC)))
    assert set(figures["compliance"]) == {"met", "late", "open_overdue", "open_in_time"}
    assert "ix_cases_open_requests" in plan, plan


@pytest.mark.parametrize("status", ["action", "waiting", "all", "closed"])
def test_the_work_lists_run_on_postgresqls_one_generic_plan_and_leave_the_choice_to_the_rest(db, status):
    """On PostgreSQL the action and waiting lists run on their statement's generic plan (planned afresh for every
    page past ~100k exchanges: bench/scale.py), and hand the planner's choice back for the request's other queries;
    'all' and a state keep the plans made for their values (a generic 'all' read every case)."""
    if db.bind.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's plan cache (SQLite plans each statement the same way)")
    from sqlalchemy import event, text

    seen = []
    connection = db.connection()

    def mode(conn, cursor, statement, params, context, executemany):
        if "FROM cases" in statement:
            cursor.execute("SHOW plan_cache_mode")
            seen.append(cursor.fetchone()[0])

    event.listen(connection, "before_cursor_execute", mode)
    try:
        page = inbox(db, "BE", status=status)
    finally:
        event.remove(connection, "before_cursor_execute", mode)
    assert page.cases is not None
    assert seen == (["force_generic_plan"] if status in ("action", "waiting") else ["auto"])
    assert db.execute(text("SHOW plan_cache_mode")).scalar_one() == "auto"
