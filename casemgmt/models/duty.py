"""24/7 duty (issue 17, point 4; Directive (EU) 2023/977 Art. 14(3): the SPOC works 24 hours a day,
seven days a week): who is on duty when, the shift leader, handover notes, and the alerts sent so
that an urgent request arriving at night reaches someone (casemgmt.services.duty)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casemgmt.models.enums import DutyAlertKind, DutyRole
from portal.db import Base, EnumText, UTCDateTime, utcnow


class DutyShift(Base):
    __tablename__ = "case_duty_shifts"
    __table_args__ = (Index("ix_case_duty_shifts_when", "country_code", "ends_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[DutyRole] = mapped_column(EnumText(DutyRole, 20))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])


class HandoverNote(Base):
    __tablename__ = "case_handover_notes"
    __table_args__ = (Index("ix_case_handover_notes_at", "country_code", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    author = relationship("User")


class DutyAlert(Base):
    """One alert per case and kind: new urgent request, unassigned too long, deadline near or passed."""

    __tablename__ = "case_duty_alerts"
    __table_args__ = (UniqueConstraint("case_id", "kind", name="uq_case_duty_alerts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[DutyAlertKind] = mapped_column(EnumText(DutyAlertKind, 20))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipients: Mapped[list] = mapped_column(JSON, default=list)
