"""The query plan of what a public function runs on the cases table (SQLite's EXPLAIN QUERY PLAN): the plan
tests reach a query through the function a page calls, not through its private parts."""

from __future__ import annotations

from sqlalchemy import event


def plan_of_cases_query(db, call):
    """(what `call()` returned, SQLite's plan of the first statement it ran on the cases table)."""
    seen = []

    def capture(conn, cursor_, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        result = call()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, values = next((st, p) for st, p in seen if "FROM cases" in st)
    plan = " | ".join(row[-1] for row in db.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", values))
    return result, plan
