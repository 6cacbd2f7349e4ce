"""The questionnaire cards of the shared dashboard."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import policy
from portal.dates import format_day
from portal.db import utcnow
from questionnaires.models import Response, ResponseStatus, Round, RoundStatus


def dashboard_cards(user, session: Session) -> list[dict]:
    if not policy.can_use_questionnaires(user):
        return []
    today = utcnow().date()
    rounds = session.scalars(policy.visible_rounds(user).where(Round.status == RoundStatus.OPEN)
                             .order_by(Round.deadline).limit(3))
    cards = []
    for r in rounds:
        if policy.is_network_staff(user):
            statuses = list(session.scalars(select(Response.status).where(Response.round_id == r.id)))
            done = sum(1 for s in statuses if s == ResponseStatus.SUBMITTED)
            cards.append({"title": r.title, "text": _("%(done)s of %(total)s countries submitted; deadline %(deadline)s.",
                                                      done=done, total=len(statuses), deadline=format_day(r.deadline)),
                          "url": f"/questionnaires/rounds/{r.id}", "link": _("Follow the progress"),
                          "warning": r.deadline < today})
            continue
        status = session.scalar(select(Response.status).where(Response.round_id == r.id,
                                                              Response.country_code == user.country_code))
        if status is None:
            continue
        label = ResponseStatus(status).label
        cards.append({"title": r.title, "text": _("%(country)s's response: %(status)s; deadline %(deadline)s.",
                                                  country=user.country_code, status=label,
                                                  deadline=format_day(r.deadline)),
                      "url": f"/questionnaires/rounds/{r.id}/responses/{user.country_code}",
                      "link": _("Open the questionnaire"),
                      "warning": status != ResponseStatus.SUBMITTED and (r.deadline - today).days <= 7})
    return cards
