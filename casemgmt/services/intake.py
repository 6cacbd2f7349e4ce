"""Registering a message: a new case with its number, or a message attached to the case it belongs to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from casemgmt.models import Case, Company, Document, Email, Message, Person, Phone, Vehicle
from casemgmt.models.folder import Attachment
from casemgmt.schemas import IntakePayload, parse_date_of_birth
from casemgmt.services import CaseError
from casemgmt.services.access_log import log
from casemgmt.services.deadlines import set_deadline
from casemgmt.services.dedupe import add_references, find_known_case
from casemgmt.services.numbering import next_registration_number
from casemgmt.services.priority import refresh_priority
from casemgmt.services.settings import load_settings
from portal.audit import AuditAction
from portal.db import utcnow


@dataclass
class IntakeResult:
    case: Case
    message: Message
    duplicate_of: str | None  # the existing case's number when the message was attached to it

    @property
    def created(self) -> bool:
        return self.duplicate_of is None


@dataclass
class Uploads:
    """Where and how big attachments may be (deployment configuration)."""

    folder: str
    max_bytes: int


def register_incoming_message(session: Session, country_code: str, payload: IntakePayload, actor, *,
                              uploads: Uploads | None = None, source: str = "api",
                              now: dt.datetime | None = None) -> IntakeResult:
    """Attach the message to the case it belongs to, or open a new case with the next number.

    Runs in the caller's transaction: if anything fails the caller rolls back and nothing remains.
    """
    now = now or utcnow()
    settings = load_settings(session, country_code)
    quoted = [(r.channel.value, r.reference) for r in payload.external_references]
    known = find_known_case(session, country_code, payload.channel.value, payload.external_reference, quoted,
                            f"{payload.subject}\n{payload.body}")
    if known is not None:
        message = _add_message(session, known, payload, actor, duplicate=True)
        _remember_references(session, known, payload)
        _add_entities(session, known, message, payload)
        _add_attachments(session, known, message, payload, actor, uploads)
        log(session, actor, known, AuditAction.COLLECTION,
            f"{payload.type.value} received on {payload.channel.value}, attached to the known case ({source})",
            message_id=message.id, channel=payload.channel.value, reference=payload.external_reference,
            entities=len(payload.entities))
        return IntakeResult(known, message, known.registration_number)

    year = payload.received_at.astimezone(dt.UTC).year
    sequence, number = next_registration_number(session, country_code, year)
    case = Case(country_code=country_code, registration_number=number, year=year, sequence=sequence,
                status="received", subject=payload.subject, direction=payload.direction.value,
                request_type=payload.type.value, channel=payload.channel.value,
                counterpart_country=payload.counterpart_country, counterpart_type=payload.counterpart_type.value,
                language=payload.language, received_at=payload.received_at, urgent=payload.urgent,
                urgency_ground=payload.urgency_ground.value if payload.urgency_ground else None,
                information_access=payload.information_access.value if payload.information_access else None,
                crime_category=payload.crime_category.lower(), paused_seconds=0, created_at=now)
    set_deadline(case, settings)
    refresh_priority(case, settings, now)
    session.add(case)
    session.flush()
    message = _add_message(session, case, payload, actor, duplicate=False)
    _remember_references(session, case, payload)
    _add_entities(session, case, message, payload)
    _add_attachments(session, case, message, payload, actor, uploads)
    log(session, actor, case, AuditAction.COLLECTION,
        f"{payload.type.value} received on {payload.channel.value}, case registered ({source})",
        message_id=message.id, channel=payload.channel.value, reference=payload.external_reference,
        entities=len(payload.entities))
    return IntakeResult(case, message, None)


def _add_message(session: Session, case: Case, p: IntakePayload, actor, *, duplicate: bool) -> Message:
    raw = p.model_dump(mode="json", exclude={"attachments"})
    message = Message(case_id=case.id, country_code=case.country_code, direction=p.direction.value,
                      type=p.type.value, channel=p.channel.value,
                      channel_reason=p.channel_reason.value if p.channel_reason else None,
                      channel_reason_text=p.channel_reason_text, counterpart_country=p.counterpart_country,
                      counterpart_type=p.counterpart_type.value, language=p.language, at=p.received_at,
                      external_reference=p.external_reference, subject=p.subject, body=p.body, urgent=p.urgent,
                      urgency_ground=p.urgency_ground.value if p.urgency_ground else None,
                      information_access=p.information_access.value if p.information_access else None,
                      duplicate=duplicate, raw=raw, created_by_id=getattr(actor, "id", None))
    session.add(message)
    session.flush()
    return message


def _remember_references(session: Session, case: Case, p: IntakePayload) -> None:
    add_references(session, case, [(p.channel.value, p.external_reference)]
                   + [(r.channel.value, r.reference) for r in p.external_references])


def _add_entities(session: Session, case: Case, message: Message, p: IntakePayload) -> None:
    common = dict(case_id=case.id, message_id=message.id, country_code=case.country_code)
    for entity in p.entities:
        raw = entity.model_dump(mode="json")
        if entity.kind == "person":
            dob, precision = parse_date_of_birth(entity.date_of_birth)
            person = Person(**common, raw=raw, surname=entity.surname, given_names=entity.given_names,
                            date_of_birth=dob, date_of_birth_precision=precision, nationality=entity.nationality,
                            category=entity.category.value, assessment=entity.assessment)
            session.add(person)
            for doc in entity.documents:
                session.add(Document(**common, raw=doc.model_dump(mode="json"), person=person, type=doc.type,
                                     number=doc.number, country=doc.country))
        elif entity.kind == "document":
            session.add(Document(**common, raw=raw, type=entity.type, number=entity.number, country=entity.country))
        elif entity.kind == "vehicle":
            session.add(Vehicle(**common, raw=raw, plate=entity.plate, country=entity.country, vin=entity.vin))
        elif entity.kind == "phone":
            session.add(Phone(**common, raw=raw, number=entity.number))
        elif entity.kind == "email":
            session.add(Email(**common, raw=raw, address=entity.address))
        elif entity.kind == "company":
            session.add(Company(**common, raw=raw, name=entity.name, country=entity.country))
    session.flush()


def _add_attachments(session: Session, case: Case, message: Message, p: IntakePayload, actor,
                     uploads: Uploads | None) -> None:
    from portal.files import UploadError

    for i, att in enumerate(p.attachments):
        if uploads is None:
            raise CaseError("Attachments cannot be stored here.", f"attachments.{i}")
        try:
            attach_file(session, case, att.content(), att.filename, actor, uploads, message=message, log_it=False)
        except UploadError as exc:
            raise CaseError(str(exc), f"attachments.{i}") from None


def attach_file(session: Session, case: Case, data: bytes, filename: str, actor, uploads: Uploads, *,
                message: Message | None = None, log_it: bool = True) -> Attachment:
    """Store a file once by its SHA-256 (size limit, type sniffed) and put it in the case folder."""
    from portal.files import store_upload

    stored = store_upload(session, uploads.folder, data, filename, max_bytes=uploads.max_bytes, user=actor)
    attachment = Attachment(case_id=case.id, message_id=message.id if message else None, file_id=stored.id)
    session.add(attachment)
    session.flush()
    if log_it:
        log(session, actor, case, AuditAction.COLLECTION, f"attachment {stored.original_name} added",
            attachment_id=attachment.id, sha256=stored.sha256)
    return attachment
