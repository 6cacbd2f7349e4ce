"""Heads of SPOC meetings: agenda, invitations, minutes, action points, funding, activity report."""

from __future__ import annotations


def _markdown_filter(text: str):
    from markupsafe import Markup

    from portal.meetings.services.minutes import render_markdown

    return Markup(render_markdown(text))  # noqa: S704 - sanitised by nh3 in render_markdown


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and API endpoints."""
    from portal import policy
    from portal.funding import services as funding
    from portal.meetings import (
        api,  # noqa: F401  (endpoints register on portal.api.bp)
        dashboard,
        views,
    )
    from portal.meetings.cli import meetings_group, send_meeting_reminders
    from portal.meetings.demo import load_meetings_demo
    from portal.meetings.services.delegations import erase_identities_reminder
    from portal.meetings.services.meetings import describe_budget
    from portal.registry import NavItem, registry

    app.register_blueprint(views.bp)
    app.jinja_env.filters["markdown"] = _markdown_filter
    contributions = registry(app)
    contributions.add_nav(NavItem("meetings.index", "Meetings", policy.can_view_meetings))
    contributions.add_demo_loader(load_meetings_demo)
    contributions.add_reminder(send_meeting_reminders)
    contributions.add_reminder(erase_identities_reminder)  # delegates' identity details, once a meeting is over
    contributions.add_card(dashboard.dashboard_cards)
    funding.register_funding_subject("meeting", describe_budget)
    app.cli.add_command(meetings_group)
