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
