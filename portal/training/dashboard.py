"""The training cards of the shared dashboard (added to the app's registry in init_app)."""

from __future__ import annotations


def dashboard_cards(user, session) -> list[dict]:
    """What needs the user's attention in training."""
    import datetime as dt

    from flask import url_for
    from sqlalchemy import func, select

    from portal import policy
    from portal.training.models import Activity, ActivityStatus, Nomination, NominationStatus, Opportunity

    cards = []
    if policy.can_nominate(user) and not policy.is_network_staff(user):
        open_ = session.scalar(select(func.count(Activity.id)).where(Activity.status == ActivityStatus.OPEN.value,
                                                                     Activity.start_date >= dt.date.today())) or 0
        if open_:
            cards.append({"title": "Training", "text": f"{open_} training activit{'ies are' if open_ != 1 else 'y is'} "
                          "open for nominations.", "url": url_for("training.index"), "link": "Nominate staff",
                          "warning": False})
    if policy.can_manage_training(user):
        pending = session.scalar(select(func.count(Opportunity.id)).where(Opportunity.status == "proposed")) or 0
        if pending:
            cards.append({"title": "Training opportunities", "text": f"{pending} proposal(s) await the core group's "
                          "assessment.", "url": url_for("training.opportunities", status="proposed"),
                          "link": "Assess", "warning": False})
    if policy.can_confirm_nominations(user):
        waiting = session.scalar(select(func.count(Nomination.id)).where(
            Nomination.status == NominationStatus.NOMINATED.value)) or 0
        if waiting:
            cards.append({"title": "Training nominations", "text": f"{waiting} nomination(s) to confirm.",
                          "url": url_for("training.index"), "link": "Training activities", "warning": False})
    return cards
