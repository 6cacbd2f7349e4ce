"""Rules of the reports, one module per concern; each takes a session and imports nothing from Flask:
answers (what the reports read from the database), viewer (whose report), built (the cached report),
settings (the report's own settings for a round: its league tables)."""

from __future__ import annotations

from reports.services.answers import (
    PROFILE_QUESTIONNAIRE,
    LatestAnswers,
    RoundAnswers,
    earlier_rounds,
    fingerprint,
    latest_submission_dates,
    latest_submitted,
    report_rounds,
    submitted_answers,
)
from reports.services.built import round_report
from reports.services.settings import ReportError, set_league_tables
from reports.services.viewer import Viewer, consenting_countries, viewer_of

__all__ = ["PROFILE_QUESTIONNAIRE", "LatestAnswers", "ReportError", "RoundAnswers", "Viewer", "consenting_countries",
           "earlier_rounds", "fingerprint", "latest_submission_dates", "latest_submitted", "report_rounds",
           "round_report", "set_league_tables", "submitted_answers", "viewer_of"]
