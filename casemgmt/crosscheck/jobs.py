"""The cross-check's background work on the task queue (portal.jobs), instead of a thread.

`crosscheck.finish`: a big case's pending run, enqueued after the commit that left it pending
(casemgmt/crosscheck/refresh.py). `crosscheck.sweep`: every 5 minutes (and when a worker starts), the runs that stayed
pending for 10 minutes or more: a worker killed mid-run, a failed run, a `spoc crosscheck load
--queue-only`. What fails stays pending, as with `spoc crosscheck run-pending`.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select

from portal import jobs
from portal.db import utcnow

log = logging.getLogger(__name__)
STALE = dt.timedelta(minutes=10)


def _finish(database, case_id: int) -> bool:
    from casemgmt.crosscheck import services
    from casemgmt.crosscheck.models import CrossCheckRun
    from casemgmt.models import Case, RunStatus

    with database.unit_of_work() as session:
        run = session.scalar(select(CrossCheckRun).where(CrossCheckRun.case_id == case_id,
                                                         CrossCheckRun.status == RunStatus.PENDING))
        if run is None:
            return False
        services.run_crosscheck(session, session.get(Case, case_id), trigger=run.trigger, run=run)
        return True


@jobs.job("crosscheck.finish", retries=3, retry_delay=60)
def finish_cases(case_ids: list[int]) -> int:
    """Finish the pending runs of these cases, each in its own transaction."""
    from flask import current_app

    database = current_app.extensions["spoc_db"]
    done, failed = 0, []
    for case_id in case_ids:
        try:
            done += _finish(database, case_id)
        except Exception:  # noqa: BLE001 - the others still run; this one is retried
            log.exception("cross-check of case %s failed; it stays pending", case_id)
            failed.append(case_id)
    if failed:
        raise RuntimeError(f"cross-check of cases {failed} failed; they stay pending")
    return done


@jobs.on_worker_start
@jobs.periodic("crosscheck.sweep", jobs.crontab(minute="*/5"))
def sweep() -> int:
    """Enqueue the runs left pending for a while (in batches of 100 cases)."""
    from flask import current_app

    from casemgmt.crosscheck.models import CrossCheckRun
    from casemgmt.models import RunStatus

    with current_app.extensions["spoc_db"].read_session() as session:
        ids = list(session.scalars(select(CrossCheckRun.case_id).where(CrossCheckRun.status == RunStatus.PENDING,
                                                                       CrossCheckRun.started_at < utcnow() - STALE)
                                   .order_by(CrossCheckRun.started_at, CrossCheckRun.id)))
    for start in range(0, len(ids), 100):
        jobs.enqueue("crosscheck.finish", ids[start:start + 100])
    return len(ids)
