"""The append-only, hash-chained audit log (LED Art. 25 events and administrative events)."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, bindparam, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, Prepared, UTCDateTime, pipelined, utcnow
from portal.db.prepared import raw_cursor


class AuditAction(enum.StrEnum):
    # Directive (EU) 2016/680 Art. 25(1)
    COLLECTION = "collection"
    ALTERATION = "alteration"
    CONSULTATION = "consultation"
    DISCLOSURE = "disclosure"
    COMBINATION = "combination"
    ERASURE = "erasure"
    # administration of the portal itself
    ADMIN = "admin"
    LOGIN = "login"


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_country_at", "country_code", "at"),
        # one object's entries (a case's LED Art. 25 log on its page), newest first: without it the case
        # page read every entry of the SPOC's log to find the case's (issue 24)
        Index("ix_audit_log_object", "object_id", "object_type", "country_code", "area", "seq"),
        # a SPOC's log of one area, newest first (the DPO's access-log page), in keyset pages by seq
        Index("ix_audit_log_country_area_seq", "country_code", "area", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    country_code: Mapped[str | None] = mapped_column(String(2))
    area: Mapped[str] = mapped_column(String(30))
    action: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(60), default="")
    justification: Mapped[str] = mapped_column(Text, default="")
    recipients: Mapped[list] = mapped_column(JSON, default=list)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """One row: the last sequence number and hash. Updating it first serialises the writers.

    `seal` is an HMAC of (seq, last_hash) under a key kept out of the database (SPOC_AUDIT_KEY, or
    one derived from SPOC_SECRET_KEY): whoever can write the database but not read that key cannot
    cut the log's end, rewrite an entry and recompute the later hashes, or wipe it, without the
    seal giving it away."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="0" * 64)
    seal: Mapped[str | None] = mapped_column(String(64))


GENESIS = "0" * 64


def seal_of(session: Session, seq: int, last_hash: str) -> str:
    """The head's HMAC under the app's audit key, which its sessions carry (portal.db.Database)."""
    key = session.info.get("audit_key")
    if not key:
        raise RuntimeError("this session has no audit key: open it from the app's Database")
    derived = hmac.new(key.encode(), b"spoc-portal audit chain seal", hashlib.sha256).digest()
    return hmac.new(derived, f"{seq}:{last_hash}".encode(), hashlib.sha256).hexdigest()


def start_chain(session: Session) -> None:
    """Write the sealed head of an empty log (`spoc init-db`), so that from then on a missing head
    means the log was wiped. Nothing happens when the head exists or entries were written."""
    if session.get(AuditChainHead, 1) is None and session.scalar(select(AuditEntry.id).limit(1)) is None:
        session.add(AuditChainHead(id=1, seq=0, last_hash=GENESIS, seal=seal_of(session, 0, GENESIS)))
        session.flush()


def seal_head(session: Session) -> None:
    """Seal the head as it stands (after an upgrade from a version without seals, or a change of
    key); only after `verify` found nothing else wrong."""
    head = session.get(AuditChainHead, 1)
    if head is not None:
        head.seal = seal_of(session, head.seq, head.last_hash)


def current_head(session: Session) -> dict | None:
    """The head as it is written out (application log, next to each backup): an anchor for verify."""
    head = session.get(AuditChainHead, 1)
    if head is None:
        return None
    return {"seq": head.seq, "hash": head.last_hash, "seal": head.seal or "",
            "at": utcnow().replace(microsecond=0).isoformat()}


def _digest(prev_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


_HASHED = ("seq", "at", "actor_id", "actor_email", "country_code", "area", "action", "object_type", "object_id",
           "justification", "recipients", "details")


def _fields(entry: AuditEntry | dict) -> dict:
    """What the hash covers, from a stored entry or from the values of one about to be inserted."""
    get = entry.get if isinstance(entry, dict) else entry.__getattribute__
    fields = {name: get(name) for name in _HASHED}
    fields["at"] = fields["at"].astimezone(dt.UTC).isoformat()
    return fields


def entry_hash(prev_hash: str, entry: AuditEntry | dict) -> str:
    """The chain's hash of an entry (a stored one, or the values of one about to be inserted) after
    `prev_hash`: SHA-256 of the previous hash and the entry's hashed fields. Anyone can recompute it;
    the head's seal (keyed) is what a rewrite cannot forge."""
    return _digest(prev_hash, _fields(entry))


def record(
    session: Session,
    *,
    actor=None,
    area: str,
    action: AuditAction | str,
    object_type: str = "",
    object_id: object = "",
    country_code: str | None = None,
    justification: str = "",
    recipients: list[str] | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (it is kept only if the work is). Inside
    `deferred`, the entry waits with the others of the batch (no seq or hash yet)."""
    held = session.info.get(_PENDING)
    if held is not None:
        entry = dict(actor=actor, area=area, action=action, object_type=object_type, object_id=object_id,
                     country_code=country_code, justification=justification, recipients=recipients,
                     details=details, at=utcnow().replace(microsecond=0))
        held.append(entry)
        return AuditEntry(at=entry["at"], actor_id=getattr(actor, "id", None),
                          actor_email=getattr(actor, "email", "") or "", country_code=country_code, area=area,
                          action=str(action), object_type=object_type, object_id=str(object_id),
                          justification=justification, recipients=list(recipients or []),
                          details=dict(details or {}))
    if session.get(AuditChainHead, 1) is None:
        session.add(AuditChainHead(id=1, seq=0, last_hash=GENESIS))
        session.flush()
    # UPDATE … RETURNING takes the row lock (PostgreSQL) or the write lock (SQLite) first.
    seq, prev_hash = session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .values(seq=AuditChainHead.seq + 1)
        .returning(AuditChainHead.seq, AuditChainHead.last_hash)
    ).one()
    entry = AuditEntry(
        seq=seq,
        at=utcnow().replace(microsecond=0),
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", "") or "",
        country_code=country_code,
        area=area,
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        justification=justification or "",  # None is stored as "": hashed as stored
        recipients=list(recipients or []),
        details=dict(details or {}),
        prev_hash=prev_hash,
    )
    entry.hash = entry_hash(prev_hash, entry)
    session.add(entry)
    session.execute(update(AuditChainHead).where(AuditChainHead.id == 1)
                    .values(last_hash=entry.hash, seal=seal_of(session, seq, entry.hash)))
    return entry


_HEAD = AuditChainHead.__table__
# statements on the table (not the mapped class), built once: record_many runs under the write lock
_BUMP = Prepared(update(_HEAD).where(_HEAD.c.id == 1).values(seq=_HEAD.c.seq + bindparam("n"))
                 .returning(_HEAD.c.seq, _HEAD.c.last_hash))
_NEW_HEAD = Prepared(_HEAD.insert())
_SET_HASH = Prepared(update(_HEAD).where(_HEAD.c.id == 1).values(last_hash=bindparam("h"), seal=bindparam("s")))
_INSERT = Prepared(AuditEntry.__table__.insert().inline())  # inline: no RETURNING of the ids on PostgreSQL


def reserve(session: Session, n: int):
    """The chain head's next `n` numbers asked for now, on the driver's cursor, and not waited for:
    in a pipeline (portal.db.prepared.pipelined) the request goes with the statements queued beside
    it (the intake's tail sends it with the case's numbering). `record_many(reserved=…)` reads it and
    must then write exactly `n` entries. None inside `deferred` (the entries wait with the batch)."""
    if session.info.get(_PENDING) is not None:
        return None
    return _BUMP.execute(session.connection(), {"n": n}), n


def record_many(session: Session, entries: list[dict], *, reserved=None) -> None:
    """Append several entries at once, each given as `record`'s keyword arguments (and `at`, when
    it was recorded earlier): the chain head's numbers taken by one statement (or by `reserve`
    before), then the entries written with the head's new hash (on PostgreSQL in one statement; the
    intake writes two per case, many times a second). Inside `deferred`, they wait with the batch."""
    if not entries:
        if reserved is not None:
            raise ValueError("numbers were reserved in the audit chain for entries that did not come")
        return
    held = session.info.get(_PENDING)
    if held is not None:
        if reserved is not None:  # pragma: no cover - reserve gives None inside deferred
            raise RuntimeError("audit entries reserved outside `deferred` recorded inside it")
        at = utcnow().replace(microsecond=0)
        held.extend({"at": at, **e} for e in entries)
        return
    conn = session.connection()
    if reserved is not None:
        cursor, count = reserved
        if count != len(entries):
            raise ValueError(f"{count} numbers were reserved in the audit chain for {len(entries)} entries")
        head = cursor.fetchone()
        cursor.close()
    else:
        head = _BUMP.first(conn, {"n": len(entries)})
    if head is None:  # the first entry ever: create the head (on the driver's cursor, so also inside a
        # pipeline, portal.db.prepared.pipelined), then take the numbers
        _NEW_HEAD.execute(conn, {"id": 1, "seq": 0, "last_hash": GENESIS}).close()
        head = _BUMP.first(conn, {"n": len(entries)})
    last_seq, prev_hash = head
    at = utcnow().replace(microsecond=0)
    rows = []
    for seq, e in enumerate(entries, start=last_seq - len(entries) + 1):
        actor = e.get("actor")
        row = {"seq": seq, "at": e.get("at") or at, "actor_id": getattr(actor, "id", None),
               "actor_email": getattr(actor, "email", "") or "", "country_code": e.get("country_code"),
               "area": e["area"], "action": str(e["action"]), "object_type": e.get("object_type", ""),
               "object_id": str(e.get("object_id", "")), "justification": e.get("justification") or "",
               "recipients": list(e.get("recipients") or []), "details": dict(e.get("details") or {}),
               "prev_hash": prev_hash}
        row["hash"] = prev_hash = entry_hash(prev_hash, row)
        rows.append(row)
    seal = seal_of(session, last_seq, prev_hash)
    if conn.dialect.name == "postgresql":
        _append_pg(session, conn, rows, prev_hash, seal)
        return
    _INSERT.insert_many(conn, rows)
    _SET_HASH.execute(conn, {"h": prev_hash, "s": seal}).close()


def _append_pg(session: Session, conn, rows: list[dict], last_hash: str, seal: str) -> None:
    """The entries inserted a few hundred a statement, the last of them with the head's new hash and
    seal (WITH entries AS (INSERT …) UPDATE audit_chain_head …): the intake's two entries and the head
    in one statement (it ran three, one a row and the head's update, in a pipeline). Several
    statements (a batch of the case import) go in a pipeline."""
    statements = list(_INSERT.values_many(conn, rows))
    sql, params = statements.pop()
    n = len(params)
    statements.append((f"WITH entries AS ({sql}) UPDATE audit_chain_head "  # noqa: S608 (placeholders only)
                       f"SET last_hash = ${n + 1}::VARCHAR, seal = ${n + 2}::VARCHAR WHERE id = 1",
                       [*params, last_hash, seal]))
    with pipelined(session) if len(statements) > 1 else nullcontext():
        cursor = raw_cursor(conn)
        for sql, params in statements:
            cursor.execute(sql, params)
        cursor.close()


_PENDING = "audit_pending"


@contextmanager
def deferred(session: Session) -> Iterator[list[dict]]:
    """Hold the entries recorded on `session` (record, record_many) in the list yielded, to be
    appended together by `append_pending` before each commit: a bulk writer (the case import)
    then updates the chain head once a batch, at the batch's end, instead of once per entry
    (on PostgreSQL each update of that one row inside a long transaction leaves a version the next
    must step over; on both databases the head's lock would be held from the first entry). A
    caller that rolls back a savepoint drops what was recorded inside it (`del held[mark:]`).
    Whatever is still held when the block ends is appended then."""
    if session.info.get(_PENDING) is not None:
        raise RuntimeError("audit entries are already deferred on this session")
    held: list[dict] = []
    session.info[_PENDING] = held
    try:
        yield held
    finally:
        session.info.pop(_PENDING, None)
    if held:
        record_many(session, held)


def append_pending(session: Session) -> int:
    """Append the entries held by `deferred` in the chain (one head update); how many."""
    held = session.info.get(_PENDING)
    if not held:
        return 0
    entries = list(held)
    held.clear()
    session.info[_PENDING] = None  # record_many writes now
    try:
        record_many(session, entries)
    finally:
        session.info[_PENDING] = held
    return len(entries)


def verify(session: Session, anchor: dict | None = None) -> list[str]:
    """Recompute the chain and check its head's seal, and the anchor (a head written out earlier,
    e.g. next to a backup) when given; the problems found (empty when the log is intact)."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    hashes_at_anchor = None
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).yield_per(1000):
        if entry.seq != expected_seq:
            problems.append(f"entries {expected_seq}..{entry.seq - 1} are missing")
        if entry.prev_hash != prev:
            problems.append(f"entry {entry.seq}: does not follow the previous entry")
        if entry_hash(entry.prev_hash, entry) != entry.hash:
            problems.append(f"entry {entry.seq}: content changed after it was written")
        prev = entry.hash
        expected_seq = entry.seq + 1
        if anchor is not None and entry.seq == anchor["seq"]:
            hashes_at_anchor = entry.hash
    last = expected_seq - 1
    head = session.get(AuditChainHead, 1)
    if head is None:
        problems.append("the chain head is missing: the log was wiped or its head deleted"
                        if last or anchor else "the chain head is missing (run `spoc init-db`)")
    else:
        if head.seq != last:
            problems.append(f"the log ends at entry {last} but {head.seq} were written")
        if head.last_hash != prev:
            problems.append("the last entry is not the one the chain head records")
        if not head.seal:
            problems.append("the chain head is not sealed (written before seals existed): check the rest, "
                            "then run `spoc audit seal`")
        elif not hmac.compare_digest(head.seal, seal_of(session, head.seq, head.last_hash)):
            problems.append("the chain head's seal does not match: the head was rewritten (entries cut or "
                            "recomputed), or the audit key (SPOC_AUDIT_KEY / SPOC_SECRET_KEY) changed")
    if anchor is not None:
        if anchor["seq"] > last:
            problems.append(f"the anchor of {anchor.get('at', '?')} records {anchor['seq']} entries; "
                            f"the log has {last}")
        elif anchor["seq"] and hashes_at_anchor != anchor["hash"]:
            problems.append(f"entry {anchor['seq']} is not the one the anchor of {anchor.get('at', '?')} "
                            "records: the log was rewritten since")
    return problems


def entries_for_country(country_code: str):
    return select(AuditEntry).where(AuditEntry.country_code == country_code).order_by(AuditEntry.seq.desc())


__all__ = ["AuditAction", "AuditEntry", "record", "verify", "entries_for_country", "start_chain",
           "seal_head", "current_head", "record_many", "reserve", "deferred", "append_pending"]
