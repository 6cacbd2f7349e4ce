"""A refused case action (issue 23, point 2) shows the folder only through the case page's own gate:
on an open case the page comes back with the error beside its field and the rendering is logged as a
consultation; on a closed case opened without a justification it goes back to the page that asks for
one, showing none of the folder and logging nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casemgmt.services import workflow
from portal.audit import AuditEntry

SUBJECT = "Refused-action check of Kowalski"
# every action of the case page, each with input it refuses
ACTIONS = [
    ("notes", {"nt-text": ""}),
    ("export", {"ex-justification": ""}),
    ("tasks", {"tk-title": ""}),
    ("priority", {"pr-level": "2", "pr-reason": ""}),
    ("link", {"ln-other": "", "ln-reason": ""}),
    ("merge", {"mg-target": "", "mg-justification": ""}),
    ("reply", {"re-body": "", "re-handling_code": "H0", "re-justification": ""}),
    ("refuse", {"rf-justification": "", "rf-handling_code": ""}),
    ("delay-notice", {"dn-expected_delay_days": "", "dn-reasons": ""}),
    ("disseminate", {"ds-authority_id": "0", "ds-summary": "", "ds-handling_code": "H0", "ds-justification": ""}),
    ("evaluate", {"ev-urgent": "y", "ev-urgency_ground": "", "ev-information_access": ""}),
    ("entities", {"en-kind": "person", "en-surname": "", "en-justification": ""}),
]


def _consultations(db, number: str) -> int:
    db.rollback()
    count = db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.object_id == number,
                                                              AuditEntry.action == "consultation"))
    db.rollback()  # end the read: the server writes its log entries meanwhile
    return count


@pytest.mark.parametrize(("action", "data"), ACTIONS, ids=[a for a, _ in ACTIONS])
def test_a_refused_action_on_an_open_case_is_shown_and_logged(login_as, intake, db, action, data):
    _, number, _ = intake("BE", subject=SUBJECT)
    client, _ = login_as("officer", "BE")
    before = _consultations(db, number)
    r = client.post_form(f"/cases/{number}/{action}", data)
    assert r.status_code == 422, (action, r.status_code)
    page = r.get_data(as_text=True)
    # the folder, and the error: beside its field, or said at the top when the action is not possible now
    assert SUBJECT in page and ("invalid-feedback" in page or "alert-danger" in page)
    assert _consultations(db, number) == before + 1
    what = db.scalar(select(AuditEntry.details).where(AuditEntry.object_id == number,
                                                      AuditEntry.action == "consultation")
                     .order_by(AuditEntry.id.desc()).limit(1))
    db.rollback()
    assert "refused action" in str(what)


@pytest.mark.parametrize(("action", "data"), ACTIONS, ids=[a for a, _ in ACTIONS])
def test_a_refused_action_on_a_closed_case_goes_back_to_its_gate(login_as, intake, work, officer, db, action, data):
    case_id, number, _ = intake("BE", subject=SUBJECT)
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="withdrawn"))
    client, _ = login_as("officer", "BE")
    before = _consultations(db, number)
    r = client.post_form(f"/cases/{number}/{action}", data)
    assert r.status_code in (302, 303), (action, r.status_code)
    assert r.headers["Location"].endswith(f"/cases/{number}")
    assert SUBJECT not in r.get_data(as_text=True)
    gate = client.get(f"/cases/{number}").get_data(as_text=True)
    assert f"{number} is closed" in gate and SUBJECT not in gate
    assert _consultations(db, number) == before  # nothing was shown, nothing logged
    # with the justification given, the refused action shows the folder again and logs it with the reason
    client.post_form(f"/cases/{number}/open", {"justification": "Checking a follow-up call"})
    shown = _consultations(db, number)
    r = client.post_form(f"/cases/{number}/{action}", data)
    assert r.status_code in (422, 302, 303)
    if r.status_code == 422:  # (a redirect: the page it leads to asks or logs as any opening)
        assert SUBJECT in r.get_data(as_text=True)
        assert _consultations(db, number) == shown + 1
        reason = db.scalar(select(AuditEntry.justification).where(AuditEntry.object_id == number,
                                                                  AuditEntry.action == "consultation")
                           .order_by(AuditEntry.id.desc()).limit(1))
        db.rollback()
        assert reason == "Checking a follow-up call"
