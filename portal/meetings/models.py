"""Models of the Heads of SPOC network: meetings, agenda, invitations, minutes, actions, register
(their funding: portal/funding)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, EnumText, UTCDateTime, utcnow
from portal.meetings.enums import (  # noqa: F401  (re-exported: the domain's names live here)
    ActionStatus,
    Answer,
    Attendance,
    EntryStatus,
    LabelledEnum,
    MeetingStatus,
    MinutesState,
    OwnerKind,
    RegisterEventKind,
    Topic,
)


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_starts_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    presidency_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    venue: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Brussels")  # IANA name
    registration_deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[MeetingStatus] = mapped_column(EnumText(MeetingStatus, 20), default=MeetingStatus.PLANNED)
    minutes_state: Mapped[MinutesState] = mapped_column(EnumText(MinutesState, 20), default=MinutesState.DRAFT)
    cloned_from_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # iCalendar SEQUENCE (RFC 5546): raised by every change that invitees' calendars must take over
    ical_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # markings (portal.markings): of the meeting (agenda, invitation, participant list) and of its minutes
    marking: Mapped[str] = mapped_column(String(60), default="", server_default="")
    minutes_marking: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # invited observers read the documents and minutes (not those for Member States only) once released
    released_to_observers: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan")
    # the invitations in force; a withdrawn one is kept (with its answer) but nobody counts, reminds or
    # admits by it any more (portal.meetings.services.invitations.withdraw)
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan",
        primaryjoin="and_(Invitation.meeting_id == Meeting.id, Invitation.withdrawn_at.is_(None))")
    withdrawn_invitations: Mapped[list[Invitation]] = relationship(
        viewonly=True, order_by="Invitation.withdrawn_at",
        primaryjoin="and_(Invitation.meeting_id == Meeting.id, Invitation.withdrawn_at.is_not(None))")
    documents: Mapped[list[MeetingDocument]] = relationship(back_populates="meeting", cascade="all, delete-orphan")

    @property
    def status_enum(self) -> MeetingStatus:
        return MeetingStatus(self.status)

    @property
    def minutes_state_enum(self) -> MinutesState:
        return MinutesState(self.minutes_state)


class AgendaItem(Base):
    __tablename__ = "meeting_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[Topic] = mapped_column(EnumText(Topic, 40))
    presenter: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    register_entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entries.id", ondelete="SET NULL"),
                                                          index=True)
    marking: Mapped[str] = mapped_column(String(60), default="", server_default="")
    member_states_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    register_entry: Mapped[RegisterEntry | None] = relationship(back_populates="agenda_items")
    minutes: Mapped[Minutes | None] = relationship(back_populates="agenda_item", uselist=False,
                                                  cascade="all, delete-orphan")

    @property
    def topic_enum(self) -> Topic:
        return Topic(self.topic)


class MeetingDocument(Base):
    """A document of a meeting (or of one agenda item); each upload adds a version, none is lost."""

    __tablename__ = "meeting_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_agenda_items.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    marking: Mapped[str] = mapped_column(String(60), default="", server_default="")
    member_states_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    meeting: Mapped[Meeting] = relationship(back_populates="documents")
    agenda_item: Mapped[AgendaItem | None] = relationship()
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.number", cascade="all, delete-orphan")

    @property
    def current(self) -> DocumentVersion | None:
        return self.versions[-1] if self.versions else None


class DocumentVersion(Base):
    __tablename__ = "meeting_document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("meeting_documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[MeetingDocument] = relationship(back_populates="versions")
    stored_file = relationship("StoredFile")


class Invitation(Base):
    """One invitee of a meeting: a country's Head of SPOC or an agency (with the reason)."""

    __tablename__ = "meeting_invitations"
    __table_args__ = (
        UniqueConstraint("meeting_id", "country_code"),
        UniqueConstraint("meeting_id", "agency_code"),
        CheckConstraint("(country_code IS NULL) <> (agency_code IS NULL)", name="one_invitee"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"))
    reason: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[Answer | None] = mapped_column(EnumText(Answer, 20))
    delegate_name: Mapped[str] = mapped_column(String(200), default="")
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attendance: Mapped[Attendance | None] = mapped_column(EnumText(Attendance, 20))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    delegates: Mapped[list[Delegate]] = relationship(back_populates="invitation", order_by="Delegate.id",
                                                     cascade="all, delete-orphan")

    @property
    def invitee(self) -> str:
        return self.country_code or self.agency_code or ""

    @property
    def answer_enum(self) -> Answer | None:
        return Answer(self.answer) if self.answer else None  # a member, also before a set value is read back

    @property
    def attendance_enum(self) -> Attendance | None:
        return Attendance(self.attendance) if self.attendance else None


class Minutes(Base):
    """The minutes of one agenda item; the version column turns a stale save into a conflict."""

    __tablename__ = "meeting_minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("meeting_agenda_items.id", ondelete="CASCADE"),
                                                unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="minutes")

    __mapper_args__ = {"version_id_col": version}


class MinutesComment(Base):
    __tablename__ = "meeting_minutes_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_agenda_items.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ActionPoint(Base):
    __tablename__ = "action_points"
    __table_args__ = (Index("ix_action_points_status_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_agenda_items.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_kind: Mapped[OwnerKind] = mapped_column(EnumText(OwnerKind, 20))
    owner_country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    owner_agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(EnumText(ActionStatus, 20), default=ActionStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting | None] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    updates: Mapped[list[ActionUpdate]] = relationship(back_populates="action", order_by="ActionUpdate.id",
                                                       cascade="all, delete-orphan")

    @property
    def status_enum(self) -> ActionStatus:
        return ActionStatus(self.status)

    @property
    def owner_label(self) -> str:
        if self.owner_kind == OwnerKind.SECRETARIAT:
            return "Secretariat"
        return self.owner_country_code or self.owner_agency_code or ""

    def is_overdue(self, today: dt.date) -> bool:
        return self.status != ActionStatus.DONE and self.due_on is not None and self.due_on < today


class ActionUpdate(Base):
    __tablename__ = "action_point_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action_points.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    old_status: Mapped[ActionStatus | None] = mapped_column(EnumText(ActionStatus, 20))
    new_status: Mapped[ActionStatus] = mapped_column(EnumText(ActionStatus, 20))
    comment: Mapped[str] = mapped_column(Text, default="")

    action: Mapped[ActionPoint] = relationship(back_populates="updates")

    @property
    def old_status_label(self) -> str:
        return ActionStatus(self.old_status).label if self.old_status else ""

    @property
    def new_status_label(self) -> str:
        return ActionStatus(self.new_status).label


class RegisterEntry(Base):
    """A topic or obstacle raised by a country, followed across meetings until closed."""

    __tablename__ = "register_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[Topic] = mapped_column(EnumText(Topic, 40))
    status: Mapped[EntryStatus] = mapped_column(EnumText(EntryStatus, 20), default=EntryStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    agenda_items: Mapped[list[AgendaItem]] = relationship(back_populates="register_entry")
    events: Mapped[list[RegisterEvent]] = relationship(back_populates="entry", order_by="RegisterEvent.id",
                                                       cascade="all, delete-orphan")

    @property
    def topic_enum(self) -> Topic:
        return Topic(self.topic)


class RegisterEvent(Base):
    __tablename__ = "register_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("register_entries.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    kind: Mapped[RegisterEventKind] = mapped_column(EnumText(RegisterEventKind, 20))
    author_label: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str] = mapped_column(Text, default="")

    entry: Mapped[RegisterEntry] = relationship(back_populates="events")
    meeting: Mapped[Meeting | None] = relationship()

    @property
    def kind_label(self) -> str:
        return RegisterEventKind(self.kind).label


class CalendarFeedToken(Base):
    """A user's private iCalendar feed: the token is in the URL and stored only as its SHA-256."""

    __tablename__ = "calendar_feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Delegate(Base):
    """One named participant of a country's or organisation's delegation to a meeting (issue 19, 3a).

    The identity details that building access needs (nationality, date of birth, identity document) are kept
    only until the meeting is over, then erased (`identity_erased_at`) and the erasure logged."""

    __tablename__ = "meeting_delegates"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("meeting_invitations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    nationality: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    document_number: Mapped[str] = mapped_column(String(60), default="")
    identity_erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attendance: Mapped[Attendance | None] = mapped_column(EnumText(Attendance, 20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation] = relationship(back_populates="delegates")

    @property
    def has_identity(self) -> bool:
        return bool(self.nationality or self.birth_date or self.document_number)

    @property
    def attendance_enum(self) -> Attendance | None:
        return Attendance(self.attendance) if self.attendance else None
