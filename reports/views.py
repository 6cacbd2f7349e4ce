"""Pages of the reports: the rounds' comparative reports, their charts and downloads, country profiles."""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from portal import files, policy
from portal.db import get_session
from portal.directory.models import Country, Spoc
from portal.files import download_response
from portal.i18n import current_language
from questionnaires.models import Round
from reports import page, services
from reports.charts import FORMATS
from reports.document import docx_report
from reports.exports import csv_frame, xlsx_report
from reports.profiles import country_profile
from reports.report import country_position

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates")

DOWNLOADS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}


def chart_cache():
    return current_app.extensions["report_charts"]


def _viewer(round_: Round) -> services.Viewer:
    return services.viewer_of(current_user, round_)


def load_round(round_id: int) -> Round:
    round_ = get_session().get(Round, round_id)
    policy.ensure(round_ is not None and policy.can_view_round_report(current_user, round_))
    return round_


@bp.route("/")
@login_required
def index():
    policy.ensure(policy.can_view_reports(current_user))
    session = get_session()
    rounds = services.report_rounds(session, policy.visible_report_rounds(current_user))
    return render_template("reports/index.html", rounds=rounds)


@bp.route("/rounds/<int:round_id>")
@login_required
def round_report(round_id: int):
    round_ = load_round(round_id)
    viewer = _viewer(round_)
    report, _ = services.round_report(get_session(), round_, viewer)

    def body() -> Markup:
        position = country_position(report, viewer.country) if viewer.country else {}
        method_view = page.table_view(report.tables["maturity_method"], ["Question", "Weight", "Share of weight (%)",
                                                                          "What each answer scores"])
        return Markup(render_template(  # noqa: S704 - a template rendered by Jinja with autoescape
            "reports/_round_body.html", round=round_, report=report, viewer=viewer, position=position, page=page,
            method=method_view, blocks=page.question_blocks(report), capabilities=page.capability_rows(report),
            maturity=page.table_view(report.tables["maturity"], ["Country", "Maturity index", "Rank"])))

    return render_template("reports/round.html", round=round_, report=report, viewer=viewer,
                           body=page.cached_body(report, viewer, body, current_language()))


@bp.route("/rounds/<int:round_id>/charts/<key>.<fmt>")
@login_required
def chart(round_id: int, key: str, fmt: str):
    round_ = load_round(round_id)
    policy.ensure(fmt in FORMATS)
    report, _ = services.round_report(get_session(), round_, _viewer(round_))
    spec = report.chart(key)
    policy.ensure(spec is not None)
    response = Response(chart_cache().get(spec, fmt), mimetype=FORMATS[fmt])
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _filename(round_: Round, ext: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", round_.title).strip("-").lower() or "report"
    return f"report-{round_.id}-{slug}.{ext}"


@bp.route("/rounds/<int:round_id>/download.<fmt>")
@login_required
def download(round_id: int, fmt: str):
    round_ = load_round(round_id)
    policy.ensure(fmt in DOWNLOADS)
    report, frame = services.round_report(get_session(), round_, _viewer(round_))
    if fmt == "xlsx":
        data = xlsx_report(report, chart_cache())
    elif fmt == "docx":
        data = docx_report(report, chart_cache())
    else:
        data = csv_frame(frame)
    return download_response(data, _filename(round_, fmt), DOWNLOADS[fmt])


@bp.route("/countries")
@login_required
def countries():
    policy.ensure(policy.can_view_country_profiles(current_user))
    session = get_session()
    rows = session.execute(select(Country, Spoc).outerjoin(Spoc, Spoc.country_code == Country.code)
                           .order_by(Country.name)).all()
    dates = services.latest_submission_dates(session)
    return render_template("reports/countries.html", rows=rows, dates=dates)


@bp.route("/countries/<code>")
@login_required
def profile(code: str):
    session = get_session()
    country = session.get(Country, code.upper())
    policy.ensure(country is not None)
    latest = services.latest_submitted(session, country.code)
    policy.ensure(policy.can_view_country_profile(current_user, country.code, latest.round if latest else None))
    spoc = session.get(Spoc, country.code)
    readable = latest is not None and policy.can_view_round_report(current_user, latest.round)
    free_text = readable and policy.sees_free_text_of(current_user, latest.round, country.code,
                                                      latest.shares_free_text)
    directory = {k: getattr(spoc, k) for k in ("name", "address", "phone_24_7", "email", "languages", "head_name",
                                               "updated_at")} if spoc else {}
    profile_ = country_profile(country.code, country.name, directory, latest.definition if readable else None,
                               latest.answers if readable else None, free_text=free_text)
    return render_template("reports/profile.html", country=country, profile=profile_, latest=latest,
                           readable=readable)


@bp.route("/rounds/<int:round_id>/build.<fmt>", methods=["POST"])
@login_required
def build(round_id: int, fmt: str):
    """Start building the round's DOCX or XLSX in the worker; its page shows the progress."""
    from portal.jobs import enqueue
    from reports.builds import FORMATS, request_build

    round_ = load_round(round_id)
    policy.ensure(fmt in FORMATS)
    session = get_session()
    build_id = request_build(session, round_.id, fmt, current_user).id
    session.commit()
    enqueue("reports.build", build_id)
    return redirect(url_for(".build_status", build_id=build_id))


def _load_build(build_id: int):
    from reports.builds import ReportBuild

    found = get_session().get(ReportBuild, build_id)
    policy.ensure(found is not None and found.requested_by_id == current_user.id)
    return found, load_round(found.round_id)


@bp.route("/builds/<int:build_id>")
@login_required
def build_status(build_id: int):
    found, round_ = _load_build(build_id)
    return render_template("reports/build.html", build=found, round=round_)


@bp.route("/builds/<int:build_id>/file")
@login_required
def build_file(build_id: int):
    found, round_ = _load_build(build_id)
    policy.ensure(found.status == "done" and found.content is not None)
    return files.download_response(found.content, _filename(round_, found.fmt), DOWNLOADS[found.fmt])
