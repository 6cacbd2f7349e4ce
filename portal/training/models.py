"""Models of training coordination: topics, core group, trainer pool, opportunities, activities,
nominations and participant feedback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, EnumText, UTCDateTime, utcnow
from portal.enums import LabelledEnum, set_labels


class ProposerKind(LabelledEnum):
    COUNTRY = "country"
    CORE_GROUP = "core_group"
    SECRETARIAT = "secretariat"


class OpportunityStatus(LabelledEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    PARKED = "parked"


class ActivityFormat(LabelledEnum):
    CLASSROOM = "classroom"
    ONLINE = "online"
    EXCHANGE = "exchange"


class ActivityStatus(LabelledEnum):
    PLANNED = "planned"
    OPEN = "open"  # open for nominations
    HELD = "held"
    CANCELLED = "cancelled"


class NominationStatus(LabelledEnum):
    NOMINATED = "nominated"  # within quota and capacity, awaiting the secretariat's confirmation
    WAITING = "waiting"  # on the waiting list
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


set_labels({
    ProposerKind: {ProposerKind.COUNTRY: "A country (Head of SPOC)", ProposerKind.CORE_GROUP: "The core group", ProposerKind.SECRETARIAT: "The secretariat"},
    OpportunityStatus: {OpportunityStatus.PROPOSED: "Proposed", OpportunityStatus.APPROVED: "Approved", OpportunityStatus.REJECTED: "Rejected", OpportunityStatus.PARKED: "Parked"},
    ActivityFormat: {ActivityFormat.CLASSROOM: "Classroom", ActivityFormat.ONLINE: "Online", ActivityFormat.EXCHANGE: "Exchange programme"},
    ActivityStatus: {ActivityStatus.PLANNED: "Planned", ActivityStatus.OPEN: "Open for nominations", ActivityStatus.HELD: "Held", ActivityStatus.CANCELLED: "Cancelled"},
    NominationStatus: {NominationStatus.NOMINATED: "Nominated", NominationStatus.WAITING: "Waiting list", NominationStatus.CONFIRMED: "Confirmed", NominationStatus.WITHDRAWN: "Withdrawn"},
})

# Statuses that hold a place (against the capacity and the country's quota).
HOLDS_PLACE = (NominationStatus.NOMINATED, NominationStatus.CONFIRMED)


class TrainingTopic(Base):
    """An expertise area / training topic: the managed list the secretariat edits."""

    __tablename__ = "training_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    # the value of the questionnaire's training-needs choice this topic answers (None: no mapping)
    needs_choice: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TrainingSettings(Base):
    """One row: the defaults the secretariat edits at run time."""

    __tablename__ = "training_settings"
    __table_args__ = (CheckConstraint("default_quota >= 1", name="quota_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    default_quota: Mapped[int] = mapped_column(Integer, default=2)


core_group_topics = Table(
    "training_core_group_topics", Base.metadata,
    Column("user_id", ForeignKey("training_core_group_profiles.user_id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("training_topics.id", ondelete="CASCADE"), primary_key=True),
)

trainer_topics = Table(
    "training_trainer_topics", Base.metadata,
    Column("trainer_id", ForeignKey("training_trainers.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("training_topics.id", ondelete="CASCADE"), primary_key=True),
)

activity_trainers = Table(
    "training_activity_trainers", Base.metadata,
    Column("activity_id", ForeignKey("training_activities.id", ondelete="CASCADE"), primary_key=True),
    Column("trainer_id", ForeignKey("training_trainers.id", ondelete="CASCADE"), primary_key=True),
)


class CoreGroupProfile(Base):
    """What a core group member (a user with the trainer role) brings: expertise and a note."""

    __tablename__ = "training_core_group_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    topics: Mapped[list[TrainingTopic]] = relationship(secondary=core_group_topics, order_by="TrainingTopic.position")


class Trainer(Base):
    """A trainer of the pool, proposed by a country or by the core group."""

    __tablename__ = "training_trainers"
    __table_args__ = (Index("ix_training_trainers_country", "country_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    languages: Mapped[str] = mapped_column(String(200), default="")  # comma-separated ISO 639-1
    availability: Mapped[str] = mapped_column(Text, default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    proposed_by_kind: Mapped[ProposerKind] = mapped_column(EnumText(ProposerKind, 20))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # mean of the participants' trainer ratings (1-5) over every activity given; kept up to date
    rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    topics: Mapped[list[TrainingTopic]] = relationship(secondary=trainer_topics, order_by="TrainingTopic.position")
    activities: Mapped[list[Activity]] = relationship(secondary=activity_trainers, back_populates="trainers",
                                                      order_by="Activity.start_date")

    @property
    def language_list(self) -> list[str]:
        return [x for x in (s.strip() for s in self.languages.split(",")) if x]


class Opportunity(Base):
    """A training opportunity proposed to the core group, which assesses and decides on it."""

    __tablename__ = "training_opportunities"
    __table_args__ = (Index("ix_training_opportunities_country", "country_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("training_topics.id", ondelete="SET NULL"))
    proposer_kind: Mapped[ProposerKind] = mapped_column(EnumText(ProposerKind, 20))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # the proposing Head of SPOC's country (None for the core group or the secretariat)
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    target_audience: Mapped[str] = mapped_column(Text, default="")
    estimated_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    relevance: Mapped[int | None] = mapped_column(Integer)  # 1 (low) - 5 (essential), set when assessed
    assessment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[OpportunityStatus] = mapped_column(EnumText(OpportunityStatus, 20), default=OpportunityStatus.PROPOSED)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    topic: Mapped[TrainingTopic | None] = relationship()
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    events: Mapped[list[OpportunityEvent]] = relationship(back_populates="opportunity",
                                                          order_by="OpportunityEvent.id",
                                                          cascade="all, delete-orphan")
    activity: Mapped[Activity | None] = relationship(back_populates="opportunity", uselist=False)

    @property
    def status_enum(self) -> OpportunityStatus:
        return OpportunityStatus(self.status)


class OpportunityEvent(Base):
    """The history of an opportunity: proposal, assessments, decisions, conversion."""

    __tablename__ = "training_opportunity_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("training_opportunities.id", ondelete="CASCADE"),
                                                index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    from_status: Mapped[OpportunityStatus | None] = mapped_column(EnumText(OpportunityStatus, 20))
    to_status: Mapped[OpportunityStatus] = mapped_column(EnumText(OpportunityStatus, 20))
    note: Mapped[str] = mapped_column(Text, default="")

    opportunity: Mapped[Opportunity] = relationship(back_populates="events")

    @property
    def from_label(self) -> str:
        return OpportunityStatus(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> str:
        return OpportunityStatus(self.to_status).label


class Activity(Base):
    """A training activity for SPOC staff."""

    __tablename__ = "training_activities"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        Index("ix_training_activities_start", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("training_topics.id", ondelete="SET NULL"))
    format: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(40), default="en")
    capacity: Mapped[int] = mapped_column(Integer)
    country_quota: Mapped[int | None] = mapped_column(Integer)  # None: the default of the settings
    cepol_support: Mapped[bool] = mapped_column(Boolean, default=False)
    cepol_reference: Mapped[str] = mapped_column(String(100), default="")
    learning_objectives: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ActivityStatus] = mapped_column(EnumText(ActivityStatus, 20), default=ActivityStatus.PLANNED)
    # iCalendar SEQUENCE (RFC 5546): raised by every change the confirmed participants' calendars must take over
    ical_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_opportunities.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    topic: Mapped[TrainingTopic | None] = relationship()
    trainers: Mapped[list[Trainer]] = relationship(secondary=activity_trainers, back_populates="activities",
                                                   order_by="Trainer.name")
    opportunity: Mapped[Opportunity | None] = relationship(back_populates="activity")
    nominations: Mapped[list[Nomination]] = relationship(back_populates="activity", order_by="Nomination.id",
                                                         cascade="all, delete-orphan")

    @property
    def status_enum(self) -> ActivityStatus:
        return ActivityStatus(self.status)

    @property
    def format_enum(self) -> ActivityFormat:
        return ActivityFormat(self.format)


class Nomination(Base):
    """A member of a country's SPOC staff nominated by its Head of SPOC for an activity."""

    __tablename__ = "training_nominations"
    __table_args__ = (
        UniqueConstraint("activity_id", "nominee_email", name="uq_training_nominations_activity_email"),
        Index("ix_training_nominations_activity_country", "activity_id", "country_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("training_activities.id", ondelete="CASCADE"))
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    nominee_name: Mapped[str] = mapped_column(String(200))
    nominee_email: Mapped[str] = mapped_column(String(254))
    nominee_position: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[NominationStatus] = mapped_column(EnumText(NominationStatus, 20))
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attended: Mapped[bool | None] = mapped_column(Boolean)  # None: not recorded yet
    # SHA-256 of the one-time link that lets the participant give feedback without an account
    feedback_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    feedback_requested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    activity: Mapped[Activity] = relationship(back_populates="nominations")
    feedback: Mapped[Feedback | None] = relationship(back_populates="nomination", uselist=False,
                                                     cascade="all, delete-orphan")

    @property
    def status_enum(self) -> NominationStatus:
        return NominationStatus(self.status)


class Feedback(Base):
    """One participant's answers to the shipped `training_feedback` questionnaire."""

    __tablename__ = "training_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("training_nominations.id", ondelete="CASCADE"),
                                               unique=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("training_activities.id", ondelete="CASCADE"),
                                             index=True)
    # the published questionnaire version answered (the engine's questionnaire_versions.id) and its number
    questionnaire_version_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_versions.id"))
    definition_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict] = mapped_column(JSON)
    overall_rating: Mapped[int | None] = mapped_column(Integer)
    trainer_rating: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    nomination: Mapped[Nomination] = relationship(back_populates="feedback")
