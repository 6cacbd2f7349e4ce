"""The LED Art. 25 log of case management, written through portal.audit (append-only, hash-chained)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casemgmt.models import Case
from portal import audit
from portal.audit import AuditAction, AuditEntry
from portal.enums import N_, translated

AREA = "casemgmt"
LED_ACTIONS = (AuditAction.COLLECTION, AuditAction.ALTERATION, AuditAction.CONSULTATION,
               AuditAction.DISCLOSURE, AuditAction.COMBINATION, AuditAction.ERASURE)
# the operations of Directive (EU) 2016/680 Art. 25(1) as the page names them (in the reader's language)
LED_ACTION_LABELS = {AuditAction.COLLECTION.value: N_("Collection"), AuditAction.ALTERATION.value: N_("Alteration"),
                     AuditAction.CONSULTATION.value: N_("Consultation"), AuditAction.DISCLOSURE.value: N_("Disclosure"),
                     AuditAction.COMBINATION.value: N_("Combination"), AuditAction.ERASURE.value: N_("Erasure"),
                     AuditAction.ADMIN.value: N_("Administration")}


def action_label(code: str) -> str:
    """An entry's operation as a person reads it, in the reader's language (the case page's log, the access-log
    page); the CSV export keeps the stored code."""
    return translated(LED_ACTION_LABELS.get(code) or str(code or "").replace("_", " ").capitalize())


def log(session: Session, actor, case: Case, action: AuditAction, what: str, *, justification: str = "",
        recipients: list[str] | None = None, **details) -> AuditEntry:
    """One entry about one case; `what` says in words what was done."""
    return audit.record(session, actor=actor, area=AREA, action=action, object_type="case",
                        object_id=case.registration_number, country_code=case.country_code,
                        justification=justification, recipients=recipients, details={"what": what, **details})


def log_consultation(session: Session, actor, case: Case, what: str, *, justification: str = "") -> None:
    """One consultation of a case (LED Art. 25(1): every consultation is logged, with who and why),
    the same entry as `log`'s, appended through `audit.record_many`'s statements prepared on the driver:
    a case page writes one on every opening, which cost as much as a tenth of the page through the ORM."""
    audit.record_many(session, [dict(actor=actor, area=AREA, action=AuditAction.CONSULTATION, object_type="case",
                                     object_id=case.registration_number, country_code=case.country_code,
                                     justification=justification, details={"what": what})])


@cache
def _statements() -> dict:
    """The log's two prepared statements of the case page, made once."""
    from sqlalchemy import bindparam

    from portal.db import Prepared

    log = AuditEntry.__table__
    of_case = (log.c.area == AREA, log.c.object_type == "case", log.c.object_id == bindparam("number"),
               log.c.country_code == bindparam("country"))
    return {"latest": Prepared(select(log.c.id, log).where(*of_case).order_by(log.c.seq.desc())
                               .limit(bindparam("latest")), raw=True),
            "count": Prepared(select(func.count()).select_from(log).where(*of_case))}


def latest_case_rows(session: Session, case: Case, latest: int) -> list[tuple]:
    """The case's last `latest` entries, newest first, as the driver returns their whole rows (the case page's log:
    each line is kept by its row, casemgmt/views/case_log.py), the entry's id first."""
    return list(_statements()["latest"].key_rows(session.connection(), {
        "number": case.registration_number, "country": case.country_code, "latest": latest}))


def count_case_entries(session: Session, case: Case) -> int:
    """How many entries the case's log has (on the driver's cursor: the case page counts them at every opening)."""
    return _statements()["count"].scalar(session.connection(), {
        "number": case.registration_number, "country": case.country_code}) or 0


def spoc_entries(session: Session, country_code: str, *, action: str | None = None, user: str = "",
                 case_number: str = "", start: dt.date | None = None, end: dt.date | None = None,
                 before_seq: int | None = None, limit: int | None = 100) -> list[AuditEntry]:
    """The SPOC's case-management log, newest first, filtered; keyset pages by sequence number."""
    q = select(AuditEntry).where(AuditEntry.country_code == country_code, AuditEntry.area == AREA)
    if action:
        q = q.where(AuditEntry.action == action)
    if user:
        q = q.where(AuditEntry.actor_email.contains(user.strip().lower()))
    if case_number:
        q = q.where(AuditEntry.object_id == case_number.strip().upper())
    if start:
        q = q.where(AuditEntry.at >= dt.datetime.combine(start, dt.time(), dt.UTC))
    if end:
        q = q.where(AuditEntry.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC))
    if before_seq:
        q = q.where(AuditEntry.seq < before_seq)
    q = q.order_by(AuditEntry.seq.desc())
    if limit:
        q = q.limit(limit)
    return list(session.scalars(q))


EXPORT_HEADER = ["seq", "when (UTC)", "user", "action", "case", "what", "justification", "recipients", "hash"]


def export_rows(entries: list[AuditEntry]) -> list[list]:
    return [[e.seq, e.at, e.actor_email, e.action, e.object_id, (e.details or {}).get("what", ""),
             e.justification, e.recipients, e.hash] for e in entries]


GROUP_WINDOW = dt.timedelta(minutes=10)


@dataclass
class LogLine:
    """A line of the access-log page: one entry, or repeated consultations of one case by one user
    within a few minutes of each other (every entry stays in the chain and in the export)."""

    first: AuditEntry  # the newest of the line
    count: int = 1
    earliest: dt.datetime | None = None
    seqs: list[int] = field(default_factory=list)

    @property
    def grouped(self) -> bool:
        return self.count > 1


def group_consultations(entries: list[AuditEntry], window: dt.timedelta = GROUP_WINDOW) -> list[LogLine]:
    """Entries newest first; consecutive consultations of the same case by the same user, each within
    `window` of the previous one, become one line with their count."""
    lines: list[LogLine] = []
    for entry in entries:
        last = lines[-1] if lines else None
        if (last is not None and entry.action == AuditAction.CONSULTATION.value
                and last.first.action == AuditAction.CONSULTATION.value
                and (entry.object_id, entry.actor_email) == (last.first.object_id, last.first.actor_email)
                and (last.earliest or last.first.at) - entry.at <= window):
            last.count += 1
            last.earliest = entry.at
            last.seqs.append(entry.seq)
            continue
        lines.append(LogLine(entry, earliest=entry.at, seqs=[entry.seq]))
    return lines
