"""The training-needs matrix and the participation report (table, chart, CSV)."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session
from portal.exports import csv_bytes
from portal.files import download_response
from portal.training.services import needs as needs_svc
from portal.training.services import reports
from portal.training.views import bp


@bp.route("/needs")
@login_required
def needs():
    policy.ensure(policy.can_view_training_needs(current_user))
    matrix = needs_svc.needs_matrix(get_session(), policy.training_needs_countries(current_user))
    return render_template("training/needs.html", matrix=matrix,
                           full=policy.training_needs_countries(current_user) is None)


def _year() -> int | None:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else None


@bp.route("/reports")
@login_required
def report():
    policy.ensure(policy.can_view_training_reports(current_user))
    session = get_session()
    year = _year()
    data = reports.participation(session, year)
    return render_template("training/report.html", data=data, year=year, years=reports.participation(session).years,
                           alt=reports.chart_alt_text(data, year), by_country=data.pivot(1, 0),
                           by_topic=data.pivot(2, 0))


@bp.route("/reports/participation.png")
@login_required
def report_chart():
    policy.ensure(policy.can_view_training_reports(current_user))
    year = _year()
    png = reports.chart_png(reports.participation(get_session(), year), year)
    return Response(png, mimetype="image/png")


@bp.route("/reports/participation.csv")
@login_required
def report_csv():
    policy.ensure(policy.can_view_training_reports(current_user))
    data = reports.participation(get_session(), _year())
    return download_response(csv_bytes(["year", "country", "topic", "participants"], data.rows),
                             "training-participation.csv", "text/csv")
