"""Case management for SPOC staff: intake, registration numbers, deadlines, workflow, access log."""

from __future__ import annotations


def dashboard_cards(user, session) -> list[dict]:
    """The home page tells a SPOC's staff what is burning."""
    from flask import url_for
    from flask_babel import gettext as _
    from sqlalchemy import and_, func, select

    from casemgmt.models import Case
    from casemgmt.services.inbox import status_filter
    from casemgmt.services.retention import count_reviews_due
    from portal import policy
    from portal.db import utcnow

    if not policy.can_use_cases(user):
        return []
    now = utcnow()
    running = and_(Case.country_code == user.country_code, status_filter("open"), Case.replied_at.is_(None),
                   Case.paused_since.is_(None), Case.direction == "in", Case.request_type == "request",
                   Case.legal_clock)
    # both counted off the partial index of open cases: the SPOC's open work, never its history
    counted = select(func.count()).select_from(Case)
    open_count = session.scalar(counted.where(Case.country_code == user.country_code, status_filter("open"))) or 0
    overdue = session.scalar(counted.where(running, Case.due_at < now)) or 0
    cards = [{"title": _("Cases"), "text": _("%(open)s open cases, %(overdue)s overdue.", open=open_count, overdue=overdue),
              "url": url_for("casemgmt.inbox"), "link": _("Open the inbox"), "warning": overdue > 0}]
    due = count_reviews_due(session, user.country_code, now)
    if due:
        cards.append({"title": _("Retention reviews due"),
                      "text": _("%(count)s closed cases need a retention decision.", count=due),
                      "url": url_for("casemgmt.retention_list"), "link": _("Review"), "warning": True})
    return cards


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and API endpoints."""
    from casemgmt import (
        api,  # noqa: F401  (endpoints register on portal.api.bp)
        jobs,  # noqa: F401  (the daily retention reviews notice, on the task queue)
        views,
    )
    from casemgmt.cli import cases_group
    from casemgmt.demo import load_cases_demo
    from casemgmt.services.duty import duty_alerts
    from casemgmt.services.reminders import deadline_reminders
    from portal import policy
    from portal.registry import NavItem, registry

    app.register_blueprint(views.bp)
    contributions = registry(app)
    contributions.add_nav(NavItem("casemgmt.inbox", "Cases", policy.can_use_cases))
    contributions.add_demo_loader(load_cases_demo)
    contributions.add_reminder(deadline_reminders, every="5min")  # legal deadlines: the worker every 5 minutes
    contributions.add_reminder(duty_alerts, every="5min")  # 24/7 duty: urgent requests and deadlines escalated
    contributions.add_card(dashboard_cards)
    app.cli.add_command(cases_group)
