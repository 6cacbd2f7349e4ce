"""The demo: about 200 cases for BE and NL, with duplicates, links, a merge, overdue cases, refusals
and a delay notice; loading it twice changes nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from casemgmt.models import Case, CaseLink, Message, Person
from portal.demo import load_demo


def test_demo_cases(app, db):
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        load_demo(s, "demo-password-1")
    with database.unit_of_work() as s:
        load_demo(s, "demo-password-1")  # idempotent
    db.rollback()
    total = db.scalar(select(func.count(Case.id)))
    assert 180 <= total <= 220
    by_country = dict(db.execute(select(Case.country_code, func.count(Case.id)).group_by(Case.country_code)).all())
    assert set(by_country) == {"BE", "NL"}
    assert len(set(db.scalars(select(Case.channel)))) >= 5
    assert db.scalar(select(func.count(Message.id)).where(Message.duplicate)) >= 6
    assert db.scalar(select(func.count(CaseLink.id))) >= 4
    assert db.scalar(select(func.count(Case.id)).where(Case.merged_into_id.is_not(None))) >= 1
    assert db.scalar(select(func.count(Message.id)).where(Message.type == "refusal")) >= 1
    assert db.scalar(select(func.count(Message.id)).where(Message.type == "delay_notice")) >= 1
    now = dt.datetime.now(dt.UTC)
    overdue = [c for c in db.scalars(select(Case)) if c.is_open and c.direction == "in" and c.request_type == "request"
               and c.replied_at is None and c.due_at < now]
    assert len(overdue) >= 2
    assert db.scalar(select(func.count(Person.id)).where(Person.message_id.is_(None))) >= 2  # added after intake
    assert db.scalar(select(func.count(Person.id)).where(Person.flagged_inaccurate)) >= 2
