"""Art. 5 time limits in calendar time: configurable, paused while waiting for clarification,
judicial authorisation pending counted as a deviation."""

from __future__ import annotations

import datetime as dt

from casemgmt.services import outgoing, workflow
from casemgmt.services.deadlines import deadline_state, describe_time_left, limit_hours
from casemgmt.services.settings import DEFAULTS, load_settings, set_setting

T0 = dt.datetime(2026, 3, 6, 22, 0, tzinfo=dt.UTC)  # a Friday night: weekends count too


def test_default_limits():
    assert limit_hours(True, "direct", DEFAULTS) == 8
    assert limit_hours(True, "indirect", DEFAULTS) == 72
    assert limit_hours(False, "direct", DEFAULTS) == 168
    assert limit_hours(False, None, DEFAULTS) == 168


def test_due_time_is_calendar_time_from_receipt(intake, work):
    case_id, _, _ = intake("BE", received_at=T0.isoformat(), urgent=True, urgency_ground="public_security_threat",
                           information_access="indirect")
    assert work(case_id, lambda s, c: c.due_at) == T0 + dt.timedelta(days=3)  # Monday 22:00, no office hours


def test_limits_come_from_the_spocs_settings(app, intake, work):
    with app.extensions["spoc_db"].unit_of_work() as s:
        set_setting(s, "NL", "limit_other_hours", 120)
    nl, _, _ = intake("NL", received_at=T0.isoformat())
    be, _, _ = intake("BE", received_at=T0.isoformat())
    assert work(nl, lambda s, c: c.due_at) == T0 + dt.timedelta(hours=120)
    assert work(be, lambda s, c: c.due_at) == T0 + dt.timedelta(days=7)


def test_clarification_pauses_the_clock_and_moves_the_deadline(intake, work, officer):
    case_id, _, _ = intake("BE", received_at=T0.isoformat())
    ask = T0 + dt.timedelta(days=1)
    answer = ask + dt.timedelta(hours=30)
    work(case_id, lambda s, c: workflow.apply(s, c, "request_clarification", officer, now=ask))
    paused = work(case_id, lambda s, c: (c.paused_since, deadline_state(c, answer, DEFAULTS),
                                         describe_time_left(c, answer + dt.timedelta(days=20))))
    assert paused[0] == ask and paused[1] == "paused"
    assert paused[2] == "6 d 0 h left"  # frozen while paused
    work(case_id, lambda s, c: workflow.apply(s, c, "clarification_received", officer, now=answer))
    due = work(case_id, lambda s, c: (c.due_at, c.paused_seconds, c.paused_since))
    assert due == (T0 + dt.timedelta(days=7, hours=30), 30 * 3600, None)


def test_which_states_pause_is_configurable(app, intake, work, officer):
    with app.extensions["spoc_db"].unit_of_work() as s:
        set_setting(s, "BE", "pausing_states", [])
    case_id, _, _ = intake("BE", received_at=T0.isoformat())
    work(case_id, lambda s, c: workflow.apply(s, c, "request_clarification", officer, now=T0 + dt.timedelta(hours=1)))
    assert work(case_id, lambda s, c: c.paused_since) is None


def test_states_of_a_deadline(intake, work):
    case_id, _, _ = intake("BE", received_at=T0.isoformat(), urgent=True, urgency_ground="loss_of_relevance",
                           information_access="direct")

    def state(at):
        return work(case_id, lambda s, c: deadline_state(c, at, load_settings(s, "BE")))

    assert state(T0 + dt.timedelta(hours=1)) == "running"
    assert state(T0 + dt.timedelta(hours=6, minutes=30)) == "due_soon"
    assert state(T0 + dt.timedelta(hours=9)) == "overdue"


def test_reply_fixes_whether_the_deadline_was_kept(intake, work, officer):
    def answered(delay: dt.timedelta):
        case_id, _, _ = intake("BE", received_at=T0.isoformat(), urgent=True, urgency_ground="loss_of_relevance",
                               information_access="direct")
        work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=True, urgency_ground="loss_of_relevance",
                                                     information_access="direct"))
        work(case_id, lambda s, c: workflow.record_cross_check(s, c, officer))
        work(case_id, lambda s, c: outgoing.send_reply(s, c, officer, body="Found.", handling_code="H0",
                                                       justification="Art. 5", now=T0 + delay))
        return work(case_id, lambda s, c: (c.deadline_met, c.status, deadline_state(c, T0 + dt.timedelta(days=9),
                                                                                      DEFAULTS)))

    assert answered(dt.timedelta(hours=7)) == (True, "replied", "met")
    assert answered(dt.timedelta(hours=9)) == (False, "replied", "late")


def test_judicial_authorisation_needs_a_delay_notice_and_is_counted(intake, work, officer):
    case_id, _, _ = intake("BE", received_at=T0.isoformat())
    import pytest

    from casemgmt.services import CaseError

    with pytest.raises(CaseError) as exc:
        work(case_id, lambda s, c: outgoing.send_delay_notice(s, c, officer, expected_delay_days=10, reasons=" "))
    assert exc.value.field == "reasons"
    work(case_id, lambda s, c: outgoing.send_delay_notice(s, c, officer, expected_delay_days=10,
                                                          reasons="Investigating judge's authorisation requested."))
    got = work(case_id, lambda s, c: (c.judicial_authorisation_pending, c.art5_2_deviation,
                                      [(m.direction, m.type, m.expected_delay_days) for m in c.messages],
                                      deadline_state(c, T0 + dt.timedelta(days=8), DEFAULTS)))
    assert got[:3] == (True, True, [("in", "request", None), ("out", "delay_notice", 10)])
    assert got[3] == "delayed"  # past the limit, but lawfully (Art. 5(2))
