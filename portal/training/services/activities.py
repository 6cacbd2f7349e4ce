"""Training activities: planning, trainers and their overlapping bookings, the planning calendar."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, selectinload

from portal import audit
from portal.audit import AuditAction
from portal.exports import DEFAULT_ORGANIZER
from portal.training.models import (
    Activity,
    ActivityFormat,
    ActivityStatus,
    Opportunity,
    OpportunityStatus,
    Trainer,
    TrainingTopic,
    activity_trainers,
)
from portal.training.services import TrainingError, itip
from portal.training.services.opportunities import record_conversion


@dataclass
class ActivityInput:
    title: str
    format: str
    start_date: dt.date | None
    end_date: dt.date | None
    capacity: int | None
    topic_id: int | None = None
    place: str = ""
    language: str = "en"
    country_quota: int | None = None
    cepol_support: bool = False
    cepol_reference: str = ""
    learning_objectives: str = ""
    audience: str = ""
    status: str = ActivityStatus.PLANNED.value
    trainer_ids: list[int] = field(default_factory=list)


def _apply(session: Session, activity: Activity, data: ActivityInput) -> None:
    title = (data.title or "").strip()
    if not title:
        raise TrainingError("Give the activity a title.", "title")
    if ActivityFormat.of(data.format) is None:
        raise TrainingError("Choose classroom, online or exchange.", "format")
    if data.start_date is None:
        raise TrainingError("Give the first day.", "start_date")
    if data.end_date is None:
        raise TrainingError("Give the last day.", "end_date")
    if data.end_date < data.start_date:
        raise TrainingError("The last day cannot be before the first day.", "end_date")
    if data.capacity is None or not 1 <= data.capacity <= 1000:
        raise TrainingError("The capacity must be between 1 and 1000 participants.", "capacity")
    if data.country_quota is not None and not 1 <= data.country_quota <= data.capacity:
        raise TrainingError("The quota per country must be between 1 and the capacity.", "country_quota")
    if ActivityStatus.of(data.status) is None:
        raise TrainingError("Choose a status from the list.", "status")
    if data.format != ActivityFormat.ONLINE and not (data.place or "").strip():
        raise TrainingError("Give the place (city and venue) of a classroom or exchange activity.", "place")
    if data.cepol_support and not (data.cepol_reference or "").strip():
        raise TrainingError("Give CEPOL's reference (e.g. the course number) when CEPOL supports the activity.",
                            "cepol_reference")
    topic = None
    if data.topic_id:
        topic = session.get(TrainingTopic, int(data.topic_id))
        if topic is None:
            raise TrainingError("Choose a topic from the list.", "topic_id")
    ids = {int(i) for i in data.trainer_ids or []}
    trainers = list(session.scalars(select(Trainer).where(Trainer.id.in_(ids)))) if ids else []
    if len(trainers) != len(ids):
        raise TrainingError("Choose trainers from the pool.", "trainer_ids")
    activity.title, activity.format, activity.topic = title[:200], data.format, topic
    activity.start_date, activity.end_date, activity.capacity = data.start_date, data.end_date, data.capacity
    activity.place, activity.language = (data.place or "").strip()[:200], (data.language or "en").strip()[:40]
    activity.country_quota = data.country_quota
    activity.cepol_support = bool(data.cepol_support)
    activity.cepol_reference = (data.cepol_reference or "").strip()[:100] if data.cepol_support else ""
    activity.learning_objectives = (data.learning_objectives or "").strip()
    activity.audience = (data.audience or "").strip()
    activity.status = data.status
    activity.trainers = trainers


def create_activity(session: Session, actor, data: ActivityInput, opportunity: Opportunity | None = None) -> Activity:
    if opportunity is not None:
        if opportunity.status != OpportunityStatus.APPROVED:
            raise TrainingError("Only an approved opportunity can become an activity.", "opportunity")
        if opportunity.activity is not None:
            raise TrainingError("This opportunity is already an activity.", "opportunity")
    activity = Activity()
    _apply(session, activity, data)
    activity.opportunity = opportunity
    session.add(activity)
    session.flush()
    if opportunity is not None:
        record_conversion(session, actor, opportunity, activity.id)
    audit.record(session, actor=actor, area="training", action=AuditAction.ADMIN, object_type="training_activity",
                 object_id=activity.id, details={"event": "activity created", "opportunity": getattr(opportunity, "id", None)})
    return activity


def update_activity(session: Session, actor, activity: Activity, data: ActivityInput, base_url: str = "",
                    organizer: str = DEFAULT_ORGANIZER) -> Activity:
    """Save the changes; when the dates, place, format or title change or the activity is cancelled, the
    confirmed participants are mailed the update or the cancellation for their calendars (iTIP)."""
    before = itip.calendar_state(activity)
    _apply(session, activity, data)
    mailed = itip.after_change(session, activity, before, base_url, organizer)
    audit.record(session, actor=actor, area="training", action=AuditAction.ADMIN, object_type="training_activity",
                 object_id=activity.id, details={"event": "activity changed", "status": activity.status,
                                                 "participants_mailed": mailed})
    return activity


def draft_from_opportunity(opp: Opportunity) -> dict:
    """Form values that carry the opportunity over into a new activity."""
    return {"title": opp.title, "topic_id": opp.topic_id, "audience": opp.target_audience,
            "learning_objectives": opp.description}


# overlapping bookings -------------------------------------------------------------------------
@dataclass(frozen=True)
class Overlap:
    trainer: Trainer
    activity: Activity  # the activity under consideration
    other: Activity  # the overlapping one


def _overlaps_query(of_activities: bool):
    """The overlap query, built once per form (each activity page built and cache-keyed it anew: a tenth
    of the page's time, issue 24); `of_activities`: limited to the activities of the parameter `ids`."""
    key = ("overlaps", of_activities)
    if key not in _QUERIES:
        a1, a2 = activity_trainers.alias("a1"), activity_trainers.alias("a2")
        x, y = Activity.__table__.alias("x"), Activity.__table__.alias("y")
        live = ActivityStatus.CANCELLED
        query = (select(a1.c.trainer_id, a1.c.activity_id, a2.c.activity_id)
                 .join(a2, and_(a1.c.trainer_id == a2.c.trainer_id, a1.c.activity_id != a2.c.activity_id))
                 .join(x, x.c.id == a1.c.activity_id).join(y, y.c.id == a2.c.activity_id)
                 .where(x.c.start_date <= y.c.end_date, y.c.start_date <= x.c.end_date,
                        x.c.status != live, y.c.status != live))
        if of_activities:
            query = query.where(a1.c.activity_id.in_(bindparam("ids", expanding=True)))
        _QUERIES[key] = query
    return _QUERIES[key]


_QUERIES: dict = {}


def trainer_overlaps(session: Session, activity_ids: list[int] | None = None) -> list[Overlap]:
    """Trainers booked on two activities whose dates overlap (cancelled activities do not count)."""
    if activity_ids is None:
        rows = session.execute(_overlaps_query(False)).all()
    else:
        rows = session.execute(_overlaps_query(True), {"ids": list(activity_ids)}).all()
    out = []
    for trainer_id, act_id, other_id in rows:
        out.append(Overlap(session.get(Trainer, trainer_id), session.get(Activity, act_id),
                           session.get(Activity, other_id)))
    return sorted(out, key=lambda o: (o.activity.start_date, o.trainer.name, o.other.start_date))


def overlaps_by_activity(session: Session) -> dict[int, list[Overlap]]:
    grouped: dict[int, list[Overlap]] = defaultdict(list)
    for o in trainer_overlaps(session):
        grouped[o.activity.id].append(o)
    return grouped


# calendar -------------------------------------------------------------------------------------
def activities(session: Session, *, year: int | None = None, include_cancelled: bool = True) -> list[Activity]:
    query = select(Activity).options(selectinload(Activity.trainers), selectinload(Activity.topic))
    if year is not None:
        query = query.where(Activity.start_date <= dt.date(year, 12, 31), Activity.end_date >= dt.date(year, 1, 1))
    if not include_cancelled:
        query = query.where(Activity.status != ActivityStatus.CANCELLED)
    return list(session.scalars(query.order_by(Activity.start_date, Activity.id)))


def by_month(items: list[Activity]) -> list[tuple[dt.date, list[Activity]]]:
    """Activities grouped by the month they start in, in order."""
    grouped: dict[dt.date, list[Activity]] = defaultdict(list)
    for a in items:
        grouped[a.start_date.replace(day=1)].append(a)
    return sorted(grouped.items())


@dataclass
class MonthGrid:
    month: dt.date
    weeks: list[list[tuple[dt.date | None, list[Activity]]]]

    @property
    def previous(self) -> dt.date:
        return (self.month - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return (self.month + dt.timedelta(days=32)).replace(day=1)


def month_grid(session: Session, month: dt.date) -> MonthGrid:
    """A Monday-first grid of the month; each day lists the activities running on it."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    running = list(session.scalars(select(Activity).where(Activity.start_date <= last, Activity.end_date >= first)
                                   .order_by(Activity.start_date, Activity.id)))
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        row = []
        for day in week:
            if day.month != first.month:
                row.append((None, []))
            else:
                row.append((day, [a for a in running if a.start_date <= day <= a.end_date]))
        weeks.append(row)
    return MonthGrid(first, weeks)
