"""Reading a case folder: loading by number (and authorising), its entities, its attachments."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.models import Attachment, Case, Note, Task
from casemgmt.models.entities import ENTITY_MODELS
from portal import policy


def case_by_number(session: Session, registration_number: str) -> Case | None:
    return session.scalar(select(Case).where(Case.registration_number == (registration_number or "").upper()))


def authorised_case(session: Session, user, registration_number: str, *, handle: bool = False) -> Case | None:
    """The one load-and-authorise of a case, for the pages and the API alike: the case with this number
    when `user` may read it (with `handle`: may change it, portal.policy.can_handle_case); None for a
    missing case and for one the user may not see, which both answer 404."""
    case = case_by_number(session, registration_number)
    if case is None:
        return None
    allowed = policy.can_handle_case if handle else policy.can_view_case
    return case if allowed(user, case) else None


def entities_of(session: Session, case: Case) -> list:
    out: list = []
    for model in ENTITY_MODELS:
        out.extend(session.scalars(select(model).where(model.case_id == case.id).order_by(model.id)))
    return out


def attachments_of(session: Session, case: Case) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)))


def notes_of(session: Session, case: Case) -> list[Note]:
    return list(session.scalars(select(Note).where(Note.case_id == case.id).order_by(Note.created_at)))


def tasks_of(session: Session, case: Case) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.case_id == case.id).order_by(Task.status.desc(), Task.id)))
