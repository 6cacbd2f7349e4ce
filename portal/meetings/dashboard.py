"""The meetings cards of the shared dashboard (added to the app's registry in init_app)."""

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
