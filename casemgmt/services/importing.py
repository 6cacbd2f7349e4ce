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

import csv
import gc
import io
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

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
from portal.db import one_of
from portal.errors import RuleError

# CSV columns; entities go in `entities` as JSON, or in the simple person/vehicle/phone/email columns
CSV_COLUMNS = ["channel", "channel_reason", "channel_reason_text", "direction", "type", "external_reference",
               "external_references", "received_at", "urgent", "urgency_ground", "information_access",
               "counterpart_country", "counterpart_type", "language", "subject", "body", "crime_category",
               "entities", "person_surname", "person_given_names", "person_date_of_birth", "person_nationality",
               "vehicle_plate", "vehicle_country", "phone", "email",
               # the other fields of the payload (casemgmt.schemas.IntakePayload); counterpart and
               # attachments as JSON, as entities
               "counterpart", "legal_framework", "handling_code", "handling_text", "source_code",
               "information_code", "attachments"]
JSON_COLUMNS = ("entities", "counterpart", "attachments")
# the columns of a file of rejected rows (write_rejected), which is imported again once corrected
REPORT_COLUMNS = ["import_row", "import_errors"]
BATCH_SIZE = 500  # rows a transaction at most
BATCH_SECONDS = 0.2  # ... and the longest a transaction holds the write locks
ANALYZE_FIRST = 2000  # rows registered before the tables' statistics are first refreshed (then at each doubling)
# SQLite: after each commit the import stands back this long, so that a writer polling for the lock
# (portal.db._begin_immediate: every 5 ms at most) gets it before the next batch does
SQLITE_GAP_SECONDS = 0.01


class ImportFileError(RuleError):
    """The import file cannot be read (its format, its header): the user's bad input, about the file (422)."""

    def __init__(self, message: str, field: str | None = "file", **params):
        super().__init__(message, field, **params)


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


def read_rows(filename: str, content: bytes) -> list[dict]:
    """The file's rows as payload dictionaries (before validation)."""
    text = content.decode("utf-8-sig", errors="strict") if content else ""
    if filename.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
        if isinstance(data, dict) and isinstance(data.get("messages"), list):
            data = data["messages"]
        if not isinstance(data, list):
            raise ImportFileError("the JSON file must hold a list of messages (or {\"messages\": [...]})")
        return data
    if filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        unknown = set(reader.fieldnames or []) - set(CSV_COLUMNS) - set(REPORT_COLUMNS)
        if unknown:
            raise ImportFileError(f"unknown CSV columns: {', '.join(sorted(unknown))}")
        return [_from_csv(row) for row in reader]
    raise ImportFileError("give a .json or .csv file")


def _from_csv(row: dict) -> dict:
    data: dict = {k: v.strip() for k, v in row.items()
                  if k and k not in REPORT_COLUMNS and v is not None and v.strip() != ""}
    if "urgent" in data:
        data["urgent"] = data["urgent"].lower() in ("1", "true", "yes", "y")
    for col in ("counterpart", "attachments"):
        if col in data:
            try:
                data[col] = json.loads(data[col])
            except json.JSONDecodeError:
                pass  # the model reports it as not an object / not a list
    if data.get("external_references", "").startswith("["):
        try:
            data["external_references"] = json.loads(data["external_references"])
        except json.JSONDecodeError:
            pass
    elif "external_references" in data:
        refs = []
        for item in data["external_references"].split(";"):
            channel, _, ref = item.strip().partition(":")
            refs.append({"channel": channel.strip(), "reference": ref.strip()})
        data["external_references"] = refs
    entities = []
    if "entities" in data:
        try:
            entities = json.loads(data["entities"])
        except json.JSONDecodeError:
            entities = data["entities"]  # the model reports it as not a list
    if "person_surname" in data:
        person = {"kind": "person", "surname": data.pop("person_surname")}
        for col, key in (("person_given_names", "given_names"), ("person_date_of_birth", "date_of_birth"),
                         ("person_nationality", "nationality")):
            if col in data:
                person[key] = data.pop(col)
        entities = [*entities, person] if isinstance(entities, list) else entities
    if "vehicle_plate" in data:
        vehicle = {"kind": "vehicle", "plate": data.pop("vehicle_plate"), "country": data.pop("vehicle_country", None)}
        entities = [*entities, vehicle] if isinstance(entities, list) else entities
    for col in ("phone", "email"):
        if col in data:
            item = {"kind": col, "number" if col == "phone" else "address": data.pop(col)}
            entities = [*entities, item] if isinstance(entities, list) else entities
    for col in ("person_given_names", "person_date_of_birth", "person_nationality", "vehicle_country"):
        data.pop(col, None)
    data["entities"] = entities
    return data


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
    try:
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
            except IntegrityError:
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


def rejected_path(source: Path) -> Path:
    """Where the rejected rows of SOURCE are written: next to it, SOURCE.rejected.csv."""
    return source.with_name(f"{source.stem}.rejected.csv")


def write_rejected(path: Path, rows: list, report: ImportReport) -> None:
    """The rejected rows as CSV, ready to correct and import again: the row's fields in the import's
    columns (lists and objects as JSON) and, first, its number in the file and the reasons."""
    columns: list[str] = []
    lines = []
    for number, errors in report.rejected:
        data = rows[number - 1]
        line = {"import_row": number, "import_errors": "; ".join(f"{k}: {v}" for k, v in errors.items())}
        if isinstance(data, dict):
            for key, value in data.items():
                if key not in columns:
                    columns.append(key)
                if key == "external_references" and isinstance(value, list) and all(
                        isinstance(r, dict) and set(r) <= {"channel", "reference"} for r in value):
                    value = ";".join(f"{r.get('channel', '')}:{r.get('reference', '')}" for r in value)
                elif isinstance(value, list | dict):
                    value = json.dumps(value, ensure_ascii=False)
                elif isinstance(value, bool):
                    value = "yes" if value else "no"
                line[key] = "" if value is None else value
        lines.append(line)
    ordered = [c for c in CSV_COLUMNS if c in columns] + [c for c in columns if c not in CSV_COLUMNS]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=REPORT_COLUMNS + ordered, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(lines)
