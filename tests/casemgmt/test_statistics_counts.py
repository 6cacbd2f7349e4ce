"""The statistics' maintained counts (issue 24): after a mix of work through the services (intake,
replies, refusals, delay notices, merges, outgoing requests, closing, erasure), the dashboard and the
Art. 18 figures read off them equal a plain count of the rows, and the counts equal what the migration
fills from the same rows."""

from __future__ import annotations

import datetime as dt
import importlib.util

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from casemgmt.models import Case, StatisticsCount
from casemgmt.services import requests, retention, workflow
from casemgmt.services.statistics import art18_figures
from portal.db import utcnow
from portal.migrate import MIGRATIONS
from tests.casemgmt.test_statistics import _independent_count, _populate, _sorted
from tests.casemgmt.test_statistics_plain import assert_dashboard_is_a_plain_count


def _counts(db) -> dict:
    db.rollback()
    return {(r.country_code, r.year, r.figure, r.k1, r.k2, r.k3, r.k4, r.k5, r.value): r.count
            for r in db.scalars(select(StatisticsCount).where(StatisticsCount.count != 0))}


def _fill_by_the_migration(app) -> None:
    """The table dropped, then migration 0032 run: the counts made again from the rows alone."""
    spec = importlib.util.spec_from_file_location("m0032", MIGRATIONS / "versions" / "0032_statistics_counts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with app.extensions["spoc_db"].write_engine.begin() as connection:
        connection.execute(text("DROP TABLE case_statistics_counts"))
        with Operations.context(MigrationContext.configure(connection)):
            module.upgrade()


def _more_work(intake, work, officer, uploads) -> None:
    """Outgoing requests, cases closed unanswered, erasure of closed cases."""
    case_id, _, _ = intake("BE", officer, received_at="2026-03-02T09:00:00+00:00", counterpart_country="PL",
                           entities=[])
    for country in ("DE", "FR"):
        work(case_id, lambda s, c, k=country: requests.send_request(
            s, c, officer, counterpart={"kind": "member_state", "country": k}, channel="SIENA", language="en",
            subject=f"Checks in {k}", content={"information_sought": "Records", "purpose": "Investigation",
                                              "objective_reasons": "Links there", "connection": "Same persons",
                                              "restrictions": "none"},
            europol_copy=False, europol_reason="Not in Europol's mandate", sent_at=utcnow() - dt.timedelta(hours=1)))
    for i in range(3):
        case_id, _, _ = intake("BE", officer, received_at=f"2026-04-0{i + 1}T09:00:00+00:00",
                               counterpart_country="NL", entities=[])
        work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="withdrawn"))
        if i:
            work(case_id, lambda s, c: retention.erase(s, c, officer, "No longer needed", uploads.folder))


def test_counts_kept_by_the_services_equal_a_plain_count_and_the_migrations_fill(
        app, intake, work, officer, uploads, db):
    _populate(intake, work, officer)
    db.rollback()
    for year in (2025, 2026):  # the independent count reads the cases' first messages: before _more_work
        assert _sorted(art18_figures(db, "BE", year)) == _sorted(_independent_count(db, "BE", year)), year
    sent = art18_figures(db, "BE", 2026)["requests_sent"]["by_country"]
    _more_work(intake, work, officer, uploads)
    db.rollback()
    now = utcnow()
    cases = list(db.scalars(select(Case).where(Case.country_code == "BE")))
    assert len([c for c in cases if c.erased_at is not None]) == 2
    for year in (2025, 2026):
        assert_dashboard_is_a_plain_count(db, "BE", year, now)
    after = art18_figures(db, "BE", 2026)["requests_sent"]["by_country"]
    assert {k: after[k] - sent.get(k, 0) for k in after if after[k] != sent.get(k, 0)} == {"DE": 1, "FR": 1}
    kept = _counts(db)
    db.close()  # the migration drops the table: no reader may hold it (PostgreSQL's lock)
    _fill_by_the_migration(app)
    assert _counts(db) == kept
