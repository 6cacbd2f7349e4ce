"""The append-only, hash-chained audit log (LED Art. 25 events and administrative events)."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, UTCDateTime, utcnow


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
    __table_args__ = (Index("ix_audit_log_country_at", "country_code", "at"),)

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
    """One row: the last sequence number and hash. Updating it first serialises the writers."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="0" * 64)


def _digest(prev_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _fields(entry: AuditEntry) -> dict:
    return {
        "seq": entry.seq,
        "at": entry.at.astimezone(dt.UTC).isoformat(),
        "actor_id": entry.actor_id,
        "actor_email": entry.actor_email,
        "country_code": entry.country_code,
        "area": entry.area,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "justification": entry.justification,
        "recipients": entry.recipients,
        "details": entry.details,
    }


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
    """Append one entry in the caller's transaction (it is kept only if the work is)."""
    if session.get(AuditChainHead, 1) is None:
        session.add(AuditChainHead(id=1, seq=0, last_hash="0" * 64))
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
        justification=justification,
        recipients=list(recipients or []),
        details=dict(details or {}),
        prev_hash=prev_hash,
    )
    entry.hash = _digest(prev_hash, _fields(entry))
    session.add(entry)
    session.execute(update(AuditChainHead).where(AuditChainHead.id == 1).values(last_hash=entry.hash))
    return entry


def verify(session: Session) -> list[str]:
    """Recompute the chain; the problems found (empty when the log is intact)."""
    problems: list[str] = []
    prev = "0" * 64
    expected_seq = 1
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).yield_per(1000):
        if entry.seq != expected_seq:
            problems.append(f"entries {expected_seq}..{entry.seq - 1} are missing")
        if entry.prev_hash != prev:
            problems.append(f"entry {entry.seq}: does not follow the previous entry")
        if _digest(entry.prev_hash, _fields(entry)) != entry.hash:
            problems.append(f"entry {entry.seq}: content changed after it was written")
        prev = entry.hash
        expected_seq = entry.seq + 1
    head = session.get(AuditChainHead, 1)
    if head is not None and head.seq != expected_seq - 1:
        problems.append(f"the log ends at entry {expected_seq - 1} but {head.seq} were written")
    if head is not None and head.last_hash != prev:
        problems.append("the last entry is not the one the chain head records")
    return problems


def entries_for_country(country_code: str):
    return select(AuditEntry).where(AuditEntry.country_code == country_code).order_by(AuditEntry.seq.desc())


__all__ = ["AuditAction", "AuditEntry", "record", "verify", "entries_for_country"]
