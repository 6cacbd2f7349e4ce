"""Large report builds on the task queue: the round report's DOCX or XLSX is built by the worker
(job `reports.build`, reports/jobs.py) while the page shows its progress, then offers the file."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.orm import Session

from portal.db import utcnow
from reports.models import ReportBuild

FORMATS = ("docx", "xlsx")
KEEP = dt.timedelta(days=1)


def request_build(session: Session, round_id: int, fmt: str, user) -> ReportBuild:
    """A queued build (the caller enqueues `reports.build` after the commit); old builds are dropped."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    session.execute(delete(ReportBuild).where(ReportBuild.created_at < utcnow() - KEEP))
    build = ReportBuild(round_id=round_id, fmt=fmt, requested_by_id=user.id)
    session.add(build)
    session.flush()
    return build
