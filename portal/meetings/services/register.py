"""The topics and obstacles register: entries raised by a country, followed across meetings until closed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.db import utcnow
from portal.directory.models import Country
from portal.meetings.models import (
    EntryStatus,
    Meeting,
    RegisterEntry,
    RegisterEvent,
    RegisterEventKind,
    Topic,
)
from portal.meetings.services import MeetingError
from portal.meetings.services.recipients import user_label


def raise_entry(session: Session, actor, *, country_code: str, title: str, description: str,
                topic: str | Topic) -> RegisterEntry:
    if not (title or "").strip():
        raise MeetingError("Give the entry a title.", "title")
    if Topic.of(topic) is None:
        raise MeetingError("Choose one of the five standing topics.", "topic")
    if not country_code or session.get(Country, country_code) is None:
        raise MeetingError("Choose the country that raises it.", "country_code")
    entry = RegisterEntry(country_code=country_code, title=title.strip(), description=(description or "").strip(),
                          topic=Topic(topic), created_by_id=getattr(actor, "id", None))
    entry.events.append(RegisterEvent(kind=RegisterEventKind.RAISED, author_label=user_label(actor)))
    session.add(entry)
    session.flush()
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="register_entry", object_id=str(entry.id), country_code=country_code)
    return entry


def add_note(session: Session, entry: RegisterEntry, actor, comment: str) -> RegisterEvent:
    if not (comment or "").strip():
        raise MeetingError("Write the note.", "comment")
    event = RegisterEvent(kind=RegisterEventKind.NOTE, author_label=user_label(actor), comment=comment.strip())
    entry.events.append(event)
    session.flush()
    return event


def set_closed(session: Session, entry: RegisterEntry, actor, closed: bool, comment: str = "") -> None:
    if closed == (entry.status == EntryStatus.CLOSED):
        raise MeetingError("The entry is already closed." if closed else "The entry is already open.", "comment")
    entry.status = EntryStatus.CLOSED if closed else EntryStatus.OPEN
    entry.closed_at = utcnow() if closed else None
    kind = RegisterEventKind.CLOSED if closed else RegisterEventKind.REOPENED
    entry.events.append(RegisterEvent(kind=kind, author_label=user_label(actor), comment=(comment or "").strip()))
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="register_entry", object_id=str(entry.id), country_code=entry.country_code,
                 details={"event": kind})


def note_on_agenda(session: Session, entry: RegisterEntry, meeting: Meeting, actor) -> None:
    if entry.status == EntryStatus.CLOSED:
        raise MeetingError("This register entry is closed; reopen it first.", "register_entry_id")
    entry.events.append(RegisterEvent(kind=RegisterEventKind.ON_AGENDA, meeting_id=meeting.id, author_label=user_label(actor),
                                      comment=meeting.title))


def entries(session: Session, status: EntryStatus | None = None, topic: Topic | None = None,
            query=None) -> list[RegisterEntry]:
    """Entries (of `query`, a select(RegisterEntry) the caller may restrict), open ones first."""
    query = (select(RegisterEntry) if query is None else query).order_by(RegisterEntry.status.desc(),
                                                                         RegisterEntry.created_at.desc())
    if status:
        query = query.where(RegisterEntry.status == status)
    if topic:
        query = query.where(RegisterEntry.topic == topic)
    return list(session.scalars(query))


def open_entries(session: Session) -> list[RegisterEntry]:
    return entries(session, EntryStatus.OPEN)
