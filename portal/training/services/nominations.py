"""Nominations: quota per country, waiting list, confirmation by the secretariat (mail with .ics), attendance."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import audit, mail, policy
from portal.accounts.models import User
from portal.audit import AuditAction
from portal.dates import Later, format_day, format_short_day
from portal.directory.models import Country
from portal.directory.reference import language_label
from portal.exports import ics_calendar
from portal.training.models import HOLDS_PLACE, Activity, ActivityStatus, Nomination, NominationStatus
from portal.training.services import TrainingError
from portal.training.services.topics import settings

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def quota(session: Session, activity: Activity) -> int:
    """Places per country on this activity: its own quota, or the default of the settings."""
    return activity.country_quota or settings(session).default_quota


def places_taken(session: Session, activity: Activity, country_code: str | None = None) -> int:
    query = select(func.count(Nomination.id)).where(Nomination.activity_id == activity.id,
                                                    Nomination.status.in_(HOLDS_PLACE))
    if country_code:
        query = query.where(Nomination.country_code == country_code)
    return session.scalar(query) or 0


@dataclass
class CountryPlaces:
    quota: int
    taken: int
    waiting: int
    free_overall: int

    @property
    def left(self) -> int:
        return max(0, min(self.quota - self.taken, self.free_overall))


def country_places(session: Session, activity: Activity, country_code: str) -> CountryPlaces:
    waiting = session.scalar(select(func.count(Nomination.id)).where(
        Nomination.activity_id == activity.id, Nomination.country_code == country_code,
        Nomination.status == NominationStatus.WAITING)) or 0
    return CountryPlaces(quota(session, activity), places_taken(session, activity, country_code), waiting,
                         max(0, activity.capacity - places_taken(session, activity)))


def _has_place(session: Session, activity: Activity, country_code: str) -> bool:
    return (places_taken(session, activity) < activity.capacity
            and places_taken(session, activity, country_code) < quota(session, activity))


@dataclass
class NominationInput:
    nominee_name: str
    nominee_email: str
    nominee_position: str = ""
    country_code: str = ""


def nominate(session: Session, actor, activity: Activity, data: NominationInput) -> Nomination:
    """Within the country's quota and the capacity the nominee holds a place; beyond, the waiting list."""
    if activity.status != ActivityStatus.OPEN:
        raise TrainingError("This activity is not open for nominations.", "nominee_name")
    country = (data.country_code or actor.country_code or "").upper()
    if policy.acting_country(actor) and country != policy.acting_country(actor):
        raise TrainingError("A Head of SPOC nominates staff of their own country.", "country_code")
    if session.get(Country, country) is None:
        raise TrainingError("Choose the nominee's country.", "country_code")
    name, email = (data.nominee_name or "").strip(), (data.nominee_email or "").strip().lower()
    if not name:
        raise TrainingError("Give the name of the person nominated.", "nominee_name")
    if not EMAIL.fullmatch(email):
        raise TrainingError("Give the nominee's email address: the confirmation is sent there.", "nominee_email")
    taken = session.scalar(select(Nomination.id).where(Nomination.activity_id == activity.id,
                                                       Nomination.nominee_email == email))
    if taken is not None:
        raise TrainingError("This person is already nominated for this activity.", "nominee_email")
    status = NominationStatus.NOMINATED if _has_place(session, activity, country) else NominationStatus.WAITING
    nomination = Nomination(activity=activity, country_code=country, nominee_name=name[:200], nominee_email=email,
                            nominee_position=(data.nominee_position or "").strip()[:200], status=status.value,
                            nominated_by_id=actor.id)
    session.add(nomination)
    session.flush()
    audit.record(session, actor=actor, area="training", action=AuditAction.COLLECTION, object_type="training_nomination",
                 object_id=nomination.id, country_code=country,
                 details={"activity": activity.id, "status": status.value})
    return nomination


def waiting_list(activity: Activity, country_code: str | None = None) -> list[Nomination]:
    return [n for n in sorted(activity.nominations, key=lambda n: (n.created_at, n.id))
            if n.status == NominationStatus.WAITING and (country_code is None or n.country_code == country_code)]


def promote_waiting(session: Session, activity: Activity) -> list[Nomination]:
    """Give freed places to the waiting list, first come first served, within each country's quota."""
    session.flush()
    promoted = []
    for n in waiting_list(activity):
        if _has_place(session, activity, n.country_code):
            n.status = NominationStatus.NOMINATED
            session.flush()
            promoted.append(n)
            audit.record(session, area="training", action=AuditAction.ALTERATION, object_type="training_nomination",
                         object_id=n.id, country_code=n.country_code, details={"event": "promoted from waiting list"})
    return promoted


def confirm(session: Session, actor, nomination: Nomination, base_url: str = "") -> Nomination:
    """The secretariat confirms a nominee holding a place; the participant is mailed an invitation (.ics)."""
    if nomination.status != NominationStatus.NOMINATED:
        raise TrainingError("Only a nomination holding a place (not on the waiting list) can be confirmed.", "status")
    activity = nomination.activity
    if activity.status not in (ActivityStatus.OPEN, ActivityStatus.PLANNED):
        raise TrainingError("The activity is held or cancelled.", "status")
    nomination.status = NominationStatus.CONFIRMED
    nomination.confirmed_at = dt.datetime.now(dt.UTC)
    recipients = [nomination.nominee_email]
    head = session.get(User, nomination.nominated_by_id) if nomination.nominated_by_id else None
    if head is not None and head.email not in recipients:
        recipients.append(head.email)
    mail.queue_template(session, recipients, "training/mail/confirmed.txt", activity=activity, nomination=nomination,
                        dates=_dates(activity), activity_language=language_label(activity.language),
                        # iMIP (RFC 6047 2.4): the part names the METHOD of its calendar (PUBLISH)
                        attachments=[(f"training-{activity.id}.ics", "text/calendar; method=PUBLISH",
                                      activity_ics(activity, base_url))])
    audit.record(session, actor=actor, area="training", action=AuditAction.DISCLOSURE, object_type="training_nomination",
                 object_id=nomination.id, country_code=nomination.country_code, recipients=recipients,
                 details={"event": "confirmed", "activity": activity.id})
    return nomination


def withdraw(session: Session, actor, nomination: Nomination) -> list[Nomination]:
    """Withdraw a nomination; freed places go to the waiting list (returned)."""
    if nomination.status == NominationStatus.WITHDRAWN:
        raise TrainingError("This nomination is already withdrawn.", "status")
    if nomination.activity.status == ActivityStatus.HELD:
        raise TrainingError("The activity is over: record attendance instead.", "status")
    nomination.status = NominationStatus.WITHDRAWN
    audit.record(session, actor=actor, area="training", action=AuditAction.ALTERATION, object_type="training_nomination",
                 object_id=nomination.id, country_code=nomination.country_code, details={"event": "withdrawn"})
    return promote_waiting(session, nomination.activity)


def record_attendance(session: Session, actor, nomination: Nomination, attended: bool,
                      today: dt.date | None = None) -> Nomination:
    today = today or dt.date.today()
    if nomination.status != NominationStatus.CONFIRMED:
        raise TrainingError("Attendance is recorded for confirmed participants only.", "attended")
    if nomination.activity.start_date > today:
        raise TrainingError("Attendance can be recorded once the activity has started.", "attended")
    nomination.attended = bool(attended)
    audit.record(session, actor=actor, area="training", action=AuditAction.ALTERATION, object_type="training_nomination",
                 object_id=nomination.id, country_code=nomination.country_code, details={"attended": bool(attended)})
    return nomination


# the invitation ---------------------------------------------------------------------------------
def _dates(activity: Activity) -> Later:
    """The activity's days, written in each recipient's language when the mail is rendered (portal/dates.py)."""
    if activity.start_date == activity.end_date:
        return Later(lambda: format_day(activity.start_date))
    return Later(lambda: f"{format_short_day(activity.start_date)} - {format_day(activity.end_date)}")


def activity_ics(activity: Activity, base_url: str = "") -> bytes:
    """All-day event(s) covering the activity's days (DTEND is exclusive in iCalendar)."""
    return ics_calendar([{
        "uid": f"training-activity-{activity.id}@spoc-portal",
        "summary": f"Training: {activity.title}",
        "start": activity.start_date,
        "end": activity.end_date + dt.timedelta(days=1),
        "location": activity.place or ("Online" if activity.format == "online" else ""),
        "description": activity.learning_objectives or activity.title,
        "url": f"{base_url.rstrip('/')}/training/activities/{activity.id}" if base_url else None,
        "status": "CANCELLED" if activity.status == ActivityStatus.CANCELLED else "CONFIRMED",
    }], name="SPOC training")
