"""Large report builds on the task queue: the round report's DOCX or XLSX is built by the worker
(job `reports.build`) while the page shows its progress, then offers the file.

A build belongs to the user who asked for it (it is built as that user may see the round: their
country's free text, shared rounds) and is kept for a day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String, Text, delete, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import jobs
from portal.db import Base, UTCDateTime, utcnow

FORMATS = ("docx", "xlsx")
KEEP = dt.timedelta(days=1)


class ReportBuild(Base):
    __tablename__ = "report_builds"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_rounds.id", ondelete="CASCADE"))
    fmt: Mapped[str] = mapped_column(String(8))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued, building, done, failed
    progress: Mapped[int] = mapped_column(default=0)  # percent
    step: Mapped[str] = mapped_column(String(120), default="Waiting for the worker")
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


def request_build(session: Session, round_id: int, fmt: str, user) -> ReportBuild:
    """A queued build (the caller enqueues `reports.build` after the commit); old builds are dropped."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    session.execute(delete(ReportBuild).where(ReportBuild.created_at < utcnow() - KEEP))
    build = ReportBuild(round_id=round_id, fmt=fmt, requested_by_id=user.id)
    session.add(build)
    session.flush()
    return build


def _progress(database, build_id: int, **values) -> None:
    with database.unit_of_work() as session:
        session.execute(update(ReportBuild).where(ReportBuild.id == build_id).values(**values))


@jobs.job("reports.build", retries=2, retry_delay=10)
def build_job(build_id: int) -> None:
    from flask import current_app

    from portal.accounts.models import User
    from questionnaires.models import Round
    from reports import services
    from reports.document import docx_report
    from reports.exports import xlsx_report

    database = current_app.extensions["spoc_db"]
    with database.read_session() as session:
        build = session.get(ReportBuild, build_id)
        if build is None or build.status == "done":
            return
        round_, user = session.get(Round, build.round_id), session.get(User, build.requested_by_id)
        fmt = build.fmt
        _progress(database, build_id, status="building", progress=10, step="Reading the responses")
        try:
            report, _ = services.round_report(session, round_, services.viewer_of(user, round_))
            _progress(database, build_id, progress=40, step="Drawing the charts and writing the "
                      + ("document" if fmt == "docx" else "workbook"))
            charts = current_app.extensions["report_charts"]
            data = docx_report(report, charts) if fmt == "docx" else xlsx_report(report, charts)
        except Exception as exc:
            _progress(database, build_id, status="failed", step="Failed", error=f"{type(exc).__name__}: {exc}"[:2000],
                      finished_at=utcnow())
            raise
    _progress(database, build_id, status="done", progress=100, step="Ready", content=data, finished_at=utcnow())
