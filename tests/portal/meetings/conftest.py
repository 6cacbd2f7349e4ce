"""Factories for the meetings tests: meetings made through the services, as the secretariat would."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.db import utcnow
from portal.meetings.services import agenda, invitations
from portal.meetings.services import meetings as service


@pytest.fixture
def secretariat(make_user):
    return make_user("secretariat")


@pytest.fixture
def make_meeting(app, secretariat):
    """make_meeting(days_ahead=30, countries=None, agencies=None, send=False, items=2) -> meeting id."""
    database = app.extensions["spoc_db"]

    def make(days_ahead: int = 30, countries=None, agencies=None, send: bool = False, items: int = 2,
             title: str = "Heads of SPOC meeting", deadline_days: int = 7) -> int:
        day = (utcnow() + dt.timedelta(days=days_ahead)).date()
        with database.unit_of_work() as session:
            actor = session.merge(secretariat)
            meeting = service.create_meeting(
                session, actor, title=title, start=dt.datetime.combine(day, dt.time(9, 0)),
                end=dt.datetime.combine(day, dt.time(17, 0)), timezone="Europe/Brussels",
                deadline=day - dt.timedelta(days=deadline_days), venue="Brussels")
            for n in range(items):
                agenda.add_item(session, meeting, actor, title=f"Item {n + 1}", topic="obstacles",
                                presenter="BE", day=day, start_time=dt.time(9 + n, 0), end_time=dt.time(10 + n, 0))
            if countries is not None or agencies:
                invitations.set_invitees(session, meeting, actor, list(countries or []), dict(agencies or {}))
                if send:
                    invitations.send_invitations(session, meeting, actor, "http://portal.test", utcnow())
            return meeting.id

    return make


def outbox(db):
    from sqlalchemy import select

    from portal.mail import OutboxMessage

    db.rollback()
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
