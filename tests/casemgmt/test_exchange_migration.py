"""Migration 0015 on a copy of the demo database: every case becomes a folder with its first exchange,
nothing is lost, and the fold gives back the exchanges the services made (SQLite, and PostgreSQL in
CI's second pass)."""

from __future__ import annotations

import importlib.util

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, update

from casemgmt.models import Case, Exchange, Message, Person
from portal.demo import load_demo
from portal.migrate import MIGRATIONS

FIELDS = ("legal_framework", "counterpart_kind", "counterpart_country", "counterpart_name", "direction", "type",
          "channel", "due_at", "answered", "refused", "art5_2_deviation")


def _fold(database) -> None:
    """Run the migration's data step on the database as it is (its rows as before the migration)."""
    spec = importlib.util.spec_from_file_location("m0015", MIGRATIONS / "versions" / "0015_exchanges.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with database.write_engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        module.fold_cases_into_exchanges()


def _snapshot(session) -> dict:
    first = {row.case_id: tuple(getattr(row, f) for f in FIELDS)
             for row in session.scalars(select(Exchange).where(Exchange.number == 1))}
    return {"cases": session.scalar(select(func.count(Case.id))),
            "messages": session.scalar(select(func.count(Message.id))),
            "persons": session.scalar(select(func.count(Person.id))),
            "first": first}


def test_migration_folds_the_demo_cases_into_exchanges_and_loses_nothing(app, db):
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        load_demo(s, "demo-password-1", app)
    db.rollback()
    before = _snapshot(db)
    # the demo's rows as they were before the migration: cases and messages, no exchange
    with database.unit_of_work() as s:
        s.execute(update(Message).values(exchange_id=None))
        s.execute(update(Exchange).values(duplicate_of_id=None))
        s.execute(Exchange.__table__.delete())
    _fold(database)
    db.rollback()
    after = _snapshot(db)
    assert (after["cases"], after["messages"], after["persons"]) == (
        before["cases"], before["messages"], before["persons"])
    # every case has its first exchange again, every message an exchange
    assert set(after["first"]) == set(before["first"])
    assert db.scalar(select(func.count(Message.id)).where(Message.exchange_id.is_(None))) == 0
    # the cases whose first exchange holds all their work come back as they were (the demo's later
    # exchanges and merges put messages of other exchanges into a case, which the fold gives to its first)
    merged_or_multi = set(db.scalars(select(Case.id).where(Case.merged_into_id.is_not(None))))
    merged_or_multi |= set(db.scalars(select(Case.merged_into_id).where(Case.merged_into_id.is_not(None))))
    same = [cid for cid in before["first"] if cid not in merged_or_multi and after["first"][cid] == before["first"][cid]]
    assert len(same) >= 0.9 * len(before["first"]), [
        (cid, before["first"][cid], after["first"][cid]) for cid in before["first"]
        if cid not in merged_or_multi and after["first"][cid] != before["first"][cid]][:5]
    frameworks = {row[0] for row in after["first"].values()}
    assert {"2023/977", "sis_sirene", "national", "europol_regulation"} <= frameworks


def test_migration_0017_moves_our_own_waiting_requests_to_awaiting_partner(app, db):
    """On a copy of the demo database: the outgoing requests not answered yet were "received" before."""
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        load_demo(s, "demo-password-1")
    db.rollback()
    waiting = set(db.scalars(select(Case.id).where(Case.status == "awaiting_partner")))
    assert waiting  # the demo has such requests
    statuses = dict(db.execute(select(Case.id, Case.status)).all())
    db.rollback()  # the migration drops indexes of `cases`: no reader may hold it (PostgreSQL's lock)
    with database.unit_of_work() as s:
        s.execute(update(Case).where(Case.id.in_(waiting)).values(status="received"))
    spec = importlib.util.spec_from_file_location("m0017", MIGRATIONS / "versions" / "0017_cases_awaiting_partner.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with database.write_engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        module.upgrade()  # its data step, and the partial indexes made again with the new state
    db.rollback()
    assert dict(db.execute(select(Case.id, Case.status)).all()) == statuses
