"""The statistics' maintained counts (issue 24): one row per SPOC, year, figure and key, kept by the
services that change cases and exchanges (casemgmt.services.counts), so that the dashboard and the
Art. 18 figures read a few hundred rows whatever the size of the folder."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base


class StatisticsCount(Base):
    """count cases (dashboard) or exchanges (Art. 18) of `country_code`'s `year` under `figure` and its
    keys k1..k5 ('' for none); `value` a reply time in seconds (figure `reply`), else 0."""

    __tablename__ = "case_statistics_counts"

    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    figure: Mapped[str] = mapped_column(String(16), primary_key=True)
    k1: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    k2: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    k3: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    k4: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    k5: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    value: Mapped[float] = mapped_column(Float, primary_key=True, default=0.0)
    count: Mapped[int] = mapped_column(Integer, default=0)
