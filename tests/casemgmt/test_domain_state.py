"""A case's and an exchange's state is defined once, on the model (issue 22, point 4): each hybrid
property answers the same on a loaded object (Python) as in a query (SQL), over every combination of
the columns it reads; the inbox, the dashboard, the reminders and the duty badge use them."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select

from casemgmt.models import Case, CaseStatus, Exchange
from casemgmt.models.case import ACTION_CASE_SQL, OPEN_CASE_SQL, WAITING_CASE_SQL
from casemgmt.models.enums import ExchangeState

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
CASE_STATES = ["is_open", "needs_action", "is_waiting", "is_answered", "clock_running", "urgent_unanswered"]
EXCHANGE_STATES = ["is_open", "is_answered", "clock_running", "waiting_on_partner"]


@pytest.fixture(scope="module")
def variety():
    """Column values each hybrid reads, mixed so that every value of every column occurs many times."""
    rng = random.Random(22)
    hours = [None, -30, -1, 2, 50]
    running = dict(status=CaseStatus.RECEIVED, merged=False, direction="in", request_type="request", legal_clock=True,
                   replied=False, paused=False, urgent=True, x_state=ExchangeState.OPEN, x_answered=False,
                   x_paused=False)
    # the edges: overdue by a little, due in a little, on both models
    edges = [{**running, "due": due, "x_due": due} for due in (-30, -1, 2)]
    return edges + [dict(status=rng.choice(list(CaseStatus)), merged=rng.random() < 0.2, direction=rng.choice(["in", "in", "in", "out"]),
                 request_type=rng.choice(["request", "request", "copy"]), legal_clock=rng.random() < 0.75,
                 replied=rng.random() < 0.3, paused=rng.random() < 0.2, urgent=rng.random() < 0.5,
                 due=rng.choice(hours[1:]), x_state=rng.choice(list(ExchangeState)), x_due=rng.choice(hours),
                 x_answered=rng.random() < 0.3, x_paused=rng.random() < 0.2) for _ in range(60)]


@pytest.fixture
def cases(intake, work, variety):
    ids = [intake("BE")[0] for _ in variety]

    def arrange(s, case, v):
        case.status, case.direction, case.request_type = v["status"], v["direction"], v["request_type"]
        case.legal_clock, case.urgent = v["legal_clock"], v["urgent"]
        case.merged_into_id = ids[0] if v["merged"] and case.id != ids[0] else None
        case.replied_at = NOW - dt.timedelta(hours=3) if v["replied"] else None
        case.paused_since = NOW - dt.timedelta(hours=1) if v["paused"] else None
        case.due_at = NOW + dt.timedelta(hours=v["due"])
        x = case.exchanges[0]
        x.state, x.direction = v["x_state"], v["direction"]
        x.due_at = None if v["x_due"] is None else NOW + dt.timedelta(hours=v["x_due"])
        x.answered_at = NOW - dt.timedelta(hours=2) if v["x_answered"] else None
        x.paused_since = NOW - dt.timedelta(hours=1) if v["x_paused"] else None

    for case_id, v in zip(ids, variety, strict=True):
        work(case_id, lambda s, case, v=v: arrange(s, case, v))
    return ids


def _python_and_sql(db, model, ids, condition_of, value_of):
    db.rollback()
    objects = db.scalars(select(model).where(model.id.in_(ids))).all()
    in_python = {o.id for o in objects if value_of(o)}
    in_sql = set(db.scalars(select(model.id).where(model.id.in_(ids), condition_of(model))))
    return in_python, in_sql


def test_each_state_is_the_same_in_python_and_in_sql(db, cases):
    exchange_ids = list(db.scalars(select(Exchange.id).where(Exchange.case_id.in_(cases))))
    checks = [(Case, cases, name, lambda m, n=name: getattr(m, n)) for name in CASE_STATES]
    checks += [(Exchange, exchange_ids, name, lambda m, n=name: getattr(m, n)) for name in EXCHANGE_STATES]
    checks += [(Case, cases, "overdue", lambda m: m.overdue(NOW)), (Exchange, exchange_ids, "overdue",
                                                                    lambda m: m.overdue(NOW))]
    for model, ids, name, state in checks:
        in_python, in_sql = _python_and_sql(db, model, ids, state, state)
        assert in_python == in_sql, (model.__name__, name)
        assert 0 < len(in_python) < len(ids), (model.__name__, name)  # the variety tells them apart


def test_status_columns_read_back_as_their_enumerations_and_refuse_other_values(db, cases, work):
    db.rollback()
    case = db.get(Case, cases[0])
    assert isinstance(case.status, CaseStatus) and isinstance(case.exchanges[0].state, ExchangeState)
    db.rollback()
    with pytest.raises(Exception, match="not a valid CaseStatus"):
        work(cases[0], lambda s, c: setattr(c, "status", "nearly_closed"))


def test_the_partial_indexes_are_written_from_the_same_state_sets():
    # the text of each index's WHERE, as the migrations created it (their literal terms are what SQLite matches)
    for sql, states in ((OPEN_CASE_SQL, [s for s in CaseStatus if s not in ("closed", "archived")]),
                        (ACTION_CASE_SQL, ["received", "evaluated", "cross_checked", "disseminated"]),
                        (WAITING_CASE_SQL, ["awaiting_clarification", "awaiting_national_reply", "awaiting_partner"])):
        assert sql == f"status IN ({', '.join(repr(str(s)) for s in states)}) AND merged_into_id IS NULL"


def test_the_cross_check_rerun_reads_open_cases_off_the_model_not_the_inbox():
    # the inbox imports the re-run (its rows flag new hits); the re-run no longer imports the inbox back
    import inspect

    from casemgmt.crosscheck import rerun

    assert "services.inbox" not in inspect.getsource(rerun)
