"""`spoc send-reminders` warns the assignee of a case near its deadline, once per deadline."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.mail import OutboxMessage


def test_assignee_is_warned_once(app, intake, work, make_user, db):
    officer = make_user("officer", "BE")
    now = dt.datetime.now(dt.UTC)
    near, near_number, _ = intake("BE", received_at=(now - dt.timedelta(hours=6)).isoformat(), urgent=True,
                                  urgency_ground="loss_of_relevance", information_access="direct")
    far, _, _ = intake("BE", received_at=(now - dt.timedelta(hours=1)).isoformat())
    unassigned, _, _ = intake("BE", received_at=(now - dt.timedelta(hours=7)).isoformat(), urgent=True,
                              urgency_ground="loss_of_relevance", information_access="direct")
    for case_id in (near, far):
        work(case_id, lambda s, c: setattr(c, "assignee_id", officer.id))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert f"case {near_number}: reminded {officer.email}" in result.output
    db.rollback()
    mails = [m for m in db.scalars(select(OutboxMessage)) if near_number in m.subject]
    assert len(mails) == 1 and mails[0].to == [officer.email]
    assert "Kowalski" not in mails[0].body  # no personal data by mail
    again = runner.invoke(args=["send-reminders"])
    assert near_number not in again.output
    db.rollback()
    assert len([m for m in db.scalars(select(OutboxMessage)) if near_number in m.subject]) == 1
