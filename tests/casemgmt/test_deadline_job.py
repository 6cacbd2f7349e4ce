"""The worker's 5-minute job warns the assignee of an urgent case (8-hour limit) without any cron."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.mail import OutboxMessage


def test_the_five_minute_job_warns_of_an_urgent_case_and_the_daily_job_does_not(app, intake, work, make_user, db):
    from portal.jobs.schedule import daily_reminders, frequent_reminders

    officer = make_user("officer", "BE")
    now = dt.datetime.now(dt.UTC)
    case_id, number, _ = intake("BE", received_at=(now - dt.timedelta(hours=6)).isoformat(), urgent=True,
                                urgency_ground="loss_of_relevance", information_access="direct")
    work(case_id, lambda s, c: setattr(c, "assignee_id", officer.id))
    with app.app_context():
        daily_reminders()
        assert not [m for m in db.scalars(select(OutboxMessage)) if number in m.subject]
        assert frequent_reminders() == 1
        assert frequent_reminders() == 0  # once per deadline
    db.rollback()
    (mail,) = [m for m in db.scalars(select(OutboxMessage)) if number in m.subject]
    assert mail.to == [officer.email] and "deadline" in mail.subject


def test_the_daily_job_tells_those_who_decide_that_retention_reviews_are_due(app, intake, work, make_user, db):
    from casemgmt.jobs import daily_retention_reviews

    supervisor, head = make_user("supervisor", "BE"), make_user("head_of_spoc", "BE")
    make_user("officer", "BE")
    make_user("supervisor", "NL")
    due_id, due_number, _ = intake("BE")
    later_id, later_number, _ = intake("BE")
    past, future = dt.datetime.now(dt.UTC) - dt.timedelta(days=1), dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    work(due_id, lambda s, c: setattr(c, "review_due_at", past))
    work(later_id, lambda s, c: setattr(c, "review_due_at", future))
    with app.app_context():
        assert daily_retention_reviews() == 1
    db.rollback()
    (mail,) = db.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("%retention reviews due")))
    assert sorted(mail.to) == sorted([supervisor.email, head.email])
    assert mail.subject == "1 retention reviews due" and due_number in mail.body and later_number not in mail.body
    assert "http://portal.test/cases/retention" in mail.body
