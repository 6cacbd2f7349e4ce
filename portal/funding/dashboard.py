"""The funding card of the shared dashboard (added to the app's registry in init_app): this year's
planned budget against what has been spent, for those who manage funding."""

from __future__ import annotations


def dashboard_cards(user, session) -> list[dict]:
    from flask import url_for
    from flask_babel import gettext as _

    from portal import policy
    from portal.db import utcnow
    from portal.funding import services

    if not policy.can_manage_funding(user):
        return []
    spending = services.year_spending(session, utcnow().year)
    if not spending["activities"]:
        return []
    return [{"title": _("Funding of the network's activities"),
             "text": _("%(year)s: %(actual)s spent of %(planned)s planned, in %(count)s activities.",
                       year=spending["year"], actual=services.euros(spending["actual"]),
                       planned=services.euros(spending["planned"]), count=spending["activities"]),
             "url": url_for("meetings.funding_years"), "link": _("Open the year's funding"),
             "warning": spending["actual"] > spending["planned"]}]
