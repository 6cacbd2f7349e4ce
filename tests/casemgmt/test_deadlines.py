"""Art. 5 time limits in calendar time, set by law (a SPOC sets shorter internal targets only), paused
only while waiting for clarification (Art. 6(3))."""

from __future__ import annotations

import datetime as dt

import pytest

from casemgmt.services import CaseError, outgoing, workflow
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


def test_a_spoc_sets_shorter_internal_targets_beside_the_legal_limit(app, intake, work):
    with app.extensions["spoc_db"].unit_of_work() as s:
        set_setting(s, "NL", "limit_other_hours", 120)
    nl, _, _ = intake("NL", received_at=T0.isoformat())
    be, _, _ = intake("BE", received_at=T0.isoformat())
    # the legal deadline is the law's in both; NL's exchange carries its own shorter target beside it
    assert work(nl, lambda s, c: (c.due_at, c.exchanges[0].due_at, c.exchanges[0].target_at)) == (
        T0 + dt.timedelta(days=7), T0 + dt.timedelta(days=7), T0 + dt.timedelta(hours=120))
    assert work(be, lambda s, c: (c.due_at, c.exchanges[0].target_at)) == (T0 + dt.timedelta(days=7), None)


@pytest.mark.parametrize(("key", "value", "limit"), [("limit_urgent_direct_hours", 9, "8 hours"),
                                                     ("limit_urgent_indirect_hours", 73, "72 hours"),
                                                     ("limit_other_hours", 10_000, "168 hours")])
def test_a_legal_limit_cannot_be_loosened(app, key, value, limit):
    with app.extensions["spoc_db"].unit_of_work() as s:
        with pytest.raises(CaseError, match=limit) as err:
            set_setting(s, "BE", key, value)
    assert err.value.field == key


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


@pytest.mark.parametrize("states", [[], ["awaiting_clarification", "awaiting_national_reply"]])
def test_only_clarification_stops_the_clock_and_that_is_no_setting(app, intake, work, officer, states):
    with app.extensions["spoc_db"].unit_of_work() as s:
        with pytest.raises(CaseError, match=r"Art\. 6\(3\)"):
            set_setting(s, "BE", "pausing_states", states)
    case_id, _, _ = intake("BE", received_at=T0.isoformat())
    work(case_id, lambda s, c: workflow.apply(s, c, "request_clarification", officer, now=T0 + dt.timedelta(hours=1)))
    assert work(case_id, lambda s, c: c.paused_since) == T0 + dt.timedelta(hours=1)


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
                               information_access="direct", entities=[])  # no hits to decide
        work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=True, urgency_ground="loss_of_relevance",
                                                     information_access="direct"))
        work(case_id, lambda s, c: workflow.record_cross_check(s, c, officer))
        work(case_id, lambda s, c: outgoing.send_reply(s, c, officer, body="Found.", handling_code="H0",
                                                       justification="Art. 5", now=T0 + delay))
        return work(case_id, lambda s, c: (c.deadline_met, c.status, deadline_state(c, T0 + dt.timedelta(days=9),
                                                                                      DEFAULTS)))

    assert answered(dt.timedelta(hours=7)) == (True, "replied", "met")
    assert answered(dt.timedelta(hours=9)) == (False, "replied", "late")


def test_judicial_authorisation_needs_a_delay_notice_and_counts_only_when_late(intake, work, officer):
    case_id, _, _ = intake("BE", received_at=T0.isoformat())

    with pytest.raises(CaseError) as exc:
        work(case_id, lambda s, c: outgoing.send_delay_notice(s, c, officer, expected_delay_days=10, reasons=" "))
    assert exc.value.field == "reasons"
    work(case_id, lambda s, c: outgoing.send_delay_notice(s, c, officer, expected_delay_days=10,
                                                          reasons="Investigating judge's authorisation requested.",
                                                          now=T0 + dt.timedelta(hours=20)))
    got = work(case_id, lambda s, c: (c.judicial_authorisation_pending, c.art5_2_deviation,
                                      [(m.direction, m.type, m.expected_delay_days) for m in c.messages],
                                      deadline_state(c, T0 + dt.timedelta(days=8), DEFAULTS)))
    # a notice alone is no deviation (Art. 18(2)(d) counts limits actually exceeded)
    assert got[:3] == (True, False, [("in", "request", None), ("out", "delay_notice", 10)])
    assert got[3] == "delayed"  # past the limit, but lawfully (Art. 5(2))
    work(case_id, lambda s, c: outgoing.send_reply(s, c, officer, body="Here.", handling_code="H0", justification="ok",
                                                   now=T0 + dt.timedelta(days=9)))
    assert work(case_id, lambda s, c: (c.art5_2_deviation, c.exchanges[0].art5_2_deviation, c.exchanges[0].late,
                                       deadline_state(c, T0 + dt.timedelta(days=10), DEFAULTS))) == (
        True, True, True, "deviation")


def test_a_late_answer_without_a_delay_notice_is_late_not_a_deviation(intake, work, officer):
    case_id, _, _ = intake("BE", received_at=T0.isoformat())
    work(case_id, lambda s, c: outgoing.send_reply(s, c, officer, body="Here.", handling_code="H0", justification="ok",
                                                   now=T0 + dt.timedelta(days=9)))
    assert work(case_id, lambda s, c: (c.art5_2_deviation, c.exchanges[0].late,
                                       deadline_state(c, T0 + dt.timedelta(days=10), DEFAULTS))) == (False, True, "late")
