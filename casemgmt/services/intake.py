"""Registering a message: a new case with its number, or a message attached to the case it belongs to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from casemgmt.crosscheck import services as crosscheck
from casemgmt.models import Case, Company, Document, Email, ExternalReference, Message, Person, Phone, Vehicle
from casemgmt.models.folder import Attachment
from casemgmt.schemas import IntakePayload, parse_date_of_birth
from casemgmt.services import CaseError
from casemgmt.services.access_log import AREA, log
from casemgmt.services.deadlines import set_deadline
from casemgmt.services.dedupe import add_references, find_known_case
from casemgmt.services.numbering import next_registration_number
from casemgmt.services.priority import refresh_priority
from casemgmt.services.settings import load_settings
from portal import audit
from portal.audit import AuditAction
from portal.db import Prepared, utcnow


@dataclass
class IntakeResult:
    case_id: int
    registration_number: str
    due_at: dt.datetime
    message_id: int
    duplicate_of: str | None  # the existing case's number when the message was attached to it
    session: Session = field(repr=False)

    @property
    def created(self) -> bool:
        return self.duplicate_of is None

    @property
    def case(self) -> Case:
        return self.session.get(Case, self.case_id)

    @property
    def message(self) -> Message:
        return self.session.get(Message, self.message_id)


@dataclass
class Uploads:
    """Where and how big attachments may be (deployment configuration)."""

    folder: str
    max_bytes: int


@dataclass
class PreparedIntake:
    """What a message's registration needs that can be worked out before the write transaction
    (with SQLite, before taking the write lock): the case as it will be registered (deadline and
    priority from the SPOC's settings), its first message and its entities, not yet in any session."""

    payload: IntakePayload
    case: Case
    message: Message
    entities: list  # Person (with its documents), Document, Vehicle, Phone, Email, Company
    subjects: list[crosscheck.IntakeSubject] | None  # for the inline cross-check (None: a big case)

    @property
    def quoted(self) -> list[tuple[str, str]]:
        return [(r.channel.value, r.reference) for r in self.payload.external_references]


def prepare_intake(session: Session, country_code: str, payload: IntakePayload, actor, *,
                   now: dt.datetime | None = None) -> PreparedIntake:
    """Read and compute everything that does not depend on the cases registered meanwhile; the
    API does it on a reading session, then registers in a short write transaction."""
    now = now or utcnow()
    settings = load_settings(session, country_code)
    p = payload
    case = Case(country_code=country_code, status="received", subject=p.subject, direction=p.direction.value,
                request_type=p.type.value, channel=p.channel.value, counterpart_country=p.counterpart_country,
                counterpart_type=p.counterpart_type.value, language=p.language, received_at=p.received_at,
                urgent=p.urgent, urgency_ground=p.urgency_ground.value if p.urgency_ground else None,
                information_access=p.information_access.value if p.information_access else None,
                crime_category=p.crime_category.lower(), paused_seconds=0, created_at=now,
                year=p.received_at.astimezone(dt.UTC).year)
    set_deadline(case, settings)
    refresh_priority(case, settings, now)
    common = dict(country_code=country_code, created_at=now)
    entities = _new_entities(p, common)
    subjects = crosscheck.prepare_subjects(entities) if len(entities) <= crosscheck.INLINE_MAX_ENTITIES else None
    return PreparedIntake(payload, case, _new_message(p, actor, country_code, now), entities, subjects)


def register_incoming_message(session: Session, country_code: str, payload: IntakePayload, actor, *,
                              uploads: Uploads | None = None, source: str = "api",
                              now: dt.datetime | None = None, prepared: PreparedIntake | None = None) -> IntakeResult:
    """Attach the message to the case it belongs to, or open a new case with the next number.

    Runs in the caller's transaction: if anything fails the caller rolls back and nothing remains.
    `prepared` (from `prepare_intake`, possibly on another session) spares the work done already.
    """
    prepared = prepared or prepare_intake(session, country_code, payload, actor, now=now)
    quoted = prepared.quoted
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
        return IntakeResult(known.id, known.registration_number, known.due_at, message.id,
                            known.registration_number, session)
    if prepared.subjects is None:
        return _register_big_case(session, prepared, actor, uploads, source)
    return _register_new_case(session, prepared, actor, uploads, source)


def _register_new_case(session: Session, prepared: PreparedIntake, actor, uploads: Uploads | None,
                       source: str) -> IntakeResult:
    """A new case and its cross-check in a few plain statements (the intake runs many times a
    second while holding SQLite's write lock; bench/intake.py): no objects pass through the
    session but the attachments'."""
    payload, case, message = prepared.payload, prepared.case, prepared.message
    case.sequence, case.registration_number = next_registration_number(session, case.country_code, case.year)
    conn = session.connection()
    case.id = _insert(conn, case)
    message.case_id = case.id
    message.id = _insert(conn, message)
    references = dict.fromkeys((c, r.strip()) for c, r in [(payload.channel.value, payload.external_reference),
                                                           *prepared.quoted] if r and r.strip())
    if references:  # none is known yet: find_known_case looked for every one of them under the same lock
        _INSERT_REFERENCES.executemany(conn, [
            dict(country_code=case.country_code, case_id=case.id, channel=c, reference=r) for c, r in references])
    for entity in prepared.entities:
        entity.case_id, entity.message_id = case.id, message.id
        if isinstance(entity, Document) and entity.person is not None:
            entity.person_id = entity.person.id
        entity.id = _insert(conn, entity)
    _add_attachments(session, case, message, payload, actor, uploads)
    combination = crosscheck.crosscheck_new_case(session, case.id, case.registration_number, case.country_code,
                                                 prepared.subjects, actor)
    audit.record_many(session, [
        dict(actor=actor, area=AREA, action=AuditAction.COLLECTION, object_type="case",
             object_id=case.registration_number, country_code=case.country_code,
             details={"what": f"{payload.type.value} received on {payload.channel.value}, case registered ({source})",
                      "message_id": message.id, "channel": payload.channel.value,
                      "reference": payload.external_reference, "entities": len(payload.entities)}),
        combination])
    return IntakeResult(case.id, case.registration_number, case.due_at, message.id, None, session)


def _register_big_case(session: Session, prepared: PreparedIntake, actor, uploads: Uploads | None,
                       source: str) -> IntakeResult:
    """A case with more entities than the inline cross-check takes: through the session, whose
    hooks index it and leave its run to the background (casemgmt.crosscheck.hooks)."""
    payload, case = prepared.payload, prepared.case
    case.sequence, case.registration_number = next_registration_number(session, case.country_code, case.year)
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
    return IntakeResult(case.id, case.registration_number, case.due_at, message.id, None, session)


_INSERT_RETURNING_ID: dict = {}
_INSERT_REFERENCES = Prepared(ExternalReference.__table__.insert())


def _insert(conn, obj) -> int:
    """INSERT one new (never added) object's row; its id. Column defaults apply as for the session."""
    table = obj.__table__
    statement = _INSERT_RETURNING_ID.get(table)
    if statement is None:
        statement = _INSERT_RETURNING_ID[table] = Prepared(table.insert().returning(table.c.id))
    state = obj.__dict__
    return statement.scalar(conn, {c.name: state[c.key] for c in table.columns if c.key in state})


def _new_message(p: IntakePayload, actor, country_code: str, now: dt.datetime, *, duplicate: bool = False,
                 case_id: int | None = None) -> Message:
    return Message(case_id=case_id, country_code=country_code, direction=p.direction.value,
                   type=p.type.value, channel=p.channel.value,
                   channel_reason=p.channel_reason.value if p.channel_reason else None,
                   channel_reason_text=p.channel_reason_text, counterpart_country=p.counterpart_country,
                   counterpart_type=p.counterpart_type.value, language=p.language, at=p.received_at,
                   external_reference=p.external_reference, subject=p.subject, body=p.body, urgent=p.urgent,
                   urgency_ground=p.urgency_ground.value if p.urgency_ground else None,
                   information_access=p.information_access.value if p.information_access else None,
                   duplicate=duplicate, raw=p.model_dump(mode="json", exclude={"attachments"}),
                   created_by_id=getattr(actor, "id", None), created_at=now)


def _new_entities(p: IntakePayload, common: dict) -> list:
    return build_entities(p.entities, common)


def build_entities(entities: list, common: dict) -> list:
    """Rows of validated entities (casemgmt.schemas.Entity), not yet in any session; a person's
    documents follow it. `common`: the columns they share (country, creation time...)."""
    out: list = []
    for entity in entities:
        raw = entity.model_dump(mode="json")
        if entity.kind == "person":
            dob, precision = parse_date_of_birth(entity.date_of_birth)
            person = Person(**common, raw=raw, surname=entity.surname, given_names=entity.given_names,
                            date_of_birth=dob, date_of_birth_precision=precision, nationality=entity.nationality,
                            category=entity.category.value, assessment=entity.assessment)
            out.append(person)
            for doc in entity.documents:
                out.append(Document(**common, raw=doc.model_dump(mode="json"), person=person, type=doc.type,
                                    number=doc.number, country=doc.country))
        elif entity.kind == "document":
            out.append(Document(**common, raw=raw, type=entity.type, number=entity.number, country=entity.country))
        elif entity.kind == "vehicle":
            out.append(Vehicle(**common, raw=raw, plate=entity.plate, country=entity.country, vin=entity.vin))
        elif entity.kind == "phone":
            out.append(Phone(**common, raw=raw, number=entity.number))
        elif entity.kind == "email":
            out.append(Email(**common, raw=raw, address=entity.address))
        elif entity.kind == "company":
            out.append(Company(**common, raw=raw, name=entity.name, country=entity.country))
    return out


def _add_message(session: Session, case: Case, p: IntakePayload, actor, *, duplicate: bool) -> Message:
    message = _new_message(p, actor, case.country_code, utcnow(), duplicate=duplicate, case_id=case.id)
    session.add(message)
    session.flush()
    return message


def _remember_references(session: Session, case: Case, p: IntakePayload) -> None:
    add_references(session, case, [(p.channel.value, p.external_reference)]
                   + [(r.channel.value, r.reference) for r in p.external_references])


def _add_entities(session: Session, case: Case, message: Message, p: IntakePayload) -> None:
    entities = _new_entities(p, dict(country_code=case.country_code))
    for entity in entities:
        entity.case_id, entity.message_id = case.id, message.id
    session.add_all(entities)
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
        # by reference: a file name may name a person, and the log outlives erasure
        log(session, actor, case, AuditAction.COLLECTION, "attachment added",
            attachment_id=attachment.id, sha256=stored.sha256)
    return attachment
