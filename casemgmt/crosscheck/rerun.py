"""Cross-check a SPOC's open cases again when its reference data change ("new_data" runs).

`spoc crosscheck load` queues, inside the load's own transaction, a pending run for every open case
of the data set's country (not closed or archived, not merged): once the data set is committed the
runs are too, so a crash afterwards leaves them pending for `spoc crosscheck run-pending` rather
than unchecked. It then finishes them in batches, each batch its own transaction.

A run searches every source again, not just the new data set: the matcher has no per-data-set
search, and a full run is what keeps the `current` flag of every earlier hit true (and drops the
hits on rows a replaced data set no longer has). Decisions survive as in every re-run. A hit that a
new_data run finds first carries `new_data_at`: the hits page marks it new and the inbox shows a
badge while it is strong and unreviewed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from casemgmt.crosscheck.models import CrossCheckHit, CrossCheckRun
from casemgmt.models import Case, HitStatus, RunStatus
from portal import audit
from portal.db import utcnow

TRIGGER = "new_data"
BATCH = 100
BATCH_SECONDS = 0.5  # the length a batch of re-runs aims at


@dataclass
class Queued:
    """What queue_new_data_runs did: open cases given a new pending run, and those that had one."""

    queued: int
    already_pending: int

    @property
    def cases(self) -> int:
        return self.queued + self.already_pending


def open_cases(country: str):
    """The ids of a SPOC's open cases, as the inbox counts them (partial index ix_cases_open_inbox)."""
    return select(Case.id).where(Case.country_code == country, Case.is_open).order_by(Case.id)


def queue_new_data_runs(session: Session, country: str) -> Queued:
    """A pending new_data run for every open case of COUNTRY, in the caller's transaction. A case
    that has a pending run already keeps it (one at a time, as `services.request_run`): it will
    search the new data too."""
    pending = set(session.scalars(select(CrossCheckRun.case_id).where(CrossCheckRun.status == RunStatus.PENDING,
                                                                      CrossCheckRun.country_code == country)))
    open_ids = session.scalars(open_cases(country)).all()
    ids = [case_id for case_id in open_ids if case_id not in pending]
    now = utcnow()
    if ids:
        session.execute(insert(CrossCheckRun), [
            dict(country_code=country, case_id=case_id, status=RunStatus.PENDING, trigger=TRIGGER, requested_by_id=None,
                 started_at=now, queries=0, candidates=0, hits=0, sources=[], error="") for case_id in ids])
    return Queued(queued=len(ids), already_pending=len(open_ids) - len(ids))


def run_pending_in_batches(unit_of_work: Callable[[], AbstractContextManager[Session]], *, batch: int = BATCH,
                           on_batch: Callable[[int], None] | None = None, country: str | None = None,
                           seconds: float = BATCH_SECONDS) -> int:
    """Finish every pending run (of COUNTRY's cases when given; services.run_pending), at most
    `batch` at a time, each batch committed in its own unit of work (a failure keeps the batch
    pending and is raised). A batch is sized so that its transaction lasts about `seconds`: a run
    searching a big data set takes a while, and the officers' intakes wait for a writing
    transaction on SQLite (issue 25). Returns how many ran."""
    from casemgmt.crosscheck.services import run_pending

    total = 0
    size = min(batch, 10)  # a first, small batch measures how long a run takes
    while True:
        started = time.monotonic()
        with unit_of_work() as session, audit.deferred(session):  # the batch's entries appended together
            done = run_pending(session, limit=size, country=country)
        took = time.monotonic() - started
        total += done
        if on_batch and done:
            on_batch(done)
        if done < size:
            return total
        size = max(1, min(batch, int(size * seconds / took) if took > 0 else batch))


def new_hits_since(session: Session, country: str, since: dt.datetime) -> tuple[int, int]:
    """(hits, cases): what the new_data runs finished since `since` found that was not there before."""
    row = session.execute(select(func.count(CrossCheckHit.id), func.count(func.distinct(CrossCheckHit.case_id)))
                          .where(CrossCheckHit.country_code == country, CrossCheckHit.new_data_at >= since)).one()
    return int(row[0]), int(row[1])


def is_new(hit: CrossCheckHit) -> bool:
    """A hit a new_data run found first that nobody has reviewed yet: the page marks it new."""
    return hit.new_data_at is not None and hit.status == HitStatus.UNREVIEWED


def source_label(source: str) -> str:
    """`dataset:NAME` → "data set NAME", as the officer reads it, in the page's language."""
    from portal.enums import say

    kind, _, name = source.partition(":")
    if kind == "dataset":
        return say("data set %(name)s", name=name)
    if kind == "external":
        return say("external source %(name)s", name=name)
    return say("the SPOC's cases")


def new_hits_summary(hits: list[CrossCheckHit]) -> dict:
    """For the case page's panel: the unreviewed hits new_data runs found first, since when, from what."""
    new = [h for h in hits if is_new(h)]
    return {"new": len(new), "new_strong": sum(h.level == "strong" for h in new),
            "new_since": min((h.new_data_at for h in new), default=None),
            "new_from": sorted({source_label(h.source) for h in new})}


def unreviewed_new_strong():
    """EXISTS: the case (the outer query's Case) has a strong, unreviewed, current hit that a new_data
    run found first. For the inbox's badge: one probe of ix_xc_hits_case_status per row."""
    return (select(CrossCheckHit.id)
            .where(CrossCheckHit.case_id == Case.id, CrossCheckHit.status == HitStatus.UNREVIEWED,
                   CrossCheckHit.level == "strong", CrossCheckHit.current.is_(True),
                   CrossCheckHit.new_data_at.is_not(None))
            .exists())


__all__ = ["TRIGGER", "Queued", "open_cases", "queue_new_data_runs", "run_pending_in_batches", "new_hits_since",
           "is_new", "source_label", "new_hits_summary", "unreviewed_new_strong"]
