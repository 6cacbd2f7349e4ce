"""The agenda: ordered items under the standing topics, and documents that keep their versions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import audit, files, markings
from portal.dates import format_day, format_short_day
from portal.meetings.models import (
    AgendaItem,
    DocumentVersion,
    Meeting,
    MeetingDocument,
    MinutesState,
    RegisterEntry,
    Topic,
)
from portal.meetings.services import MeetingError, register
from portal.meetings.services.meetings import local, to_utc


def _times(meeting: Meeting, day: dt.date | None, start: dt.time | None,
           end: dt.time | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    if start is None and end is None:
        return None, None
    if start is None:
        raise MeetingError("Give the start time too.", "start_time")
    first, last = local(meeting, meeting.starts_at).date(), local(meeting, meeting.ends_at).date()
    day = day or first
    if not first <= day <= last:
        raise MeetingError("Choose a day of the meeting (%(first)s to %(last)s).", "day", first=format_short_day(first),
                           last=format_day(last))
    starts = to_utc(dt.datetime.combine(day, start), meeting.timezone)
    ends = to_utc(dt.datetime.combine(day, end), meeting.timezone) if end else None
    if ends is not None and ends <= starts:
        raise MeetingError("The end time must be after the start time.", "end_time")
    return starts, ends


def _check(session: Session, meeting: Meeting, title: str, topic: str | Topic, register_entry_id: int | None):
    if meeting.minutes_state == MinutesState.ADOPTED:
        raise MeetingError("The minutes are adopted: the agenda can no longer change.", "title")
    if not (title or "").strip():
        raise MeetingError("Give the item a title.", "title")
    if Topic.of(topic) is None:
        raise MeetingError("Choose one of the five standing topics.", "topic")
    entry = None
    if register_entry_id:
        entry = session.get(RegisterEntry, register_entry_id)
        if entry is None:
            raise MeetingError("Choose an entry of the register.", "register_entry_id")
    return entry


def _check_marking(session: Session, marking: str | None, current: str) -> None:
    if marking is not None and (problem := markings.marking_problem(session, marking, current or "")):
        raise MeetingError(problem, "marking")


def add_item(session: Session, meeting: Meeting, actor, *, title: str, topic: str | Topic, presenter: str = "",
             day: dt.date | None = None, start_time: dt.time | None = None, end_time: dt.time | None = None,
             register_entry_id: int | None = None, marking: str = "", member_states_only: bool = False) -> AgendaItem:
    entry = _check(session, meeting, title, topic, register_entry_id)
    _check_marking(session, marking, "")
    starts, ends = _times(meeting, day, start_time, end_time)
    position = (session.scalar(select(func.max(AgendaItem.position))
                               .where(AgendaItem.meeting_id == meeting.id)) or 0) + 1
    item = AgendaItem(meeting=meeting, position=position, title=title.strip(), topic=Topic(topic),
                      presenter=(presenter or "").strip(), starts_at=starts, ends_at=ends,
                      register_entry=entry, marking=markings.clean(marking),
                      member_states_only=bool(member_states_only))
    session.add(item)
    session.flush()
    if entry is not None:
        register.note_on_agenda(session, entry, meeting, actor)
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="agenda_item", object_id=str(item.id), details={"meeting": meeting.id})
    return item


def update_item(session: Session, item: AgendaItem, actor, *, title: str, topic: str | Topic, presenter: str = "",
                day: dt.date | None = None, start_time: dt.time | None = None, end_time: dt.time | None = None,
                register_entry_id: int | None = None, marking: str | None = None,
                member_states_only: bool | None = None) -> AgendaItem:
    """None for the marking or 'Member States only': unchanged."""
    meeting = item.meeting
    entry = _check(session, meeting, title, topic, register_entry_id)
    if marking is not None:
        _check_marking(session, marking, item.marking)
        item.marking = markings.clean(marking)
    if member_states_only is not None:
        item.member_states_only = bool(member_states_only)
    item.starts_at, item.ends_at = _times(meeting, day, start_time, end_time)
    item.title, item.topic, item.presenter = title.strip(), Topic(topic), (presenter or "").strip()
    if entry is not None and item.register_entry_id != entry.id:
        register.note_on_agenda(session, entry, meeting, actor)
    item.register_entry = entry
    return item


def move_item(session: Session, item: AgendaItem, step: int) -> None:
    """Swap the item with its neighbour above (step -1) or below (+1)."""
    items = list(item.meeting.agenda_items)
    index = items.index(item)
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for pos, it in enumerate(items, start=1):
            it.position = pos
        session.flush()


def delete_item(session: Session, item: AgendaItem, actor) -> None:
    if item.meeting.minutes_state == MinutesState.ADOPTED:
        raise MeetingError("The minutes are adopted: the agenda can no longer change.", "title")
    if item.minutes is not None and item.minutes.text.strip():
        raise MeetingError("This item has minutes; clear them before removing the item.", "title")
    meeting = item.meeting
    meeting.agenda_items.remove(item)
    session.flush()
    for pos, it in enumerate(meeting.agenda_items, start=1):
        it.position = pos
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="agenda_item", object_id=str(item.id), details={"event": "deleted"})


def upload_document(session: Session, meeting: Meeting, *, folder: str, data: bytes, filename: str,
                    max_bytes: int, user, title: str = "", agenda_item: AgendaItem | None = None,
                    document: MeetingDocument | None = None, marking: str | None = None,
                    member_states_only: bool | None = None, scan_confirmed: bool | None = None) -> DocumentVersion:
    """Store an upload as a new document, or as the next version of `document` (earlier ones are kept);
    None for the marking or 'Member States only': unchanged (a new document: none, and for observers too).
    `scan_confirmed`: the uploader's word that a PDF without a text layer holds no classified marking (see
    portal.files.store_upload)."""
    if agenda_item is not None and agenda_item.meeting_id != meeting.id:
        raise MeetingError("Choose an item of this meeting's agenda.", "agenda_item_id")
    if marking is not None:
        _check_marking(session, marking, document.marking if document is not None else "")
    if refused := markings.classified_refusal(title):
        raise MeetingError(refused[0], "title", **refused[1])
    try:
        stored = files.store_upload(session, folder, data, filename, max_bytes=max_bytes, user=user,
                                    scan_confirmed=scan_confirmed)
    except files.ScanNotConfirmed as exc:
        raise MeetingError(exc.message, "scan_confirmed", **exc.params) from None
    except files.UploadError as exc:
        raise MeetingError(exc.message, "file", **exc.params) from None
    if document is None:
        document = MeetingDocument(meeting=meeting, agenda_item=agenda_item,
                                   title=(title or "").strip() or stored.original_name)
        session.add(document)
    if marking is not None:
        document.marking = markings.clean(marking)
    if member_states_only is not None:
        document.member_states_only = bool(member_states_only)
    number = (document.versions[-1].number + 1) if document.versions else 1
    version = DocumentVersion(document=document, number=number, stored_file_id=stored.id,
                              uploaded_by_id=getattr(user, "id", None))
    session.add(version)
    session.flush()
    audit.record(session, actor=user, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="meeting_document", object_id=str(document.id),
                 details={"version": number, "sha256": stored.sha256, "meeting": meeting.id})
    return version
