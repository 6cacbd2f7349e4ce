"""Retention: closing concludes the exchange; a review falls due after a configurable period and ends
in a recorded decision to keep (reason, next review) or to erase the personal data irreversibly."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from casemgmt.models import (
    Attachment,
    Case,
    Dissemination,
    Document,
    Message,
    Note,
    RetentionDecision,
    RetentionReview,
    Task,
)
from casemgmt.models.entities import ENTITY_MODELS
from casemgmt.services import CaseError, search
from casemgmt.services.access_log import log
from casemgmt.services.counts import keeps_counts
from casemgmt.services.settings import load_settings
from portal import files
from portal.audit import AuditAction
from portal.db import utcnow

ERASED = "[erased]"


def add_months(when: dt.datetime, months: int) -> dt.datetime:
    month = when.month - 1 + months
    year, month = when.year + month // 12, month % 12 + 1
    import calendar

    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def on_close(case: Case, now: dt.datetime, settings: dict) -> None:
    case.exchange_concluded_at = now
    case.review_due_at = add_months(now, int(settings["retention_review_months"]))


def reviews_due(session: Session, country_code: str, now: dt.datetime | None = None) -> list[Case]:
    now = now or utcnow()
    return list(session.scalars(select(Case).where(
        Case.country_code == country_code, Case.erased_at.is_(None), Case.review_due_at.is_not(None),
        Case.review_due_at <= now).order_by(Case.review_due_at)))


def count_reviews_due(session: Session, country_code: str, now: dt.datetime | None = None) -> int:
    """How many reviews are due (the dashboard): counted off the index, no case loaded."""
    from sqlalchemy import func

    now = now or utcnow()
    return session.scalar(select(func.count()).select_from(Case).where(
        Case.country_code == country_code, Case.erased_at.is_(None), Case.review_due_at.is_not(None),
        Case.review_due_at <= now)) or 0


def inactive_cases(session: Session, country_code: str, now: dt.datetime | None = None) -> list[Case]:
    """Open cases with no activity for longer than the retention period (issue 16, point 6): listed for a
    retention review although not closed (personal data are not kept only because nobody closed a case)."""

    now = now or utcnow()
    months = int(load_settings(session, country_code)["retention_review_months"])
    before = add_months(now, -months)
    return list(session.scalars(select(Case).where(
        Case.country_code == country_code, Case.is_open, Case.erased_at.is_(None),
        Case.updated_at < before).order_by(Case.updated_at).limit(500)))


def reviews_of(session: Session, case: Case) -> list[RetentionReview]:
    return list(session.scalars(select(RetentionReview).where(RetentionReview.case_id == case.id)
                                .order_by(RetentionReview.decided_at)))


def keep(session: Session, case: Case, actor, reason: str, next_review: dt.date) -> RetentionReview:
    _check_reviewable(case)
    if not reason.strip():
        raise CaseError("Say why the data are still needed.", "reason")
    today = utcnow().date()
    if next_review is None or next_review <= today or next_review > today + dt.timedelta(days=3 * 366):
        raise CaseError("Choose a next review date within the next three years.", "next_review")
    when = dt.datetime.combine(next_review, dt.time(), dt.UTC)
    review = RetentionReview(case_id=case.id, decision=RetentionDecision.KEEP, reason=reason.strip(), next_review_at=when,
                             decided_by_id=actor.id)
    session.add(review)
    case.review_due_at = when
    log(session, actor, case, AuditAction.ALTERATION, f"retention review: kept until {next_review}",
        justification=reason.strip())
    session.flush()
    return review


@keeps_counts
def erase(session: Session, case: Case, actor, reason: str, upload_folder: str) -> RetentionReview:
    """Erase the personal data of a closed case for good: entities, texts and files.

    The skeleton (number, dates, channel, counterpart, status, figures) and the log stay, so the
    statistics and the lawfulness checks still hold.
    """
    _check_reviewable(case)
    if not reason.strip():
        raise CaseError("Give the reason for the erasure.", "reason")
    counts = {}
    session.execute(delete(Document).where(Document.case_id == case.id))
    for model in ENTITY_MODELS:
        if model is not Document:
            counts[model.kind] = session.execute(delete(model).where(model.case_id == case.id)).rowcount
    for message in session.scalars(select(Message).where(Message.case_id == case.id)):
        message.subject, message.body, message.raw = ERASED, "", {}
        message.refusal_justification = ERASED if message.refusal_justification else ""
        message.channel_reason_text = ""
        message.handling_text = ""
    for note in session.scalars(select(Note).where(Note.case_id == case.id)):
        note.text = ERASED
    for task in session.scalars(select(Task).where(Task.case_id == case.id)):
        task.title = ERASED
    for item in session.scalars(select(Dissemination).where(Dissemination.case_id == case.id)):
        item.summary = ERASED
    purged = 0
    for attachment in session.scalars(select(Attachment).where(Attachment.case_id == case.id)):
        if attachment.file.purged_at is None:
            files.purge(session, upload_folder, attachment.file)
            attachment.file.original_name = ERASED
            purged += 1
    # the copies the cross-check keeps (bulk deletes above pass no session event: say it here)
    from casemgmt.crosscheck.services import forget_case

    crosscheck = forget_case(session, case)
    case.subject = ERASED
    case.handling_text = ""
    case.erased_at = utcnow()
    case.review_due_at = None
    # the search index keeps only the skeleton's words (number, references): the text is found no more
    search.reindex_case(session, case)
    review = RetentionReview(case_id=case.id, decision=RetentionDecision.ERASE, reason=reason.strip(), decided_by_id=actor.id)
    session.add(review)
    log(session, actor, case, AuditAction.ERASURE, "personal data erased (retention review)",
        justification=reason.strip(), entities=counts, attachments=purged, crosscheck=crosscheck)
    session.flush()
    return review


def _check_reviewable(case: Case) -> None:
    if case.erased_at is not None:
        raise CaseError("The personal data of this case were already erased.", "decision")
    if case.status not in ("closed", "archived") and case.merged_into_id is None:
        raise CaseError("Close the case before deciding on retention.", "decision")


def settings_months(session: Session, country_code: str) -> int:
    return int(load_settings(session, country_code)["retention_review_months"])
