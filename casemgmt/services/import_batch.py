"""The file import's set-based registration (issue 25): the plain new cases of a batch written
together, in a fixed number of statements whatever the batch's size.

A row of a file is a *plain new case* when the intake would open a new case for it and write
only rows of its own: its reference is not known, it quotes no known reference or registration
number (so it is no repeat, no answer to file into an exchange, and has no possible duplicate to
suggest), it has no attachment and at most INLINE_MAX_ENTITIES entities. Such rows are
registered together, with the rows one intake a message writes (intake._register_new_case):
their numbers reserved in one update of the counter, the cases, exchanges, messages, references
and entities inserted a table at a time, the cross-check run once for all of them
(casemgmt.crosscheck.refresh.cases_registered), the audit entries recorded together. Every other
row goes through the intake itself (casemgmt.services.importing._write_row), in file order.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.crosscheck.batch import NewCase, index_new_cases
from casemgmt.crosscheck.models import CrossCheckRun, IndexedSubject
from casemgmt.crosscheck.refresh import cases_registered
from casemgmt.models import Direction, Document, ExternalReference, MessageType
from casemgmt.services import counts, search
from casemgmt.services.access_log import AREA
from casemgmt.services.dedupe import _REGISTRATION, quoted_tokens
from casemgmt.services.intake import PreparedIntake
from casemgmt.services.numbering import format_number, reserve_sequences
from portal import audit, jobs
from portal.audit import AuditAction
from portal.db import Prepared, one_of, pipelined, reserve_ids_many

IN_CHUNK = 500  # references a look-up statement
_INSERT_REFERENCES = Prepared(ExternalReference.__table__.insert())


class Plain:
    """Which rows of a batch are plain new cases (see the module's docstring), given the references
    the SPOC knows now and those the batch's earlier rows register."""

    def __init__(self, session: Session, country_code: str, items: list[PreparedIntake]):
        self.country_code = country_code
        wanted = set()
        for p in items:
            wanted |= {r for _, r in self._pairs(p)} | set(self._tokens(p))
        self.known: set[tuple[str, str]] = set()
        refs = ExternalReference.__table__
        ordered = sorted(wanted)
        conn = session.connection()
        for i in range(0, len(ordered), IN_CHUNK):  # the index on (country, reference)
            self.known |= {tuple(row) for row in conn.execute(
                select(refs.c.channel, refs.c.reference).where(refs.c.country_code == country_code,
                                                               one_of(conn, refs.c.reference,
                                                                      ordered[i:i + IN_CHUNK])))}
        self.known_refs = {r for _, r in self.known}

    @staticmethod
    def _pairs(p: PreparedIntake) -> list[tuple[str, str]]:
        """The (channel, reference) pairs the message brings: its own and those it quotes."""
        own = (p.payload.channel.value, (p.payload.external_reference or "").strip())
        return [pair for pair in [own, *((c, r.strip()) for c, r in p.quoted)] if pair[1]]

    @staticmethod
    def _tokens(p: PreparedIntake) -> list[str]:
        return quoted_tokens(f"{p.payload.subject}\n{p.payload.body}")

    def note(self, p: PreparedIntake) -> None:
        """A row registered through the intake: its references may be known from now on."""
        pairs = self._pairs(p)
        self.known |= set(pairs)
        self.known_refs |= {r for _, r in pairs}

    def check(self, p: PreparedIntake) -> bool:
        """Whether the row is a plain new case; if so, its references count as known from now on."""
        payload = p.payload
        if p.subjects is None or payload.attachments:
            return False
        pairs = self._pairs(p)
        if any(pair in self.known for pair in pairs):
            return False  # a repeat, an answer to a known exchange, a possible duplicate
        if any(r in self.known_refs for _, r in pairs) or any(t in self.known_refs for t in self._tokens(p)):
            return False  # a word of it is a reference known on some channel
        if any(n.startswith(self.country_code + "-") for n in _REGISTRATION.findall(
                f"{payload.subject}\n{payload.body}")):
            return False  # it mentions a registration number
        self.note(p)
        return True


_INSERTS: dict = {}


def _insert_all(conn, objects: list) -> None:
    """INSERT new (never added) objects' rows, their ids given (_assign_ids); a table and set of
    columns a statement run for many rows (portal.db.Prepared.insert_many: in the pipeline, sent
    without waiting). Column defaults apply as for the session."""
    by_table: dict = {}
    for obj in objects:
        by_table.setdefault(obj.__table__, []).append(obj)
    for table, rows in by_table.items():
        statement = _INSERTS.get(table)
        if statement is None:
            statement = _INSERTS[table] = Prepared(table.insert())
        groups: dict[tuple, list] = {}
        for obj in rows:
            state = obj.__dict__
            columns = tuple(c for c in table.columns if c.key in state)
            groups.setdefault(columns, []).append({c.name: state[c.key] for c in columns})
        for params in groups.values():
            statement.insert_many(conn, params)


def _assign_ids(items: list[PreparedIntake], ids: dict) -> None:
    """Each row's id (from `ids`, {table: iterator}, taken in the rows' order) and the ids it refers to."""
    for p in items:
        p.case.id = next(ids[p.case.__table__])
    for p in items:
        p.exchange.id = next(ids[p.exchange.__table__])
        p.exchange.case_id = p.case.id
    for p in items:
        p.message.id = next(ids[p.message.__table__])
        p.message.case_id, p.message.exchange_id = p.case.id, p.exchange.id
    entities = [e for p in items for e in p.entities if not isinstance(e, Document)]
    documents = [e for p in items for e in p.entities if isinstance(e, Document)]
    for p in items:
        for entity in p.entities:
            entity.case_id, entity.message_id = p.case.id, p.message.id
    for entity in (*entities, *documents):
        entity.id = next(ids[entity.__table__])
    for document in documents:
        if document.person is not None:
            document.person_id = document.person.id


def _reserve(conn, items: list[PreparedIntake]) -> dict:
    """The ids of every row the group writes, for each table, in one statement (one round trip on
    PostgreSQL instead of one a table): {table: iterator of ids}."""
    wanted: dict = {}
    for p in items:
        for obj in (p.case, p.exchange, p.message, *p.entities):
            wanted[obj.__table__] = wanted.get(obj.__table__, 0) + 1
    wanted[IndexedSubject.__table__] = sum(len(p.subjects) for p in items)
    wanted[CrossCheckRun.__table__] = len(items)
    return {table: iter(ids) for table, ids in reserve_ids_many(conn, wanted).items()}


def register_new_cases(session: Session, country_code: str, items: list[PreparedIntake], actor,
                       source: str) -> list[str]:
    """Register plain new cases (Plain.check) as the intake registers one; their numbers, in order.

    On PostgreSQL the group waits for the server a fixed number of times whatever its size (issue
    25; under load each wait costs milliseconds): the numbers, then every id in one statement, the
    cross-check's index by COPY, then the cases' rows and the cross-check's reads and runs in one
    pipeline (portal.db.pipelined)."""
    if not items:
        return []
    session.flush()  # nothing of the session's own is written inside the pipeline
    by_year: dict[int, list] = {}
    for p in items:
        by_year.setdefault(p.case.year, []).append(p.case)
    for year, cases in sorted(by_year.items()):
        first = reserve_sequences(session, country_code, year, len(cases))
        for k, case in enumerate(cases):
            case.sequence = first + k
            case.registration_number = format_number(country_code, year, case.sequence)
    conn = session.connection()
    ids = _reserve(conn, items)
    _assign_ids(items, ids)
    new_cases = [NewCase(p.case.id, p.case.registration_number, p.subjects) for p in items]
    indexed = index_new_cases(session, country_code, new_cases, ids.get(IndexedSubject.__table__))
    with pipelined(session):
        _insert_rows(conn, items)
        # the search documents and the statistics' counts as the preparation worked them out (as the intake)
        search.write_new_documents(conn, [(p.case, p.document) for p in items])
        delta = Counter()
        for p in items:
            delta.update(p.counts)
        counts.add(conn, delta)
        runs = cases_registered(session, country_code, new_cases, actor, trigger="intake", indexed=indexed,
                                run_ids=ids.get(CrossCheckRun.__table__))
    entries = []
    for p, run in zip(items, runs, strict=True):
        payload = p.payload
        entries += [dict(actor=actor, area=AREA, action=AuditAction.COLLECTION, object_type="case",
                         object_id=p.case.registration_number, country_code=country_code,
                         details={"what": f"{payload.type.value} received on {payload.channel.value}, case registered "
                                          f"({source})",
                                  "message_id": p.message.id, "channel": payload.channel.value,
                                  "reference": payload.external_reference, "entities": len(payload.entities)}),
                    run]
        if payload.urgent and payload.direction == Direction.IN and payload.type == MessageType.REQUEST:
            jobs.enqueue_after_commit(session, "casemgmt.duty_new_urgent", p.case.id)
    audit.record_many(session, entries)
    return [p.case.registration_number for p in items]


def _insert_rows(conn, items: list[PreparedIntake]) -> None:
    """The cases, exchanges, messages, references and entities (their ids given)."""
    _insert_all(conn, [p.case for p in items])
    _insert_all(conn, [p.exchange for p in items])
    _insert_all(conn, [p.message for p in items])
    references = []
    for p in items:
        pairs = [(p.payload.channel.value, p.payload.external_reference), *p.quoted]
        references += [dict(country_code=p.case.country_code, case_id=p.case.id, channel=c, reference=r)
                       for c, r in dict.fromkeys((c, r.strip()) for c, r in pairs if r and r.strip())]
    if references:
        _INSERT_REFERENCES.insert_many(conn, references)
    _insert_all(conn, [e for p in items for e in p.entities if not isinstance(e, Document)])
    _insert_all(conn, [e for p in items for e in p.entities if isinstance(e, Document)])


__all__ = ["Plain", "register_new_cases"]
