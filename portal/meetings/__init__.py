"""Heads of SPOC meetings: agenda, invitations, minutes, action points, funding, activity report."""

from __future__ import annotations


def dashboard_cards(user, session) -> list[dict]:
    from flask import url_for

    from portal import policy
    from portal.db import utcnow
    from portal.meetings.services import invitations, meetings

    cards = []
    if policy.can_manage_meetings(user):
        for year, half, presidency in meetings.half_years_without_meeting(session, utcnow().date()):
            cards.append({"title": f"No meeting planned: {meetings.half_year_label(year, half)}",
                          "text": "The network meets at least twice a year, on invitation of the Presidency"
                                  + (f" ({presidency})." if presidency else "."),
                          "url": url_for("meetings.new"), "link": "Plan a meeting", "warning": True})
    elif policy.can_view_meetings(user):
        waiting = invitations.awaiting_answer(session, user, utcnow())
        if waiting:
            cards.append({"title": "Invitations to answer",
                          "text": ", ".join(inv.meeting.title for inv in waiting),
                          "url": url_for("meetings.show", meeting_id=waiting[0].meeting_id),
                          "link": "Answer", "warning": True})
    if policy.can_view_meetings(user):
        cards.append({"title": "Meetings", "text": "Heads of SPOC meetings, agendas, minutes and action points.",
                      "url": url_for("meetings.index"), "link": "Open the meetings", "warning": False})
    return cards


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
        views,
    )
    from portal.meetings.cli import meetings_group, send_meeting_reminders
    from portal.meetings.demo import load_meetings_demo
    from portal.meetings.services.meetings import describe_budget
    from portal.registry import NavItem, registry

    app.register_blueprint(views.bp)
    app.jinja_env.filters["markdown"] = _markdown_filter
    contributions = registry(app)
    contributions.add_nav(NavItem("meetings.index", "Meetings", policy.can_view_meetings))
    contributions.add_demo_loader(load_meetings_demo)
    contributions.add_reminder(send_meeting_reminders)
    contributions.add_card(dashboard_cards)
    funding.register_funding_subject("meeting", describe_budget)
    app.cli.add_command(meetings_group)
