"""Pages of the reports: the rounds' comparative reports, their charts and downloads (rounds), country
profiles (countries), the DOCX/XLSX built by the worker (builds), and the report's own settings for a round
(settings: its league tables)."""

from __future__ import annotations

import re

from flask import Blueprint, current_app
from flask_login import current_user

from portal import policy
from portal.db import get_session
from questionnaires.models import Round
from reports import services

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="../templates")

DOWNLOADS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}


def chart_cache():
    return current_app.extensions["report_charts"]


def viewer_of(round_: Round) -> services.Viewer:
    return services.viewer_of(current_user, round_)


def load_round(round_id: int) -> Round:
    round_ = get_session().get(Round, round_id)
    policy.ensure(round_ is not None and policy.can_view_round_report(current_user, round_))
    return round_



def filename(round_: Round, ext: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", round_.title).strip("-").lower() or "report"
    return f"report-{round_.id}-{slug}.{ext}"



from reports.views import builds, countries, rounds, settings  # noqa: E402,F401
