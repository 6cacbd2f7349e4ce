"""The cross-check follows a case's entities by explicit calls, never by session listeners.

Every writer of a case's entities calls `entities_changed` once its rows are written: intake of a
big case (casemgmt/services/intake.py; a small case's intake runs `services.search_new_case` and `write_run`
inline on its own rows), an officer's additions, edits and flags (casemgmt/services/entities.py),
a merge (casemgmt/services/dedupe.py), and so the demo through them. The file import registers
its new cases a batch at a time and calls `cases_registered` once a batch (issue 25): the same
runs, hits and index entries as one intake a case. Erasure calls `services.forget_case`
(casemgmt/services/retention.py).

A small case's run happens at once, inside a savepoint: if it fails, the case's own work is still
committed and the run stays pending, to be retried. A big case (more than INLINE_MAX_ENTITIES
entities) is indexed now (normalised on write) and its run is finished after the commit by the
task queue's worker (job `crosscheck.finish`, casemgmt/crosscheck/jobs.py), or by the worker's
sweep of pending runs when no app is there to enqueue it."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
BACKGROUND = {"enabled": True}  # off in tests: `spoc crosscheck run-pending` finishes the big cases


def entities_changed(session: Session, case, actor=None, *, trigger: str = "edit") -> None:
    """The case's entities were added, changed or moved: index them and run its cross-check
    (`trigger`: intake, edit, merge…; recorded on the run and in the access log)."""
    from casemgmt.crosscheck import services
    from portal import jobs

    session.flush()
    run = services.request_run(session, case, trigger=trigger, actor=actor)
    entities = services.case_entities(session, case.id)
    if len(entities) > services.INLINE_MAX_ENTITIES:
        services.index_case(session, case, entities)  # normalised on write; searched by the worker
        if BACKGROUND["enabled"]:
            jobs.enqueue_after_commit(session, "crosscheck.finish", [case.id])
        return
    savepoint = session.begin_nested()
    try:
        services.run_crosscheck(session, case, actor, trigger=run.trigger, run=run, entities=entities)
        savepoint.commit()
    except Exception:
        log.exception("cross-check of case %s failed; it stays pending", case.registration_number)
        savepoint.rollback()


def cases_registered(session: Session, country_code: str, cases: list, actor=None, *,
                     trigger: str = "intake", indexed: tuple | None = None, run_ids=None) -> list[dict]:
    """Small new cases written together (casemgmt.crosscheck.batch.NewCase, in the order they were
    registered): indexed (unless `indexed`, batch.index_new_cases's result, says it is done) and
    run at once, case by case as the intake would. Returns each run's audit entry, for the caller
    to write with the cases' own."""
    from casemgmt.crosscheck.batch import crosscheck_new_cases

    session.flush()
    return crosscheck_new_cases(session, country_code, cases, actor, trigger=trigger, indexed=indexed,
                                run_ids=run_ids)


def configure(*, background: bool = True) -> None:
    """`background`: enqueue big cases for the worker after the commit (off under TESTING)."""
    BACKGROUND["enabled"] = background


__all__ = ["BACKGROUND", "cases_registered", "configure", "entities_changed"]
