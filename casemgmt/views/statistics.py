"""The SPOC's statistics dashboard with charts, and the Art. 18 figures (page, CSV, XLSX)."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user, login_required

from casemgmt.services.statistics import (
    CHART_COLUMNS,
    CHARTS,
    art18_figures,
    art18_rows,
    art18_table,
    chart_alt,
    chart_png,
    chart_rows,
    class_label,
    dashboard,
)
from casemgmt.views import bp, require_cases
from portal import files
from portal.db import get_session, utcnow
from portal.exports import csv_bytes, xlsx_bytes
from portal.i18n import translate


def _year() -> int:
    raw = request.args.get("year", "")
    if not raw:
        return utcnow().year
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= 2100):
        abort(404)
    return int(raw)


@bp.route("/statistics")
@login_required
def statistics():
    require_cases()
    year = _year()
    figures = dashboard(get_session(), current_user.country_code, year, utcnow())
    charts = [{"name": n, "title": translate(t), "alt": chart_alt(figures, n), "rows": chart_rows(figures, n),
               "column": translate(CHART_COLUMNS[n])} for n, (_, t) in CHARTS.items()]
    return render_template("casemgmt/statistics.html", figures=figures, charts=charts, year=year,
                           class_label=class_label)


@bp.route("/statistics/chart.png")
@login_required
def chart():
    require_cases()
    name = request.args.get("name", "")
    if name not in CHARTS:
        abort(404)
    figures = dashboard(get_session(), current_user.country_code, _year(), utcnow())
    return Response(chart_png(figures, name), mimetype="image/png")


@bp.route("/statistics/art18")
@login_required
def art18():
    require_cases()
    year = _year()
    figures = art18_figures(get_session(), current_user.country_code, year)
    return render_template("casemgmt/art18.html", figures=figures, sheets=art18_rows(figures), year=year)


@bp.route("/statistics/art18.csv")
@login_required
def art18_csv():
    return _art18_download("csv")


@bp.route("/statistics/art18.xlsx")
@login_required
def art18_xlsx():
    return _art18_download("xlsx")


def _art18_download(fmt: str):
    require_cases()
    year = _year()
    figures = art18_figures(get_session(), current_user.country_code, year)
    sheets = art18_rows(figures)
    name = f"art18-{current_user.country_code}-{year}"
    if fmt == "xlsx":
        return files.download_response(xlsx_bytes(sheets), f"{name}.xlsx",
                                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    # one tidy table (figure, country, urgency, ground, count) that pandas and spreadsheets read as it is
    header, rows = art18_table(figures)
    return files.download_response(csv_bytes(header, rows), f"{name}.csv", "text/csv")
