"""File import (`spoc cases import`): JSON (a list of intake payloads) or CSV (one message a row).

Every row is validated by the same model as the API. The rows are written in batches (issue 25):
a transaction of at most `batch_size` rows, ended sooner when it has held the write locks
`batch_seconds` (0.2 s; SQLite's write lock, PostgreSQL's locks on the case counter and the audit
chain head), so an officer's intake beside an import waits a fraction of a second, not the whole
import; the audit entries of a batch are appended together at its end. A batch's plain new cases
(casemgmt.services.import_batch: most rows of a SPOC's first import) are registered together, a
table at a time, in a savepoint; any other row (a repeat, an answer, a possible duplicate, an
attachment, a big case) goes through the intake in its own savepoint, so a row that fails is not
half-saved and does not stop the others. Both write the same rows.
A committed batch stays: an interrupted import is run again and skips what it registered.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casemgmt.models import ExternalReference
from casemgmt.schemas import validate_intake
from casemgmt.services import CaseError
from casemgmt.services.dedupe import case_with_reference, exact_repeat
from casemgmt.services.import_batch import Plain, register_new_cases
from casemgmt.services.intake import Uploads, prepare_intake, register_incoming_message
from casemgmt.services.settings import load_settings
from portal import audit
from portal.db import DRIVER_INTEGRITY_ERRORS, one_of, yielding_writer

BATCH_SIZE = 500  # rows a transaction at most
BATCH_SECONDS = 0.2  # ... and the longest a transaction holds the write locks
ANALYZE_FIRST = 2000  # rows registered before the tables' statistics are first refreshed (then at each doubling)
# SQLite: after each commit the import stands back this long, so that a writer polling for the lock
# (portal.db._begin_immediate: every 5 ms at most) gets it before the next batch does
SQLITE_GAP_SECONDS = 0.01


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    attached: list[tuple[int, str]] = field(default_factory=list)  # (row, existing number)
    rejected: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row, {field: reason})
    skipped: list[int] = field(default_factory=list)  # rows registered before (an earlier run of the import)
    transactions: int = 0

    @property
    def total(self) -> int:
        return len(self.created) + len(self.attached) + len(self.rejected) + len(self.skipped)


def import_rows(session: Session, country_code: str, rows: list, actor, uploads: Uploads | None = None, *,
                read_session: Session | None = None, batch_size: int = BATCH_SIZE,
                batch_seconds: float = BATCH_SECONDS, progress: Callable[[int], None] | None = None,
                set_based: bool = True) -> ImportReport:
    """Validate and register the rows, each in its own savepoint, committing `session` after each
    batch. What a registration reads first (settings, the frameworks' countries) is worked out for
    a batch on `read_session` before the batch's write transaction, as the API does.

    A row whose message is registered already (the exact-repeat rule: same channel and reference,
    direction and type; casemgmt.services.dedupe.exact_repeat) by anything before this run, such
    as an interrupted run of the same file, is skipped: nothing is written for it. A row repeating
    an earlier row of the same file is registered as the intake would (attached to its case).
    `progress(n)` is told each time n more rows are done. `set_based` false: every row through the
    intake one by one, as before (the reference of bench/import.py, and of the tests that compare)."""
    report = ImportReport()
    reader = read_session if read_session is not None else session
    this_run: set[tuple] = set()  # the messages registered by this run
    pace = _Pace()
    numbered = list(enumerate(rows, start=1))
    step = max(1, batch_size)
    chunks = [numbered[i:i + step] for i in range(0, len(numbered), step)]

    def prepare(chunk: list) -> tuple[list, list, set]:
        return _prepare(reader, country_code, chunk, actor, commit=read_session is not None)

    # with a session of its own to read on, the next batch is checked and prepared (mostly Python
    # work) while this one is written (mostly waiting for the database)
    ahead = ThreadPoolExecutor(1, thread_name_prefix="import-prepare") if read_session is not None else None
    # the file's rows (and whatever the process held before) set aside from the garbage collector:
    # its full collections, set off by the objects each batch makes, would walk them all again and
    # again (a collection's cost, and so a row's, grew with the file)
    gc.freeze()
    # SQLite: once a batch has committed, an officer's intake waiting for the write lock goes first
    try:
        with yielding_writer():
            following = ahead.submit(prepare, chunks[0]) if ahead and chunks else None
            for k, chunk in enumerate(chunks):
                if ahead:
                    ready, rejected, known = following.result()
                    following = ahead.submit(prepare, chunks[k + 1]) if k + 1 < len(chunks) else None
                else:
                    ready, rejected, known = prepare(chunk)
                report.rejected.extend(rejected)
                if progress and rejected:
                    progress(len(rejected))
                _write_batch(session, country_code, ready, actor, uploads, report, this_run, known, batch_seconds,
                             progress, set_based, pace)
                if pace.statistics_due(len(report.created) + len(report.attached)):
                    _analyze(session)
    finally:
        if ahead:
            ahead.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
    report.rejected.sort(key=lambda r: r[0])
    return report


def _prepare(reader: Session, country_code: str, chunk: list, actor, *, commit: bool) -> tuple[list, list, set]:
    """A batch validated and prepared on `reader`: (ready rows, rejected rows, known references)."""
    ready, rejected = [], []
    settings = load_settings(reader, country_code)  # once a batch: a change of settings applies to the next
    for number, data in chunk:
        payload, errors = validate_intake(data)
        if payload is None:
            rejected.append((number, errors))
            continue
        try:
            ready.append((number, payload, prepare_intake(reader, country_code, payload, actor, settings=settings)))
        except CaseError as exc:
            rejected.append((number, {exc.field or "row": str(exc)}))
    known = _known_references(reader, country_code, [p for _, p, _ in ready])
    if commit:
        reader.commit()  # no read snapshot held across the writes (SQLite's log could not restart)
    return ready, rejected, known


def _write_batch(session: Session, country_code: str, ready: list, actor, uploads: Uploads | None,
                 report: ImportReport, this_run: set, known: set, batch_seconds: float,
                 progress: Callable[[int], None] | None, set_based: bool, pace: _Pace) -> None:
    """The batch's plain new cases registered together (casemgmt.services.import_batch), in groups
    sized to be written in `batch_seconds` (_Pace), every other row through the intake in its own
    savepoint, in file order; committed once the transaction has held the write locks
    `batch_seconds`, and at the batch's end."""
    began = None
    with audit.deferred(session) as held:
        plain = Plain(session, country_code, [p for _, _, p in ready]) if set_based and ready else None
        group: list = []

        def write_group() -> None:
            if not group:
                return
            mark, started = len(held), time.monotonic()
            try:
                with session.begin_nested():
                    numbers = register_new_cases(session, country_code, [p for _, _, p in group], actor,
                                                 "file import")
            except (IntegrityError, *DRIVER_INTEGRITY_ERRORS):
                # a writer beside the import registered one of these references meanwhile: the
                # rows go through the intake one by one, prepared afresh on this session
                del held[mark:]
                for number, payload, _ in group:
                    _write_row(session, country_code, number, payload, None, actor, uploads, report, this_run,
                               known, held)
                    if progress:
                        progress(1)
            else:
                pace.measured(len(group), time.monotonic() - started)
                report.created.extend(numbers)
                for _, payload, _ in group:
                    this_run.add(_key(payload))
                    if progress:
                        progress(1)
            group.clear()

        for number, payload, prepared in ready:
            began = time.monotonic() if began is None else began
            if plain is not None and plain.check(prepared):
                group.append((number, payload, prepared))
                if len(group) < pace.rows(batch_seconds, len(ready)):
                    continue
                write_group()
            else:
                write_group()
                if plain is not None:
                    plain.note(prepared)
                _write_row(session, country_code, number, payload, prepared, actor, uploads, report, this_run,
                           known, held)
                if progress:
                    progress(1)
            if time.monotonic() - began >= batch_seconds:
                _commit(session, report)
                began = None
                if session.get_bind().dialect.name == "sqlite":
                    time.sleep(SQLITE_GAP_SECONDS)
        write_group()
        _commit(session, report)


class _Pace:
    """How many plain rows to write together: as many as fit in `batch_seconds` at the rate the
    last groups were written (the first group FIRST_GROUP rows), within the batch; and when the
    tables' statistics are due."""

    FIRST_GROUP = 50
    MIN_GROUP = 10

    def __init__(self):
        self.per_row: float | None = None
        self.analyzed = ANALYZE_FIRST // 2  # rows registered when the tables' statistics were last refreshed

    def statistics_due(self, registered: int) -> bool:
        """Whether the rows registered by the run have doubled since the last refresh (_analyze)."""
        if registered < self.analyzed * 2:
            return False
        self.analyzed = registered
        return True

    def rows(self, batch_seconds: float, batch: int) -> int:
        if self.per_row is None:
            return min(self.FIRST_GROUP, batch)
        if batch_seconds == float("inf"):
            return batch
        return max(min(self.MIN_GROUP, batch), min(batch, int(batch_seconds / self.per_row)))

    def measured(self, rows: int, seconds: float) -> None:
        took = seconds / max(rows, 1)
        self.per_row = took if self.per_row is None else (self.per_row + took) / 2


def _key(payload) -> tuple[str, str, str, str]:
    return payload.channel.value, payload.external_reference.strip(), payload.direction.value, payload.type.value


def _write_row(session: Session, country_code: str, number: int, payload, prepared, actor, uploads: Uploads | None,
               report: ImportReport, this_run: set, known: set, held: list) -> None:
    key = _key(payload)
    if key[:2] in known and key not in this_run:
        own = case_with_reference(session, country_code, payload.channel.value, payload.external_reference)
        if exact_repeat(session, own, *key) is not None:
            report.skipped.append(number)
            return
    mark = len(held)
    for attempt in (1, 2):
        try:
            with session.begin_nested():
                result = register_incoming_message(session, country_code, payload, actor, uploads=uploads,
                                                   source="file import",
                                                   prepared=prepared if attempt == 1 and prepared else None)
            break
        except CaseError as exc:
            del held[mark:]
            report.rejected.append((number, {exc.field or "row": str(exc)}))
            return
        except IntegrityError:
            # an intake beside the import registered the same reference first: the retry finds its case
            del held[mark:]
            if attempt == 2:
                raise
    this_run.add(key)
    if result.created:
        report.created.append(result.registration_number)
    else:
        report.attached.append((number, result.duplicate_of or result.registration_number))


def _known_references(session: Session, country_code: str, payloads: list) -> set[tuple[str, str]]:
    """The (channel, reference) of these messages that a case holds already: one query for a batch
    (a row none of whose references is known cannot be an exact repeat)."""
    wanted = {(p.channel.value, p.external_reference.strip()) for p in payloads if p.external_reference.strip()}
    if not wanted:
        return set()
    refs = ExternalReference.__table__
    known = set()
    conn = session.connection()
    if conn.dialect.name == "postgresql":  # the index on (country, reference), one parameter
        return {tuple(row) for row in conn.execute(select(refs.c.channel, refs.c.reference).where(
            refs.c.country_code == country_code, one_of(conn, refs.c.reference, sorted({r for _, r in wanted}))))} \
            & wanted
    for channel in sorted({c for c, _ in wanted}):  # (country, channel, reference): the unique index's order
        rows = conn.execute(
            select(refs.c.channel, refs.c.reference).where(
                refs.c.country_code == country_code, refs.c.channel == channel,
                one_of(conn, refs.c.reference, sorted(r for c, r in wanted if c == channel))))
        known |= {(c, r) for c, r in rows}
    return known & wanted


def _analyze(session: Session) -> None:
    """Fresh planner statistics for the tables the import grows (PostgreSQL), in a transaction of
    their own between two batches: each time the rows registered by this run have doubled (from
    ANALYZE_FIRST). Without them the planner may keep the plans of a table that was empty: with
    no autovacuum running, a look-up of 500 known references filtered the SPOC's every reference
    (0.04-1.3 s a batch at 17,000, growing with the SPOC) instead of probing the index."""
    if session.get_bind().dialect.name != "postgresql":
        return
    from casemgmt.crosscheck.models import CrossCheckHit, CrossCheckRun, IndexedSubject, MatchKey
    from casemgmt.models import ENTITY_MODELS, Case, Exchange, Message

    session.commit()
    conn = session.connection()
    for model in (Case, Exchange, Message, ExternalReference, *ENTITY_MODELS, IndexedSubject, MatchKey,
                  CrossCheckRun, CrossCheckHit):
        conn.exec_driver_sql(f"ANALYZE {model.__tablename__}")  # our tables' names, never input
    session.commit()


def _commit(session: Session, report: ImportReport) -> None:
    if audit.append_pending(session) or session.in_transaction():
        session.commit()
        report.transactions += 1
