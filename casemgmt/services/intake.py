"""Registering a message: a new case with its number, or a message attached to the case it belongs to."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from casemgmt.crosscheck import services as crosscheck
from casemgmt.crosscheck.refresh import entities_changed
from casemgmt.models import (
    Case,
    Direction,
    Document,
    Exchange,
    ExternalReference,
    Message,
    MessageType,
)
from casemgmt.models.folder import Attachment
from casemgmt.schemas import IntakePayload
from casemgmt.services import CaseError, counts, scans, search
from casemgmt.services.access_log import AREA, log
from casemgmt.services.counts import counting
from casemgmt.services.deadlines import set_deadline
from casemgmt.services.dedupe import (
    add_references,
    answer_target,
    case_with_reference,
    exact_repeat,
    quoted_cases,
    suggestions,
    unknown_references,
)
from casemgmt.services.frameworks import (
    clock_for,
)
from casemgmt.services.intake_rows import (
    build_entities,
    exchange_type,
    insert_new_case_pg,
    insert_row,
    legacy_counterpart_type,
    new_message,
    resolve_counterpart_and_framework,
)
from casemgmt.services.numbering import (
    begin_numbering,
    next_registration_number,
    number_with_document,
    read_number,
)
from casemgmt.services.priority import refresh_priority
from casemgmt.services.settings import load_settings
from portal import audit, jobs
from portal.audit import AuditAction
from portal.db import Prepared, new_object, pipelined, utcnow


@dataclass
class IntakeResult:
    case_id: int
    registration_number: str
    due_at: dt.datetime | None  # the exchange's Art. 5(1) deadline (None: no legal clock)
    message_id: int
    duplicate_of: str | None  # an exact repeat: the case that holds the message already
    session: Session = field(repr=False)
    exchange: str | None = None  # CC-YYYY-NNNNNN/n
    legal_framework: str | None = None
    attached_to: str | None = None  # an answer filed into the open exchange it quotes
    possible_duplicates: list = field(default_factory=list)

    @property
    def created(self) -> bool:
        return self.duplicate_of is None and self.attached_to is None

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
    # intake with nobody to ask (file import of messages taken from a mailbox or another system): a scanned
    # PDF is stored and held for an officer's confirmation (casemgmt.services.scans) instead of refused
    unattended: bool = False


@dataclass
class PreparedIntake:
    """What a message's registration needs that can be worked out before the write transaction
    (with SQLite, before taking the write lock): the case as it will be registered (deadline and
    priority from the SPOC's settings), its first message and its entities, not yet in any session."""

    payload: IntakePayload
    case: Case
    exchange: Exchange
    message: Message
    entities: list  # Person (with its documents), Document, Vehicle, Phone, Email, Company
    subjects: list[crosscheck.IntakeSubject] | None  # for the inline cross-check (None: a big case)
    document: tuple = ((), {})  # its search document but for the number (search.document_parts)
    counts: Counter = field(default_factory=Counter)  # what it adds to the statistics' counts

    @property
    def quoted(self) -> list[tuple[str, str]]:
        return [(r.channel.value, r.reference) for r in self.payload.external_references]


def prepare_intake(session: Session, country_code: str, payload: IntakePayload, actor, *,
                   now: dt.datetime | None = None, settings: dict | None = None) -> PreparedIntake:
    """Read and compute everything that does not depend on the cases registered meanwhile; the
    API does it on a reading session, then registers in a short write transaction. `settings`:
    the SPOC's (load_settings), when the caller read them for many messages (the file import)."""
    now = now or utcnow()
    settings = settings if settings is not None else load_settings(session, country_code)
    p = payload
    counterpart, framework = resolve_counterpart_and_framework(session, country_code, p)
    limit, due, target = clock_for(framework, p.type.value, p.received_at, p.urgent,
                                   p.information_access.value if p.information_access else None, settings)
    in_request = p.direction == Direction.IN and p.type == MessageType.REQUEST
    waits = p.direction == Direction.OUT and p.type == MessageType.REQUEST  # on the partner's answer
    case = new_object(Case, country_code=country_code, status="awaiting_partner" if waits else "received", subject=p.subject, direction=p.direction.value,
                request_type=p.type.value, channel=p.channel.value, counterpart_country=counterpart.country,
                counterpart_type=legacy_counterpart_type(counterpart), language=p.language,
                received_at=p.received_at, urgent=p.urgent,
                urgency_ground=p.urgency_ground.value if p.urgency_ground else None,
                information_access=p.information_access.value if p.information_access else None,
                crime_category=p.crime_category.lower(), paused_seconds=0, created_at=now,
                year=p.received_at.astimezone(dt.UTC).year, legal_framework=framework,
                legal_clock=due is not None and in_request)
    set_deadline(case, settings)
    if not case.legal_clock and due is not None:
        case.due_at = due  # an outgoing request: the partner's deadline, to chase
    refresh_priority(case, settings, now)
    exchange = new_object(Exchange, country_code=country_code, number=1, direction=p.direction.value, type=exchange_type(p),
                        legal_framework=framework, counterpart_kind=counterpart.kind,
                        counterpart_country=counterpart.country, counterpart_name=counterpart.name,
                        channel=p.channel.value, channel_reason=p.channel_reason.value if p.channel_reason else None,
                        language=p.language, received_at=p.received_at, urgent=p.urgent,
                        urgency_ground=case.urgency_ground, information_access=case.information_access,
                        limit_hours=limit, due_at=due, target_at=target, paused_seconds=0,
                        state="awaiting_partner" if p.direction == Direction.OUT and p.type == MessageType.REQUEST
                        else "open", possible_duplicates=[], created_at=now)
    common = dict(country_code=country_code, created_at=now)
    entities = _new_entities(p, common)
    subjects = crosscheck.prepare_subjects(entities) if len(entities) <= crosscheck.INLINE_MAX_ENTITIES else None
    message = new_message(p, actor, country_code, now)
    document = search.document_parts(case, [message], [], [r.reference for r in p.external_references], entities)
    return PreparedIntake(payload, case, exchange, message, entities, subjects, document,
                          counts.new_cases_delta([(case, [exchange])]))


def register_incoming_message(session: Session, country_code: str, payload: IntakePayload, actor, *,
                              uploads: Uploads | None = None, source: str = "api",
                              now: dt.datetime | None = None, prepared: PreparedIntake | None = None) -> IntakeResult:
    """Attach the message to the case it belongs to, or open a new case with the next number.

    Runs in the caller's transaction: if anything fails the caller rolls back and nothing remains.
    `prepared` (from `prepare_intake`, possibly on another session) spares the work done already.
    """
    prepared = prepared or prepare_intake(session, country_code, payload, actor, now=now)
    quoted = prepared.quoted
    p = payload
    # 1. the exact same message again (same channel and reference, direction and type): recognised
    own = case_with_reference(session, country_code, p.channel.value, p.external_reference)
    repeat = exact_repeat(session, own, p.channel.value, p.external_reference, p.direction.value, p.type.value)
    if repeat is not None:
        known, exchange = repeat
        with counting(session, known):
            message = _add_message(session, known, payload, actor, duplicate=True, exchange=exchange)
        search.reindex_case(session, known)
        log(session, actor, known, AuditAction.COLLECTION,
            f"{p.type.value} received again on {p.channel.value}: an exact repeat ({source})",
            message_id=message.id, channel=p.channel.value, reference=p.external_reference)
        return IntakeResult(known.id, known.registration_number, exchange.due_at if exchange else None, message.id,
                            known.registration_number, session,
                            exchange=exchange.reference if exchange else None,
                            legal_framework=exchange.legal_framework if exchange else None)
    text = f"{p.subject}\n{p.body}"
    candidates = quoted_cases(session, country_code, p.channel.value, p.external_reference, quoted, text,
                              own_case_id=own)
    # 2. an answer quoting an open exchange's reference is filed into that exchange
    if not p.type.opens_exchange:
        target = answer_target(session, candidates, p.type.value, p.direction.value)
        if target is not None:
            with counting(session, target[0]):
                return _file_answer(session, target, prepared, actor, uploads, source)
    # 3. anything else is new: its own case and clock, with the known ones it quotes as suggestions
    prepared.exchange.possible_duplicates = suggestions(session, candidates)
    if prepared.subjects is None:
        result = _register_big_case(session, prepared, actor, uploads, source)
        counts.add(session, prepared.counts)  # the statistics' counts (casemgmt.services.counts)
    else:
        result = _register_new_case(session, prepared, actor, uploads, source)  # the counts with its last statements
    result.possible_duplicates = prepared.exchange.possible_duplicates
    if p.urgent and p.direction == Direction.IN and p.type == MessageType.REQUEST:
        # 24/7 duty (casemgmt.services.duty): the officers on duty hear of it at once, after the commit
        jobs.enqueue_after_commit(session, "casemgmt.duty_new_urgent", result.case_id)
    return result


def _file_answer(session: Session, target: tuple, prepared: PreparedIntake, actor, uploads: Uploads | None,
                 source: str) -> IntakeResult:
    from casemgmt.services.exchanges import apply_message

    known, exchange = target
    payload = prepared.payload
    message = _add_message(session, known, payload, actor, duplicate=False, exchange=exchange)
    _remember_references(session, known, payload)
    _add_entities(session, known, message, payload)
    _add_attachments(session, known, message, payload, actor, uploads)
    apply_message(known, exchange, message)
    search.reindex_case(session, known)
    log(session, actor, known, AuditAction.COLLECTION,
        f"{payload.type.value} received on {payload.channel.value}, filed into {exchange.reference} ({source})",
        message_id=message.id, channel=payload.channel.value, reference=payload.external_reference,
        entities=len(payload.entities))
    session.flush()
    return IntakeResult(known.id, known.registration_number, exchange.due_at, message.id, None, session,
                        exchange=exchange.reference, legal_framework=exchange.legal_framework,
                        attached_to=exchange.reference)


def _register_new_case(session: Session, prepared: PreparedIntake, actor, uploads: Uploads | None,
                       source: str) -> IntakeResult:
    """A new case and its cross-check in a few plain statements (the intake runs many times a
    second while holding SQLite's write lock; bench/intake.py): no objects pass through the
    session but the attachments'."""
    payload, case, message = prepared.payload, prepared.case, prepared.message
    begin_numbering(session, case)  # PostgreSQL: a provisional number until number_with_document
    conn = session.connection()
    exchange = prepared.exchange
    references = dict.fromkeys((c, r.strip()) for c, r in [(payload.channel.value, payload.external_reference),
                                                           *prepared.quoted] if r and r.strip())
    if references and exchange.possible_duplicates:  # a new request quoting known references keeps them there
        references = dict.fromkeys(unknown_references(session, case.country_code, list(references)))
    # none of the references is known: quoted_cases looked for every one of them under the same lock
    if conn.dialect.name == "postgresql":
        insert_new_case_pg(conn, case, exchange, message, [
            dict(country_code=case.country_code, channel=c, reference=r) for c, r in references], prepared.entities)
    else:
        case.id = insert_row(conn, case)
        exchange.case_id = case.id
        exchange.id = insert_row(conn, exchange)
        message.case_id, message.exchange_id = case.id, exchange.id
        message.id = insert_row(conn, message)
        if references:
            _INSERT_REFERENCES.executemany(conn, [
                dict(country_code=case.country_code, case_id=case.id, channel=c, reference=r) for c, r in references])
        for entity in prepared.entities:
            entity.case_id, entity.message_id = case.id, message.id
            if isinstance(entity, Document) and entity.person is not None:
                entity.person_id = entity.person.id
            entity.id = insert_row(conn, entity)
    _add_attachments(session, case, message, payload, actor, uploads)
    run = crosscheck.search_new_case(session, case.id, case.country_code, prepared.subjects, actor)
    registered = dict(actor=actor, area=AREA, action=AuditAction.COLLECTION, object_type="case",
                      country_code=case.country_code,
                      details={"what": f"{payload.type.value} received on {payload.channel.value}, case registered "
                                       f"({source})", "message_id": message.id, "channel": payload.channel.value,
                               "reference": payload.external_reference, "entities": len(payload.entities)})
    _write_tail(session, prepared, run, registered)
    return IntakeResult(case.id, case.registration_number, exchange.due_at, message.id, None, session,
                        exchange=f"{case.registration_number}/1", legal_framework=exchange.legal_framework)


def _write_tail(session: Session, prepared: PreparedIntake, run, registered: dict) -> None:
    """A new case's last statements: its number (PostgreSQL), search document, cross-check run, audit
    entries and counts."""
    case, conn = prepared.case, session.connection()
    # the rows every intake updates (the counter, the audit chain's head, the counts) come last, each
    # locked from here to the commit: concurrent intakes wait for that commit, not for all of this work
    if conn.dialect.name != "postgresql":  # SQLite: numbered at the start, under the write lock
        combination = crosscheck.write_run(session, run, case.registration_number)
        search.write_new_documents(conn, [(case, prepared.document)])
        audit.record_many(session, [{**registered, "object_id": case.registration_number}, combination])
        counts.add(session, prepared.counts)  # the statistics' counts (casemgmt.services.counts)
    else:
        # PostgreSQL: two round trips in a pipeline (portal.db.prepared.pipelined), all on the driver's
        # cursor. The first sends the run, the number with the search document, and the audit chain head's
        # numbers, and waits once; the second the hits, the audit entries and the statistics' counts.
        # The counter's row, locked until the commit, so waits two round trips (it waited four).
        with pipelined(session):
            queued_run = run.queue(conn)
            queued_number = number_with_document(session, case, prepared.document)
            reserved = audit.reserve(session, 2)
            run_id = queued_run.fetchone()[0]
            queued_run.close()
            read_number(session, case, queued_number)
            combination = run.finish(conn, run_id, case.registration_number)
            audit.record_many(session, [{**registered, "object_id": case.registration_number}, combination],
                              reserved=reserved)
            counts.add(session, prepared.counts)


def _register_big_case(session: Session, prepared: PreparedIntake, actor, uploads: Uploads | None,
                       source: str) -> IntakeResult:
    """A case with more entities than the inline cross-check takes: through the session; the
    cross-check indexes it and leaves its run to the background (casemgmt.crosscheck.refresh)."""
    payload, case = prepared.payload, prepared.case
    case.sequence, case.registration_number = next_registration_number(session, case.country_code, case.year)
    session.add(case)
    session.flush()
    exchange = prepared.exchange
    exchange.case_id = case.id
    session.add(exchange)
    session.flush()
    message = _add_message(session, case, payload, actor, duplicate=False, exchange=exchange)
    _remember_references(session, case, payload)
    _add_entities(session, case, message, payload)
    _add_attachments(session, case, message, payload, actor, uploads)
    search.reindex_case(session, case)
    log(session, actor, case, AuditAction.COLLECTION,
        f"{payload.type.value} received on {payload.channel.value}, case registered ({source})",
        message_id=message.id, channel=payload.channel.value, reference=payload.external_reference,
        entities=len(payload.entities))
    entities_changed(session, case, actor, trigger="intake")
    return IntakeResult(case.id, case.registration_number, exchange.due_at, message.id, None, session,
                        exchange=f"{case.registration_number}/1", legal_framework=exchange.legal_framework)


_INSERT_REFERENCES = Prepared(ExternalReference.__table__.insert())


def _new_entities(p: IntakePayload, common: dict) -> list:
    return build_entities(p.entities, common)


def _add_message(session: Session, case: Case, p: IntakePayload, actor, *, duplicate: bool,
                 exchange: Exchange | None = None) -> Message:
    message = new_message(p, actor, case.country_code, utcnow(), duplicate=duplicate, case_id=case.id,
                           exchange_id=exchange.id if exchange is not None else None)
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
    from portal.files import ScanNotConfirmed, UploadError

    for i, att in enumerate(p.attachments):
        if uploads is None:
            raise CaseError("Attachments cannot be stored here.", f"attachments.{i}")
        try:
            attach_file(session, case, att.content(), att.filename, actor, uploads, message=message, log_it=False,
                        scan_confirmed=att.scan_confirmed)
        except ScanNotConfirmed:
            raise CaseError(scans.API_NOTE, f"attachments.{i}.scan_confirmed") from None
        except UploadError as exc:
            raise CaseError(exc.message, f"attachments.{i}", **exc.params) from None


def attach_file(session: Session, case: Case, data: bytes, filename: str, actor, uploads: Uploads, *,
                message: Message | None = None, log_it: bool = True, scan_confirmed: bool = False) -> Attachment:
    """Store a file once by its SHA-256 (size limit, type sniffed, EU classified markings refused) and put it
    in the case folder. A PDF without a text layer needs `scan_confirmed` (portal.files.ScanNotConfirmed),
    except in unattended intake (the API's intake, `spoc cases import`), where it is held for an officer
    unless the sender confirmed it (casemgmt.services.scans)."""
    from portal.files import store_upload
    from portal.markings import needs_scan_confirmation

    stored = store_upload(session, uploads.folder, data, filename, max_bytes=uploads.max_bytes, user=actor,
                          scan_confirmed=None if uploads.unattended else bool(scan_confirmed))
    attachment = Attachment(case_id=case.id, message_id=message.id if message else None, file_id=stored.id)
    session.add(attachment)
    session.flush()
    if log_it:
        # by reference: a file name may name a person, and the log outlives erasure
        log(session, actor, case, AuditAction.COLLECTION, "attachment added",
            attachment_id=attachment.id, sha256=stored.sha256)
    if uploads.unattended and not scan_confirmed and needs_scan_confirmation(data):
        scans.hold(session, case, attachment, actor)
    return attachment
