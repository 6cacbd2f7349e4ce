"""Jobs that kept failing after their retries, for the administrator (/admin/jobs)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class JobFailure(Base):
    __tablename__ = "job_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))  # the job's name, e.g. mail.send
    args: Mapped[list] = mapped_column(JSON, default=list)
    failed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=1)
    last_error: Mapped[str] = mapped_column(Text, default="")


def record_failure(database, *, kind: str, args: list, attempts: int, error: str) -> None:
    with database.unit_of_work() as session:
        session.add(JobFailure(kind=kind, args=args, attempts=attempts, last_error=error[:4000]))
