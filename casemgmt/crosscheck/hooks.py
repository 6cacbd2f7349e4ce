"""Normalise on write: whenever a transaction adds, changes or erases a case's entities (intake,
import, edits, erasure), the case's index entries follow and its cross-check runs before the
commit, inline for a small case, or left pending for `spoc crosscheck run-pending`.

Listening to the session (rather than asking every writer to call us) keeps the index true
whatever path wrote the entities through the session. A big case's run is finished after the
commit by a thread. The run happens inside a savepoint: if it fails, the case's own work is still
committed and the run stays pending, to be retried.

One writer does not pass through the session: the intake of a new case (at most
INLINE_MAX_ENTITIES entities) inserts its rows with plain statements and calls
`services.crosscheck_new_case` itself, under the same write lock (casemgmt/services/intake.py)."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_TOUCHED = "xc_touched_cases"
_ERASED = "xc_erased_entities"
_RUNNING = "xc_running"
_DEFERRED = "xc_deferred_cases"
TRIGGER = "xc_trigger"  # a writer may say why the entities changed (default: intake)
BACKGROUND = {"enabled": True}


def _entity_models():
    from casemgmt.models import ENTITY_MODELS

    return ENTITY_MODELS


def _after_flush(session: Session, _context) -> None:
    models = _entity_models()
    touched = None
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, models) and obj.case_id is not None:
            touched = touched if touched is not None else session.info.setdefault(_TOUCHED, set())
            touched.add(obj.case_id)
    for obj in session.deleted:
        if isinstance(obj, models):
            from casemgmt.crosscheck.services import entity_ref

            session.info.setdefault(_ERASED, set()).add((obj.country_code, entity_ref(obj)))


def _current_actor():
    try:
        from flask import has_request_context
        from flask_login import current_user

        if has_request_context() and getattr(current_user, "is_authenticated", False):
            return current_user._get_current_object()
    except ImportError:  # pragma: no cover
        pass
    return None


def _before_commit(session: Session) -> None:
    if session.info.get(_RUNNING):
        return  # the savepoints of our own runs commit too
    session.flush()
    erased = session.info.pop(_ERASED, set())
    touched = session.info.pop(_TOUCHED, set())
    trigger = session.info.pop(TRIGGER, "intake")
    if not erased and not touched:
        return
    from casemgmt.crosscheck import services
    from casemgmt.models import Case

    for country, ref in sorted(erased):
        services.forget_entity(session, country, ref)
    actor = _current_actor()
    session.info[_RUNNING] = True
    try:
        for case_id in sorted(touched):
            case = session.get(Case, case_id)
            if case is None:
                continue
            run = services.request_run(session, case, trigger=trigger, actor=actor)
            entities = services.case_entities(session, case.id)
            if len(entities) > services.INLINE_MAX_ENTITIES:
                services.index_case(session, case, entities)  # normalised on write; searched later
                session.info.setdefault(_DEFERRED, set()).add(case.id)
                continue
            savepoint = session.begin_nested()
            try:
                services.run_crosscheck(session, case, actor, trigger=run.trigger, run=run, entities=entities)
                savepoint.commit()
            except Exception:
                log.exception("cross-check of case %s failed; it stays pending", case.registration_number)
                savepoint.rollback()
    finally:
        session.info.pop(_RUNNING, None)
        session.info.pop(_TOUCHED, None)
        session.info.pop(_ERASED, None)
        session.info.pop(TRIGGER, None)


def _after_commit(session: Session) -> None:
    deferred = session.info.pop(_DEFERRED, None)
    if deferred and BACKGROUND["enabled"]:
        threading.Thread(target=_finish_in_background, args=(session.get_bind(), sorted(deferred),
                                                                 session.info.get("audit_key", "")),
                         name="crosscheck", daemon=True).start()


def _after_rollback(session: Session) -> None:
    session.info.pop(_DEFERRED, None)
    session.info.pop(TRIGGER, None)


def _finish_in_background(bind, case_ids: list[int], audit_key: str = "") -> None:
    """Big cases: finish their pending runs after the intake's commit, in a session of our own
    (what fails stays pending for `spoc crosscheck run-pending`)."""
    from sqlalchemy import select

    from casemgmt.crosscheck import services
    from casemgmt.crosscheck.models import CrossCheckRun
    from casemgmt.models import Case

    for case_id in case_ids:
        try:
            with Session(bind, info={"audit_key": audit_key}) as session:  # the key seals the audit log
                run = session.scalar(select(CrossCheckRun).where(CrossCheckRun.case_id == case_id,
                                                                 CrossCheckRun.status == "pending"))
                if run is not None:
                    services.run_crosscheck(session, session.get(Case, case_id), trigger=run.trigger, run=run)
                    session.commit()
        except Exception:
            log.exception("background cross-check of case %s failed; it stays pending", case_id)


def install(*, background: bool = True) -> None:
    """Listen on every session (idempotent). `background`: finish big cases in a thread after the
    commit (off in tests, where `spoc crosscheck run-pending` does it)."""
    BACKGROUND["enabled"] = background
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


__all__ = ["install"]
