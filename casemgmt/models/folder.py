"""What a case folder holds: messages, attachments, notes, tasks, disseminations, retention reviews."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casemgmt.models.enums import RetentionDecision, TaskStatus
from portal import files as _files  # noqa: F401  (StoredFile, an attachment's file: mapped wherever a case is made)
from portal.db import Base, EnumText, UTCDateTime, utcnow


class Message(Base):
    """One message in or out of the SPOC, on one channel."""

    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    exchange_id: Mapped[int | None] = mapped_column(ForeignKey("case_exchanges.id"), index=True)
    country_code: Mapped[str] = mapped_column(String(2))
    direction: Mapped[str] = mapped_column(String(3))
    type: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(12))
    channel_reason: Mapped[str | None] = mapped_column(String(60))
    channel_reason_text: Mapped[str] = mapped_column(Text, default="")
    counterpart_country: Mapped[str | None] = mapped_column(String(2))
    counterpart_type: Mapped[str] = mapped_column(String(30), default="spoc")
    language: Mapped[str] = mapped_column(String(5), default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # received (in) or sent (out)
    external_reference: Mapped[str] = mapped_column(String(120), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    urgency_ground: Mapped[str | None] = mapped_column(String(40))
    information_access: Mapped[str | None] = mapped_column(String(10))
    handling_code: Mapped[str | None] = mapped_column(String(2))
    handling_text: Mapped[str] = mapped_column(Text, default="")
    # refusals (Art. 6) and delay notices (Art. 5(2))
    refusal_grounds: Mapped[list] = mapped_column(JSON, default=list)
    refusal_justification: Mapped[str] = mapped_column(Text, default="")
    partial_refusal: Mapped[bool] = mapped_column(Boolean, default=False)
    expected_delay_days: Mapped[int | None] = mapped_column(Integer)
    expected_delay_hours: Mapped[int | None] = mapped_column(Integer)
    # the 4x4 evaluation the provider gave this information (Europol Regulation Art. 29)
    source_code: Mapped[str | None] = mapped_column(String(1))
    information_code: Mapped[str | None] = mapped_column(String(1))
    duplicate: Mapped[bool] = mapped_column(Boolean, default=False)  # arrived for a case already known
    raw: Mapped[dict] = mapped_column(JSON, default=dict)  # the message as received (erased with the data)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="messages")
    exchange = relationship("Exchange", back_populates="messages")
    attachments = relationship("Attachment", back_populates="message", order_by="Attachment.id")


class Attachment(Base):
    __tablename__ = "case_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("case_messages.id"))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    message = relationship("Message", back_populates="attachments")
    file = relationship("StoredFile")


class Note(Base):
    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User")


class Task(Base):
    __tablename__ = "case_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[TaskStatus] = mapped_column(EnumText(TaskStatus, 10), default=TaskStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    assignee = relationship("User", foreign_keys=[assignee_id])


class Dissemination(Base):
    """What went to which national authority, with which handling code (Art. 16(1)(d))."""

    __tablename__ = "case_disseminations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("case_national_authorities.id"))
    summary: Mapped[str] = mapped_column(Text)
    handling_code: Mapped[str] = mapped_column(String(2))
    handling_text: Mapped[str] = mapped_column(Text, default="")
    justification: Mapped[str] = mapped_column(Text, default="")
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    authority = relationship("NationalAuthority")


class RetentionReview(Base):
    """A recorded retention decision: keep (reason, next review) or erase."""

    __tablename__ = "case_retention_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    decision: Mapped[RetentionDecision] = mapped_column(EnumText(RetentionDecision, 10))
    reason: Mapped[str] = mapped_column(Text)
    next_review_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by = relationship("User")
