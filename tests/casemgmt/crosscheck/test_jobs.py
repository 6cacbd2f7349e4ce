"""The cross-check on the task queue: a run left pending (a worker killed mid-run, a lost job) is
finished by the worker's sweep once it has waited 10 minutes; a fresh one is left to its own job."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from casemgmt.crosscheck import services
from casemgmt.crosscheck.jobs import sweep
from casemgmt.crosscheck.models import CrossCheckRun
from tests.casemgmt.crosscheck.test_cases import two_cases


def test_the_sweep_finishes_runs_left_pending(app, intake, officer, db, monkeypatch):
    monkeypatch.setattr(services, "INLINE_MAX_ENTITIES", 0)  # every case is big: its run is left pending
    (first, _, _), (second, _, _) = two_cases(intake, officer)
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        s.execute(update(CrossCheckRun).where(CrossCheckRun.case_id == second)
                  .values(started_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=11)))
    with app.app_context():
        assert sweep() == 1  # only the stale one
    db.rollback()
    runs = dict(db.execute(select(CrossCheckRun.case_id, CrossCheckRun.status)).all())
    assert runs == {first: "pending", second: "done"}
    assert db.scalar(select(CrossCheckRun.hits).where(CrossCheckRun.case_id == second)) == 1
