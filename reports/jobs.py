"""The reports' work on the task queue (portal.jobs): job `reports.build` writes a round report's DOCX or
XLSX for a ReportBuild (reports/models.py) requested by reports/services/builds.py::request_build,
recording its progress as it goes. It is written in the language of the user who asked for it (the job's
`language`, Flask-Babel's force_locale: titles, headings, column titles, question labels and days), and the
report it is made from is kept per language (reports/services/built.py), so a French and an English build of the
same round never share their text."""

from __future__ import annotations

from sqlalchemy import update

from portal import jobs
from portal.db import utcnow
from portal.i18n import LANGUAGES
from reports.models import BuildStatus, ReportBuild


def _progress(database, build_id: int, **values) -> None:
    with database.unit_of_work() as session:
        session.execute(update(ReportBuild).where(ReportBuild.id == build_id).values(**values))


def _write(session, build_id: int, round_, user, fmt: str, language: str) -> bytes:
    from flask import current_app

    from reports import services
    from reports.document import docx_report
    from reports.exports import xlsx_report

    database = current_app.extensions["spoc_db"]
    report, _ = services.round_report(session, round_, services.viewer_of(user, round_), language)
    _progress(database, build_id, progress=40, step=f"drawing_{fmt}")  # BUILD_STEPS
    charts = current_app.extensions["report_charts"]
    return docx_report(report, charts) if fmt == "docx" else xlsx_report(report, charts)


@jobs.job("reports.build", retries=2, retry_delay=10)
def build_job(build_id: int, language: str = "en") -> None:
    from flask import current_app
    from flask_babel import force_locale

    from portal.accounts.models import User
    from questionnaires.models import Round

    database = current_app.extensions["spoc_db"]
    with database.read_session() as session:
        build = session.get(ReportBuild, build_id)
        if build is None or build.status == BuildStatus.DONE:
            return
        round_, user = session.get(Round, build.round_id), session.get(User, build.requested_by_id)
        fmt = build.fmt
        _progress(database, build_id, status=BuildStatus.BUILDING, progress=10, step="reading")
        language = language if language in LANGUAGES else "en"
        try:
            with force_locale(language):
                data = _write(session, build_id, round_, user, fmt, language)
        except Exception as exc:
            _progress(database, build_id, status=BuildStatus.FAILED, step="failed",
                      error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=utcnow())
            raise
    _progress(database, build_id, status=BuildStatus.DONE, progress=100, step="ready", content=data,
              finished_at=utcnow())
