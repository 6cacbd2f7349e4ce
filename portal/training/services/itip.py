"""The training activity in the participants' calendars: iTIP messages (RFC 5546, mailed per RFC 6047) as
the meetings send them. A confirmed participant gets a REQUEST; a change of the activity's dates, place,
format or title a REQUEST with the SEQUENCE raised (same UID); a withdrawn nomination a CANCEL for that
participant; a cancelled activity a CANCEL to every confirmed participant. Each message names its
participant alone as ATTENDEE (the participants of other countries are not disclosed to them); the mail
leaves after the commit, through the outbox and the worker (portal.mail)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from portal import mail
from portal.accounts.models import User
from portal.dates import Later, format_day, format_short_day
from portal.directory.reference import language_label
from portal.exports import DEFAULT_ORGANIZER, ORGANIZER_NAME, ics_calendar, itip_ics
from portal.training.models import Activity, ActivityStatus, Nomination, NominationStatus

CALENDAR_FIELDS = ("title", "format", "start_date", "end_date", "place")
CALENDAR_NAME = "SPOC training"


def calendar_state(activity: Activity) -> tuple:
    """What the participants' calendars hold of an activity (and whether it is cancelled)."""
    return (*(getattr(activity, name) for name in CALENDAR_FIELDS), activity.status == ActivityStatus.CANCELLED)


def dates(activity: Activity) -> Later:
    """The activity's days, written in each recipient's language when the mail is rendered (portal/dates.py)."""
    if activity.start_date == activity.end_date:
        return Later(lambda: format_day(activity.start_date))
    return Later(lambda: f"{format_short_day(activity.start_date)} - {format_day(activity.end_date)}")


def activity_event(activity: Activity, base_url: str = "", organizer: str = DEFAULT_ORGANIZER) -> dict:
    """The activity as one all-day event over its days (DTEND is exclusive in iCalendar)."""
    return {
        "uid": f"training-activity-{activity.id}@spoc-portal",
        "summary": f"Training: {activity.title}",
        "start": activity.start_date,
        "end": activity.end_date + dt.timedelta(days=1),
        "location": activity.place or ("Online" if activity.format == "online" else ""),
        "description": activity.learning_objectives or activity.title,
        "url": f"{base_url.rstrip('/')}/training/activities/{activity.id}" if base_url else None,
        "status": "CANCELLED" if activity.status == ActivityStatus.CANCELLED else "CONFIRMED",
        "sequence": activity.ical_sequence or 0, "organizer": (organizer, ORGANIZER_NAME)}


def activity_ics(activity: Activity, base_url: str = "", organizer: str = DEFAULT_ORGANIZER) -> bytes:
    """The activity as .ics to download (iTIP PUBLISH, the current SEQUENCE)."""
    return ics_calendar([activity_event(activity, base_url, organizer)], name=CALENDAR_NAME)


def recipients(session: Session, nomination: Nomination) -> list[str]:
    """The participant, and the Head of SPOC who nominated them (kept informed)."""
    to = [nomination.nominee_email]
    head = session.get(User, nomination.nominated_by_id) if nomination.nominated_by_id else None
    if head is not None and head.email and head.email not in to:
        to.append(head.email)
    return to


def _mail(session: Session, nomination: Nomination, method: str, kind: str, base_url: str, organizer: str) -> list[str]:
    """Queue one iTIP mail of a kind (`training/mail/<kind>.txt`) about the nomination's activity; the
    participant is the ATTENDEE. Returns the addresses mailed."""
    activity = nomination.activity
    to = recipients(session, nomination)
    ics = itip_ics(activity_event(activity, base_url, organizer), method,
                   [(nomination.nominee_email, nomination.nominee_name)], CALENDAR_NAME)
    mail.queue_template(session, to, f"training/mail/{kind}.txt", activity=activity, nomination=nomination,
                        dates=dates(activity), activity_language=language_label(activity.language),
                        # iMIP (RFC 6047 2.4): the part names the METHOD of its calendar
                        attachments=[(f"training-{activity.id}.ics", f"text/calendar; method={method}", ics)])
    return to


def invite(session: Session, nomination: Nomination, base_url: str = "", organizer: str = DEFAULT_ORGANIZER
           ) -> list[str]:
    """The confirmation: a REQUEST at the activity's current SEQUENCE."""
    return _mail(session, nomination, "REQUEST", "confirmed", base_url, organizer)


def withdrawn(session: Session, nomination: Nomination, base_url: str = "", organizer: str = DEFAULT_ORGANIZER
              ) -> list[str]:
    """A confirmed participant's nomination withdrawn: a CANCEL for them, the SEQUENCE raised (RFC 5546
    3.2.5). Nothing when the activity is already cancelled or over (their calendar needs no change)."""
    if nomination.activity.status in (ActivityStatus.CANCELLED, ActivityStatus.HELD):
        return []
    activity = nomination.activity
    activity.ical_sequence = (activity.ical_sequence or 0) + 1
    return _mail(session, nomination, "CANCEL", "withdrawn", base_url, organizer)


def after_change(session: Session, activity: Activity, before: tuple, base_url: str = "",
                 organizer: str = DEFAULT_ORGANIZER) -> int:
    """After an edit (`before`: calendar_state before it): when the participants' calendars hold something
    else now, the SEQUENCE is raised and every confirmed participant gets a CANCEL (activity cancelled)
    or the updated REQUEST. Returns the number of participants mailed."""
    if calendar_state(activity) == before or (before[-1] and activity.status == ActivityStatus.CANCELLED):
        return 0  # nothing the calendars hold changed, or a cancelled activity edited: already out of them
    cancelled = activity.status == ActivityStatus.CANCELLED
    activity.ical_sequence = (activity.ical_sequence or 0) + 1
    method, kind = ("CANCEL", "cancelled") if cancelled else ("REQUEST", "changed")
    confirmed = [n for n in activity.nominations if n.status == NominationStatus.CONFIRMED]
    for nomination in confirmed:
        _mail(session, nomination, method, kind, base_url, organizer)
    return len(confirmed)
