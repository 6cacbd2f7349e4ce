"""Comparative reports on Member State practices (pandas + matplotlib), country profiles."""

from __future__ import annotations

import os


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and the chart cache."""
    from portal import policy
    from portal.registry import NavItem, registry
    from reports import (
        api,  # noqa: F401  (endpoints register on portal.api.bp)
        dashboard,
        jobs,  # noqa: F401  (the DOCX/XLSX build job, on the task queue)
        views,
    )
    from reports.chart_cache import ChartCache
    from reports.cli import report_command
    from reports.demo import load_demo

    app.extensions["report_charts"] = ChartCache(os.path.join(app.instance_path, "report-charts"))
    app.register_blueprint(views.bp)
    registry(app).add_nav(NavItem("reports.index", "Reports", policy.can_view_reports))
    registry(app).add_card(dashboard.dashboard_cards)
    registry(app).add_demo_loader(load_demo)  # after the questionnaires' (portal/app.py's order)
    app.cli.add_command(report_command)
