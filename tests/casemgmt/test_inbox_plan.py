"""The inbox's lists are read off an index in display order, whatever the SPOC's history holds: the
query plan never sorts the SPOC's cases (bench/scale.py measures what that is worth at 1M cases)."""

from __future__ import annotations

import pytest

from casemgmt.services.inbox import PAGE, _inbox_query


@pytest.mark.parametrize(("status", "after"), [("open", False), ("open", True), ("all", False), ("all", True),
                                               ("closed", False), ("action", False), ("action", True),
                                               ("waiting", False), ("waiting", True), ("answered", False)])
def test_inbox_pages_never_sort_the_spocs_cases(db, status, after):
    if db.bind.dialect.name != "sqlite":
        pytest.skip("SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans by its statistics (bench/scale.py)")
    given = {"country": "BE", "status": status, "priority": 3, "due": "2026-01-01 00:00:00.000000", "ident": 10}
    compiled = _inbox_query(status, False, after, PAGE + 1).compile(dialect=db.bind.dialect)
    state = compiled.construct_expanded_state({k: v for k, v in given.items() if k in compiled.binds})
    values = tuple(state.parameters[name] for name in state.positiontup)
    plan = " | ".join(row[-1] for row in db.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {state.statement}",
                                                                         values))
    assert "USING INDEX" in plan and "TEMP B-TREE" not in plan, plan
