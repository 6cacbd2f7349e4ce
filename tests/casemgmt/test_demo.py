"""The demo: about 200 cases for BE and NL, with duplicates, links, a merge, overdue cases, refusals
and a delay notice; loading it twice changes nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from casemgmt.models import Case, CaseLink, Exchange, Message, Person
from portal.demo import load_demo


def test_demo_cases(app, db):
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        load_demo(s, "demo-password-1", app)
    with database.unit_of_work() as s:
        load_demo(s, "demo-password-1", app)  # idempotent
    db.rollback()
    total = db.scalar(select(func.count(Case.id)))
    assert 180 <= total <= 220
    by_country = dict(db.execute(select(Case.country_code, func.count(Case.id)).group_by(Case.country_code)).all())
    assert set(by_country) == {"BE", "NL"}
    assert len(set(db.scalars(select(Case.channel)))) >= 5
    assert db.scalar(select(func.count(Message.id)).where(Message.duplicate)) >= 1  # an exact repeat
    # the same requests received again on a second channel: suggested, never swallowed
    suggested = [e for e in db.scalars(select(Exchange)) if e.possible_duplicates]
    assert len(suggested) >= 6
    frameworks = set(db.scalars(select(Exchange.legal_framework)))
    assert {"2023/977", "sis_sirene", "europol_regulation", "national"} <= frameworks
    assert db.scalar(select(func.count(Exchange.id)).where(Exchange.counterpart_name == "EUROPOL")) >= 1
    assert db.scalar(select(func.count(Exchange.id)).where(Exchange.number > 1)) >= 2  # folders of several
    assert db.scalar(select(func.count(Exchange.id)).where(Exchange.art5_2_deviation)) >= 2
    assert db.scalar(select(func.count(Exchange.id)).where(Exchange.late, ~Exchange.art5_2_deviation)) >= 2
    # the new request quoting a closed case is its own case, the closed one suggested
    closed_numbers = set(db.scalars(select(Case.registration_number).where(Case.status == "closed")))
    assert any(d["registration_number"] in closed_numbers for e in suggested for d in e.possible_duplicates)
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
    # the SPOC's own requests with their Art. 4(5) content and Art. 12 decision, one of them to chase
    from casemgmt.services.requests import to_chase

    requests = list(db.scalars(select(Exchange).where(Exchange.direction == "out", Exchange.europol_copy.is_not(None))))
    assert len(requests) >= 4 and all(r.request_content.get("purpose") for r in requests)
    assert {r.europol_copy for r in requests} == {True, False}
    assert to_chase(db, "BE", now)[0] >= 1 and to_chase(db, "NL", now)[0] >= 1
    # each SPOC's message templates, in English and its own language
    from casemgmt.models import MessageTemplate

    languages = dict(db.execute(select(MessageTemplate.country_code, func.count(func.distinct(MessageTemplate.language)))
                                .group_by(MessageTemplate.country_code)).all())
    assert languages == {"BE": 2, "NL": 2}
    # tonight's roster: someone on duty in each SPOC, and a handover note
    from casemgmt.services import duty

    assert all(duty.on_duty(db, cc, now, "duty_officer") for cc in ("BE", "NL"))
    assert all(duty.notes(db, cc) for cc in ("BE", "NL"))
