"""The reports card of the shared dashboard (added to the app's registry in init_app)."""

from __future__ import annotations


def dashboard_cards(user, session) -> list[dict]:
    from flask import url_for
    from flask_babel import gettext as _

    from portal import policy

    if not policy.can_view_reports(user):
        return []
    return [{"title": _("Reports"), "text": _("Comparative reports of the questionnaire rounds and country profiles."),
             "url": url_for("reports.index"), "link": _("Open the reports"), "warning": False}]
