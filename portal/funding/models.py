"""Budgets and their cost lines (tables `budgets` and `budget_cost_lines`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, EnumText, UTCDateTime, utcnow
from portal.funding.enums import CostCategory, CostKind


class Budget(Base):
    """The funding of one activity, keyed by (subject_type, subject_id): a meeting, a training activity."""

    __tablename__ = "budgets"
    __table_args__ = (UniqueConstraint("subject_type", "subject_id"),
                      Index("ix_budgets_year", "year"))

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    funding_source: Mapped[str] = mapped_column(String(200), default="")
    isf_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))  # percent co-financed
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lines: Mapped[list[CostLine]] = relationship(back_populates="budget", order_by="CostLine.id",
                                                 cascade="all, delete-orphan")


class CostLine(Base):
    __tablename__ = "budget_cost_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"), index=True)
    category: Mapped[CostCategory] = mapped_column(EnumText(CostCategory, 20))
    kind: Mapped[CostKind] = mapped_column(EnumText(CostKind, 10))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    description: Mapped[str] = mapped_column(String(300), default="")

    budget: Mapped[Budget] = relationship(back_populates="lines")
