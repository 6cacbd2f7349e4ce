"""The meetings cards of the shared dashboard (added to the app's registry in init_app)."""

from __future__ import annotations


def dashboard_cards(user, session) -> list[dict]:
    from flask import url_for
    from flask_babel import gettext as _
    from flask_babel import ngettext

    from portal import policy
    from portal.db import utcnow
    from portal.meetings.services import invitations, meetings

    cards = []
    if policy.can_manage_meetings(user):
        for year, half, presidency in meetings.half_years_without_meeting(session, utcnow().date()):
            label = meetings.half_year_label(year, half)
            cards.append({"title": _("No meeting planned: %(half_year)s", half_year=label),
                          "text": _("The network meets at least twice a year, on invitation of the Presidency "
                                    "(%(presidency)s).", presidency=presidency) if presidency else
                          _("The network meets at least twice a year, on invitation of the Presidency."),
                          "url": url_for("meetings.new"), "link": _("Plan a meeting"), "warning": True})
    elif policy.can_view_meetings(user):
        now = utcnow()
        waiting = {inv.id for inv in invitations.awaiting_answer(session, user, now)}
        upcoming = invitations.upcoming_invitations(session, user, now)
        if upcoming:
            # each invitation its own link: the page of its meeting, where the answer form is
            cards.append({"title": _("Invitations to answer") if waiting else _("Your invitations"),
                          "text": ngettext("%(num)s meeting waits for your answer.",
                                                   "%(num)s meetings wait for your answer.", len(waiting)) if waiting
                          else _("Every invitation is answered."),
                          "items": [(_line(inv, inv.id in waiting), url_for("meetings.show", meeting_id=inv.meeting_id))
                                    for inv in upcoming],
                          "warning": bool(waiting)})
    if policy.can_view_meetings(user):
        cards.append({"title": _("Meetings"), "text": _("Heads of SPOC meetings, agendas, minutes and action points."),
                      "url": url_for("meetings.index"), "link": _("Open the meetings"), "warning": False})
    return cards


def _line(invitation, waiting: bool) -> str:
    """'Heads of SPOC meeting · 12 Mar 2027 · to answer' (or the answer given)."""
    from flask_babel import gettext as _

    from portal.dates import format_day
    from portal.meetings.services.meetings import local

    meeting = invitation.meeting
    state = _("to answer") if waiting else \
        invitation.answer_enum.label if invitation.answer_enum else _("answers closed")
    return f"{meeting.title} · {format_day(local(meeting, meeting.starts_at).date())} · {state}"
