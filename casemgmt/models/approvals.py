"""Four-eyes approval of what leaves the SPOC (issue 17, point 5): an officer's refusal, restricted
(H2/H3) information or own request waits here until a supervisor approves it or sends it back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casemgmt.models.enums import ApprovalKind, ApprovalState
from portal.db import Base, EnumText, UTCDateTime, utcnow


class Approval(Base):
    __tablename__ = "case_approvals"
    __table_args__ = (Index("ix_case_approvals_pending", "country_code", "state", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    exchange_number: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[ApprovalKind] = mapped_column(EnumText(ApprovalKind, 20))
    action: Mapped[str] = mapped_column(String(30))  # what is done once approved (approvals.EXECUTORS)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")  # the draft as the approver reads it
    state: Mapped[ApprovalState] = mapped_column(EnumText(ApprovalState, 10), default=ApprovalState.PENDING)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(Text, default="")

    case = relationship("Case")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
