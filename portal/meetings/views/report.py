"""The activity report for a period: a page and a DOCX download."""

from __future__ import annotations

import datetime as dt

from flask import Response, render_template, request
from flask_login import current_user, login_required

from portal import markings, policy
from portal.db import get_session, utcnow
from portal.files import download_response
from portal.meetings.forms import ReportForm
from portal.meetings.services import activity_report as service
from portal.meetings.views import bp


def _period(form: ReportForm) -> tuple[dt.date, dt.date] | None:
    if not request.args:
        today = utcnow().date()
        start = today - dt.timedelta(days=365)  # default: the last twelve months
        form.start.data, form.end.data = start, today
        return start, today
    if not form.validate():
        return None
    if markings.marking_problem(get_session(), form.marking.data or ""):
        form.marking.errors = ["Choose a marking from the list the secretariat keeps."]
        return None
    if form.end.data < form.start.data:
        form.end.errors = ["The end of the period must be on or after its start."]
        return None
    return form.start.data, form.end.data


@bp.route("/report")
@login_required
def activity_report():
    policy.ensure(policy.can_view_activity_report(current_user))
    form = ReportForm(request.args)
    form.fill_markings(get_session())
    period = _period(form)
    report = service.build_report(get_session(), *period) if period else None
    return render_template("meetings/report.html", form=form, report=report,
                           title=service.report_title(report)), 200 if period else 422


@bp.route("/report.docx")
@login_required
def activity_report_docx():
    policy.ensure(policy.can_view_activity_report(current_user))
    form = ReportForm(request.args)
    period = _period(form)
    if period is None:
        return Response("Give a valid period: start and end dates, the end on or after the start.", status=422,
                        mimetype="text/plain")
    report = service.build_report(get_session(), *period)
    name = f"activity-report-{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.docx"
    return download_response(service.report_docx(report, form.marking.data or ""), name,
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
