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

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.crosscheck.batch import NewCase
from casemgmt.crosscheck.refresh import cases_registered
from casemgmt.models import Direction, Document, ExternalReference, MessageType
from casemgmt.services import counts, search
from casemgmt.services.access_log import AREA
from casemgmt.services.dedupe import _REGISTRATION, quoted_tokens
from casemgmt.services.intake import PreparedIntake
from casemgmt.services.numbering import format_number, reserve_sequences
from portal import audit, jobs
from portal.audit import AuditAction
from portal.db import Prepared, one_of, reserve_ids

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
    """INSERT new (never added) objects' rows, their ids taken first (portal.db.reserve_ids, in the
    objects' order) and given to them; a table and set of columns a statement run for many rows
    (portal.db.Prepared.insert_many: one COPY on PostgreSQL). Column defaults apply as for the session."""
    by_table: dict = {}
    for obj in objects:
        by_table.setdefault(obj.__table__, []).append(obj)
    for table, rows in by_table.items():
        for obj, new_id in zip(rows, reserve_ids(conn, table, len(rows)), strict=True):
            obj.id = new_id
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


def register_new_cases(session: Session, country_code: str, items: list[PreparedIntake], actor,
                       source: str) -> list[str]:
    """Register plain new cases (Plain.check) as the intake registers one; their numbers, in order."""
    if not items:
        return []
    by_year: dict[int, list] = {}
    for p in items:
        by_year.setdefault(p.case.year, []).append(p.case)
    for year, cases in sorted(by_year.items()):
        first = reserve_sequences(session, country_code, year, len(cases))
        for k, case in enumerate(cases):
            case.sequence = first + k
            case.registration_number = format_number(country_code, year, case.sequence)
    conn = session.connection()
    _insert_all(conn, [p.case for p in items])
    for p in items:
        p.exchange.case_id = p.case.id
    _insert_all(conn, [p.exchange for p in items])
    for p in items:
        p.message.case_id, p.message.exchange_id = p.case.id, p.exchange.id
    _insert_all(conn, [p.message for p in items])
    references = []
    for p in items:
        pairs = [(p.payload.channel.value, p.payload.external_reference), *p.quoted]
        references += [dict(country_code=country_code, case_id=p.case.id, channel=c, reference=r)
                       for c, r in dict.fromkeys((c, r.strip()) for c, r in pairs if r and r.strip())]
    if references:
        _INSERT_REFERENCES.insert_many(conn, references)
    for p in items:
        for entity in p.entities:
            entity.case_id, entity.message_id = p.case.id, p.message.id
    _insert_all(conn, [e for p in items for e in p.entities if not isinstance(e, Document)])
    documents = [e for p in items for e in p.entities if isinstance(e, Document)]
    for document in documents:
        if document.person is not None:
            document.person_id = document.person.id
    _insert_all(conn, documents)
    search.index_new_cases(session, [(p.case, p.message, [r for _, r in p.quoted], p.entities) for p in items])
    counts.count_new_cases(session, [(p.case, [p.exchange]) for p in items])  # the statistics' counts
    runs = cases_registered(session, country_code, [
        NewCase(p.case.id, p.case.registration_number, p.subjects) for p in items], actor, trigger="intake")
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


__all__ = ["Plain", "register_new_cases"]
