"""Reading a case folder: loading by number, its entities, its attachments."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.models import Attachment, Case, Note, Task
from casemgmt.models.entities import ENTITY_MODELS


def case_by_number(session: Session, registration_number: str) -> Case | None:
    return session.scalar(select(Case).where(Case.registration_number == (registration_number or "").upper()))


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
