"""The rounds' comparative reports: the list, a round's page, its charts and its direct downloads."""

from __future__ import annotations

from flask import Response, render_template
from flask_login import current_user, login_required
from markupsafe import Markup

from portal import policy
from portal.db import get_session
from portal.files import download_response
from portal.i18n import current_language
from reports import page, services
from reports.charts import FORMATS
from reports.document import docx_report
from reports.exports import csv_frame, xlsx_report
from reports.forms import LeagueTablesForm
from reports.report import country_position
from reports.views import DOWNLOADS, bp, chart_cache, filename, load_round, viewer_of


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
    return round_page(load_round(round_id))


def round_page(round_, league_form: LeagueTablesForm | None = None) -> str:
    """The round's report page; for the secretariat, with the report's settings (`league_form`: one refused
    beside its field, or a blank one)."""
    viewer = viewer_of(round_)
    report, _ = services.round_report(get_session(), round_, viewer, current_language())

    def body() -> Markup:
        position = country_position(report, viewer.country) if viewer.country else {}
        method_view = page.table_view(report.tables["maturity_method"], ["Question", "Weight", "Share of weight (%)",
                                                                          "What each answer scores"])
        return Markup(render_template(  # noqa: S704 - a template rendered by Jinja with autoescape
            "reports/_round_body.html", round=round_, report=report, viewer=viewer, position=position, page=page,
            method=method_view, blocks=page.question_blocks(report), capabilities=page.capability_rows(report),
            maturity=page.table_view(report.tables["maturity"], ["Country", "Maturity index", "Rank"])))

    if league_form is None and policy.can_set_league_tables(current_user):
        league_form = LeagueTablesForm(formdata=None)
    return render_template("reports/round.html", round=round_, report=report, viewer=viewer, league_form=league_form,
                           body=page.cached_body(report, viewer, body, current_language()))


@bp.route("/rounds/<int:round_id>/charts/<key>.<fmt>")
@login_required
def chart(round_id: int, key: str, fmt: str):
    round_ = load_round(round_id)
    policy.ensure(fmt in FORMATS)
    report, _ = services.round_report(get_session(), round_, viewer_of(round_), current_language())
    spec = report.chart(key)
    policy.ensure(spec is not None)
    response = Response(chart_cache().get(spec, fmt), mimetype=FORMATS[fmt])
    response.headers["Cache-Control"] = "private, max-age=300"
    return response



@bp.route("/rounds/<int:round_id>/download.<fmt>")
@login_required
def download(round_id: int, fmt: str):
    round_ = load_round(round_id)
    policy.ensure(fmt in DOWNLOADS)
    report, frame = services.round_report(get_session(), round_, viewer_of(round_), current_language())
    if fmt == "xlsx":
        data = xlsx_report(report, chart_cache())
    elif fmt == "docx":
        data = docx_report(report, chart_cache())
    else:
        data = csv_frame(frame)
    return download_response(data, filename(round_, fmt), DOWNLOADS[fmt])
