"""A SPOC's message templates (issue 17, point 2): kept by its supervisors, in the languages the SPOC
uses, with placeholders filled when an officer picks one (casemgmt.services.templates)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class MessageTemplate(Base):
    __tablename__ = "case_message_templates"
    __table_args__ = (UniqueConstraint("country_code", "kind", "language", "title", name="uq_case_message_templates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # casemgmt.services.templates.KINDS
    ground: Mapped[str | None] = mapped_column(String(1))  # a refusal's Art. 6(1) ground, a-h
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
