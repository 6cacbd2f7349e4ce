"""The administrator's side of the task queue: failed jobs, retried or dropped (audit-logged)."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal import audit
from portal.jobs.models import JobFailure


def failures(session: Session) -> list[JobFailure]:
    return list(session.scalars(select(JobFailure).order_by(JobFailure.failed_at.desc(), JobFailure.id.desc())))


def pending_mail(session: Session) -> int:
    from portal.mail import OutboxMessage

    return session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))) or 0


def _log(session: Session, actor, failure: JobFailure, what: str) -> None:
    audit.record(session, actor=actor, area="jobs", action=audit.AuditAction.ADMIN, object_type="job_failure",
                 object_id=failure.id, details={"what": what, "kind": failure.kind, "args": failure.args,
                                                "attempts": failure.attempts, "last_error": failure.last_error[:500]})


def retry(session: Session, failure: JobFailure, actor) -> tuple[str, list]:
    """Forget the failure and say what to enqueue again after the commit: (kind, args). Mail gets a
    fresh count of attempts, so the worker's sweep tries it again too."""
    if failure.kind == "mail.send" and failure.args:
        from portal.mail import OutboxMessage

        ids = [int(i) for i in (failure.args[0] or [])]
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.sent_at.is_(None))
                        .values(attempts=0))
    _log(session, actor, failure, "retry")
    kind, args = failure.kind, list(failure.args)
    session.delete(failure)
    return kind, args


def drop(session: Session, failure: JobFailure, actor) -> None:
    """Forget the failure for good (the job is not run again)."""
    _log(session, actor, failure, "drop")
    session.delete(failure)
