"""Meetings: create, edit, clone, change status; the Presidency proposal and the half-year check."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit, markings
from portal.directory.models import Country
from portal.directory.services import presidency_on
from portal.meetings.models import AgendaItem, Invitation, Meeting, MeetingStatus
from portal.meetings.services import MeetingError
from portal.meetings.services.calendar import calendar_state

# Offered first in the time-zone list; any IANA name is accepted.
COMMON_ZONES = ["Europe/Brussels", "Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Bratislava",
                "Europe/Bucharest", "Europe/Budapest", "Europe/Copenhagen", "Europe/Dublin", "Europe/Helsinki",
                "Europe/Lisbon", "Europe/Ljubljana", "Europe/London", "Europe/Luxembourg", "Europe/Madrid",
                "Europe/Malta", "Europe/Nicosia", "Europe/Oslo", "Europe/Paris", "Europe/Prague", "Europe/Riga",
                "Europe/Rome", "Europe/Sofia", "Europe/Stockholm", "Europe/Tallinn", "Europe/Vaduz",
                "Europe/Vienna", "Europe/Vilnius", "Europe/Warsaw", "Europe/Zagreb", "Europe/Zurich",
                "Atlantic/Reykjavik", "UTC"]


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, KeyError):
        raise MeetingError("Choose a time zone from the list (an IANA name such as Europe/Brussels).",
                           "timezone") from None


def zone_choices() -> list[str]:
    return COMMON_ZONES + sorted(available_timezones() - set(COMMON_ZONES))


def to_utc(local: dt.datetime, tzname: str) -> dt.datetime:
    """A wall-clock time in the meeting's zone as an aware UTC datetime."""
    return local.replace(tzinfo=zone(tzname)).astimezone(dt.UTC)


def local(meeting: Meeting, moment: dt.datetime | None) -> dt.datetime | None:
    """A stored UTC datetime in the meeting's own time zone."""
    return None if moment is None else moment.astimezone(zone(meeting.timezone))


def proposed_presidency(session: Session, day: dt.date) -> str | None:
    term = presidency_on(session, day)
    return term.country_code if term else None


def _apply(session: Session, meeting: Meeting, *, title: str, start: dt.datetime, end: dt.datetime,
           timezone: str, deadline: dt.date | None, presidency_code: str | None = None, venue: str = "",
           online_url: str = "", description: str = "", marking: str | None = None,
           minutes_marking: str | None = None, released_to_observers: bool | None = None) -> None:
    """None for a marking or the release: unchanged."""
    title = (title or "").strip()
    for field, value in (("marking", marking), ("minutes_marking", minutes_marking)):
        if value is not None and (problem := markings.marking_problem(session, value, getattr(meeting, field) or "")):
            raise MeetingError(problem, field)
    if not title:
        raise MeetingError("Give the meeting a title.", "title")
    if start is None:
        raise MeetingError("Enter when the meeting starts.", "start")
    if end is None:
        raise MeetingError("Enter when the meeting ends.", "end")
    starts_at, ends_at = to_utc(start, timezone), to_utc(end, timezone)
    if ends_at <= starts_at:
        raise MeetingError("The end must be after the start.", "end")
    venue, online_url = (venue or "").strip(), (online_url or "").strip()
    if not venue and not online_url:
        raise MeetingError("Give a venue or an online link.", "venue")
    if online_url and not online_url.lower().startswith(("https://", "http://")):
        raise MeetingError("The online link must start with https://.", "online_url")
    deadline_at = None
    if deadline is not None:
        if deadline > start.date():
            raise MeetingError("The registration deadline must be on or before the first day.",
                               "registration_deadline")
        deadline_at = to_utc(dt.datetime.combine(deadline, dt.time(23, 59, 59)), timezone)
    presidency_code = (presidency_code or "").strip().upper() or proposed_presidency(session, start.date())
    if presidency_code and session.get(Country, presidency_code) is None:
        raise MeetingError("Choose a country of the network.", "presidency_code")
    meeting.title, meeting.description = title, (description or "").strip()
    meeting.starts_at, meeting.ends_at, meeting.timezone = starts_at, ends_at, timezone
    meeting.registration_deadline = deadline_at
    meeting.presidency_code = presidency_code
    meeting.venue, meeting.online_url = venue, online_url
    if marking is not None:
        meeting.marking = markings.clean(marking)
    if minutes_marking is not None:
        meeting.minutes_marking = markings.clean(minutes_marking)
    if released_to_observers is not None:
        meeting.released_to_observers = bool(released_to_observers)


def create_meeting(session: Session, actor, *, clone_from: Meeting | None = None, **values) -> Meeting:
    meeting = Meeting(created_by_id=getattr(actor, "id", None), status=MeetingStatus.PLANNED)
    _apply(session, meeting, **values)
    session.add(meeting)
    session.flush()
    if clone_from is not None:
        clone_into(session, meeting, clone_from)
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="meeting", object_id=str(meeting.id),
                 details={"event": "created", "cloned_from": clone_from.id if clone_from else None})
    return meeting


def update_meeting(session: Session, meeting: Meeting, actor, **values) -> Meeting:
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingError("A cancelled meeting cannot be changed.", "title")
    before = calendar_state(meeting)
    _apply(session, meeting, **values)
    if calendar_state(meeting) != before:
        meeting.ical_sequence = (meeting.ical_sequence or 0) + 1  # calendars take the update over the old
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="meeting", object_id=str(meeting.id), details={"event": "updated"})
    return meeting


def clone_into(session: Session, meeting: Meeting, source: Meeting) -> None:
    """Copy the agenda skeleton (times shifted with the meeting) and the invitee list, not yet sent."""
    meeting.cloned_from_id = source.id
    shift = meeting.starts_at - source.starts_at
    for item in source.agenda_items:
        meeting.agenda_items.append(AgendaItem(
            position=item.position, title=item.title, topic=item.topic, presenter=item.presenter,
            starts_at=item.starts_at + shift if item.starts_at else None,
            ends_at=item.ends_at + shift if item.ends_at else None))
    for inv in source.invitations:
        meeting.invitations.append(Invitation(country_code=inv.country_code, agency_code=inv.agency_code,
                                              reason=inv.reason))
    session.flush()


_TRANSITIONS = {
    MeetingStatus.PLANNED: {MeetingStatus.INVITATIONS_SENT, MeetingStatus.CANCELLED},
    MeetingStatus.INVITATIONS_SENT: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: set(),
    MeetingStatus.CANCELLED: set(),
}


def set_status(session: Session, meeting: Meeting, status: MeetingStatus, actor, now: dt.datetime) -> None:
    current = meeting.status_enum
    if status not in _TRANSITIONS[current]:
        raise MeetingError("A meeting that is %(current)s cannot become %(new)s.", "status",
                           current=current.label.lower(), new=status.label.lower())
    if status is MeetingStatus.HELD and meeting.starts_at > now:
        raise MeetingError("A meeting can be marked as held once it has started.", "status")
    meeting.status = status
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="meeting", object_id=str(meeting.id), details={"event": "status", "status": status})


def half_year(day: dt.date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def half_year_bounds(year: int, half: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, 1 if half == 1 else 7, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC) if half == 2 else dt.datetime(year, 7, 1, tzinfo=dt.UTC)
    return start, end


def half_years_without_meeting(session: Session, today: dt.date) -> list[tuple[int, int, str | None]]:
    """The current and the next half-year when no (non-cancelled) meeting is planned in them."""
    year, half = half_year(today)
    nxt = (year, 2) if half == 1 else (year + 1, 1)
    gaps = []
    for y, h in ((year, half), nxt):
        start, end = half_year_bounds(y, h)
        found = session.scalar(select(Meeting.id).where(
            Meeting.starts_at >= start, Meeting.starts_at < end,
            Meeting.status != MeetingStatus.CANCELLED).limit(1))
        if found is None:
            gaps.append((y, h, proposed_presidency(session, start.date())))
    return gaps


def half_year_label(year: int, half: int) -> str:
    from portal.enums import N_, say

    return say("%(half)s %(year)s", half=say(N_("January-June") if half == 1 else N_("July-December")), year=year)


def describe_budget(session: Session, subject_id: int) -> tuple[str, str]:
    """How a meeting's budget is named in the year's funding totals (portal/funding)."""
    meeting = session.get(Meeting, subject_id)
    return (meeting.title, f"/meetings/{subject_id}/funding") if meeting else (f"meeting {subject_id}", "")
