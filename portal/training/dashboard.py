"""The training cards of the shared dashboard (added to the app's registry in init_app)."""

from __future__ import annotations


def dashboard_cards(user, session) -> list[dict]:
    """What needs the user's attention in training."""
    import datetime as dt

    from flask import url_for
    from flask_babel import gettext as _
    from flask_babel import ngettext
    from sqlalchemy import func, select

    from portal import policy
    from portal.training.models import (
        Activity,
        ActivityStatus,
        Nomination,
        NominationStatus,
        Opportunity,
        OpportunityStatus,
    )

    cards = []
    if policy.can_nominate(user) and not policy.is_network_staff(user):
        open_ = session.scalar(select(func.count(Activity.id)).where(Activity.status == ActivityStatus.OPEN,
                                                                     Activity.start_date >= dt.date.today())) or 0
        if open_:
            cards.append({"title": _("Training"),
                          "text": ngettext("%(num)s training activity is open for nominations.",
                                           "%(num)s training activities are open for nominations.", open_),
                          "url": url_for("training.index"), "link": _("Nominate staff"), "warning": False})
    if policy.can_manage_training(user):
        proposed = Opportunity.status == OpportunityStatus.PROPOSED
        pending = session.scalar(select(func.count(Opportunity.id)).where(proposed)) or 0
        if pending:
            cards.append({"title": _("Training opportunities"),
                          "text": ngettext("%(num)s proposal awaits the core group's assessment.",
                                           "%(num)s proposals await the core group's assessment.", pending),
                          "url": url_for("training.opportunities", status="proposed"),
                          "link": _("Assess"), "warning": False})
    if policy.can_confirm_nominations(user):
        waiting = session.scalar(select(func.count(Nomination.id)).where(
            Nomination.status == NominationStatus.NOMINATED)) or 0
        if waiting:
            cards.append({"title": _("Training nominations"),
                          "text": ngettext("%(num)s nomination to confirm.", "%(num)s nominations to confirm.", waiting),
                          "url": url_for("training.index"), "link": _("Training activities"), "warning": False})
    return cards
