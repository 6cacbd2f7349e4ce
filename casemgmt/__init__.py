"""Case management for SPOC staff: intake, registration numbers, deadlines, workflow, access log."""

from __future__ import annotations


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and API endpoints."""
    from casemgmt import (
        api,  # noqa: F401  (endpoints register on portal.api.bp)
        exchanges_api,  # noqa: F401  (a case's exchanges: endpoints on portal.api.bp)
        jobs,  # noqa: F401  (the daily retention reviews notice, on the task queue)
        views,
    )
    from casemgmt.cli import cases_group
    from casemgmt.dashboard import dashboard_cards
    from casemgmt.demo import load_cases_demo
    from casemgmt.services.duty import duty_alerts
    from casemgmt.services.reminders import deadline_reminders
    from portal import policy
    from portal.registry import NavItem, registry

    app.register_blueprint(views.bp)
    from casemgmt.log_text import readable, run_sources, run_trigger
    from casemgmt.services.access_log import action_label

    app.jinja_env.filters["case_log_text"] = readable  # an entry's words in the reader's language, codes by labels
    app.jinja_env.filters["xc_trigger"] = run_trigger  # what started a cross-check run, in words
    app.jinja_env.filters["xc_sources"] = run_sources  # what a run searched ("the SPOC's cases, data set …")
    app.jinja_env.filters["led_action"] = action_label  # an entry's operation by its label (LED Art. 25)
    from casemgmt.entity_forms import kind_label

    app.jinja_env.filters["entity_kind"] = kind_label  # a person or object's kind by its label
    contributions = registry(app)
    contributions.add_nav(NavItem("casemgmt.inbox", "Cases", policy.can_use_cases))
    contributions.add_demo_loader(load_cases_demo)
    contributions.add_reminder(deadline_reminders, every="5min")  # legal deadlines: the worker every 5 minutes
    contributions.add_reminder(duty_alerts, every="5min")  # 24/7 duty: urgent requests and deadlines escalated
    contributions.add_card(dashboard_cards)
    app.cli.add_command(cases_group)
