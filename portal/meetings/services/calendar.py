"""iCalendar: one meeting as .ics, and each user's private feed (token in the URL, stored hashed)."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit, policy
from portal.accounts.models import User
from portal.db import utcnow
from portal.exports import DEFAULT_ORGANIZER, ORGANIZER_NAME, ics_calendar, itip_ics
from portal.meetings.models import CalendarFeedToken, Meeting, MeetingStatus

CALENDAR_FIELDS = ("title", "description", "venue", "online_url", "starts_at", "ends_at", "timezone")


def calendar_state(meeting: Meeting) -> tuple:
    """What the invitees' calendars hold of a meeting: a change to any of it is a new SEQUENCE."""
    return tuple(getattr(meeting, name) for name in CALENDAR_FIELDS)


def meeting_event(meeting: Meeting, base_url: str, organizer: str = DEFAULT_ORGANIZER) -> dict:
    where = meeting.venue or meeting.online_url
    lines = [meeting.description] if meeting.description else []
    if meeting.online_url:
        lines.append(f"Online: {meeting.online_url}")
    if meeting.presidency_code:
        lines.append(f"Presidency: {meeting.presidency_code}")
    url = f"{base_url.rstrip('/')}/meetings/{meeting.id}"
    lines.append(f"Details and agenda: {url}")
    return {"uid": f"meeting-{meeting.id}@spoc-portal", "summary": meeting.title, "start": meeting.starts_at,
            "end": meeting.ends_at, "location": where, "description": "\n".join(lines), "url": url,
            "status": "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED",
            "sequence": meeting.ical_sequence or 0, "organizer": (organizer, ORGANIZER_NAME)}


def meeting_ics(meeting: Meeting, base_url: str, organizer: str = DEFAULT_ORGANIZER) -> bytes:
    """The meeting as .ics to download (iTIP PUBLISH)."""
    return ics_calendar([meeting_event(meeting, base_url, organizer)], name=meeting.title)


def invitation_ics(meeting: Meeting, base_url: str, method: str, attendees: list[tuple[str, str]],
                   organizer: str = DEFAULT_ORGANIZER) -> bytes:
    """An iTIP message (RFC 5546) to the `attendees` [(email, name)] of one invitation: REQUEST invites or
    updates (same UID, the meeting's current SEQUENCE); CANCEL takes the meeting out of their calendar."""
    return itip_ics(meeting_event(meeting, base_url, organizer), method, attendees, meeting.title)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def active_feed(session: Session, user: User) -> CalendarFeedToken | None:
    return session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.user_id == user.id,
                                                          CalendarFeedToken.revoked_at.is_(None)))


def create_feed_token(session: Session, user: User) -> str:
    """A new private feed token (the clear value is returned once); any earlier one stops working."""
    revoke_feed(session, user)
    raw = "cal_" + secrets.token_urlsafe(32)
    session.add(CalendarFeedToken(user_id=user.id, token_hash=_hash(raw), prefix=raw[:10]))
    audit.record(session, actor=user, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="calendar_feed", object_id=raw[:10], details={"event": "created"})
    return raw


def revoke_feed(session: Session, user: User) -> bool:
    token = active_feed(session, user)
    if token is None:
        return False
    token.revoked_at = utcnow()
    audit.record(session, actor=user, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="calendar_feed", object_id=token.prefix, details={"event": "revoked"})
    session.flush()
    return True


def user_for_feed(session: Session, raw: str) -> User | None:
    token = session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.token_hash == _hash(raw),
                                                           CalendarFeedToken.revoked_at.is_(None)))
    if token is None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    token.last_used_at = utcnow()
    return user


def feed_ics(session: Session, user: User, base_url: str, organizer: str = DEFAULT_ORGANIZER) -> bytes:
    meetings = session.scalars(policy.visible_meetings(user).order_by(Meeting.starts_at))
    return ics_calendar([meeting_event(m, base_url, organizer) for m in meetings], name="Heads of SPOC meetings")
