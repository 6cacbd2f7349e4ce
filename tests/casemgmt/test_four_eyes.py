"""Four eyes (issue 17, point 5): per SPOC, refusals, H2/H3 information and own requests wait for a
supervisor's approval; approved they leave as the officer's, sent back they carry the comment."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casemgmt.models import Approval, Case, Message
from casemgmt.services import CaseError, approvals
from casemgmt.services.settings import set_setting
from portal.audit import AuditEntry
from tests.casemgmt.conftest import make_payload
from tests.casemgmt.test_requests import REQUEST

REFUSAL = {"xm-exchange": "1", "xm-type": "refusal", "xm-refusal_grounds": "a",
           "xm-body": "The information is not available to us.", "xm-justification": "not held"}


@pytest.fixture
def folder(api, make_user, app):
    r = api(make_user("officer", "BE")).post("/api/v1/cases/intake", json=make_payload())
    assert r.status_code == 201, r.get_json()
    return r.get_json()["registration_number"]


def _case(db, number: str) -> Case:
    db.rollback()
    return db.scalar(select(Case).where(Case.registration_number == number))


def test_the_supervisor_chooses_what_needs_approval(login_as, db):
    client, _ = login_as("supervisor", "BE")
    page = client.get("/cases/settings").get_data(as_text=True)
    assert "Four eyes" in page
    form = {"limit_urgent_direct_hours": "8", "limit_urgent_indirect_hours": "72", "limit_other_hours": "168",
            "due_soon_hours": "2", "reminder_hours": "4", "retention_review_months": "6",
            "crime_categories": "theft = 4\nother = 4", "four_eyes": ["refusal", "request"]}
    assert client.post_form("/cases/settings", form).status_code == 302
    from casemgmt.services.settings import load_settings

    db.rollback()
    assert load_settings(db, "BE")["four_eyes"] == ["refusal", "request"]
    with pytest.raises(CaseError):
        set_setting(db, "BE", "four_eyes", ["everything"])


def test_a_refusal_waits_for_approval_is_sent_back_then_approved(folder, login_as, app, db):
    with app.extensions["spoc_db"].unit_of_work() as s:
        set_setting(s, "BE", "four_eyes", ["refusal"])
    officer, officer_user = login_as("officer", "BE")
    r = officer.post_form(f"/cases/{folder}/exchanges/messages", REFUSAL)
    assert r.status_code == 302
    case = _case(db, folder)
    assert case.exchanges[0].answered_at is None  # nothing left the SPOC
    assert db.scalar(select(Message.id).where(Message.case_id == case.id, Message.type == "refusal")) is None
    (approval,) = db.scalars(select(Approval)).all()
    assert (approval.state, approval.kind, approval.requested_by_id) == ("pending", "refusal", officer_user.id)
    assert officer.get("/cases/approvals").status_code == 404
    supervisor, _ = login_as("supervisor", "BE")
    listing = supervisor.get("/cases/approvals").get_data(as_text=True)
    assert "The information is not available to us." in listing and folder in listing
    # sent back: a comment is needed, and the officer sees it on the case
    supervisor.post_form(f"/cases/approvals/{approval.id}", {"decision": "return", "comment": ""})
    db.rollback()
    assert db.get(Approval, approval.id).state == "pending"
    supervisor.post_form(f"/cases/approvals/{approval.id}", {"decision": "return",
                                                            "comment": "Ground (a) is wrong: we hold it."})
    assert "Ground (a) is wrong: we hold it." in officer.get(f"/cases/{folder}").get_data(as_text=True)
    assert _case(db, folder).exchanges[0].answered_at is None
    # a second draft, approved: it leaves as the officer's message
    assert officer.post_form(f"/cases/{folder}/exchanges/messages",
                             {**REFUSAL, "xm-refusal_grounds": "f"}).status_code == 302
    db.rollback()
    second = db.scalar(select(Approval).where(Approval.state == "pending"))
    supervisor.post_form(f"/cases/approvals/{second.id}", {"decision": "approve"})
    case = _case(db, folder)
    refusal = db.scalar(select(Message).where(Message.case_id == case.id, Message.type == "refusal"))
    assert refusal.created_by_id == officer_user.id and refusal.refusal_grounds == ["f"]
    assert case.exchanges[0].refused and db.get(Approval, second.id).state == "approved"
    logged = [e.details.get("what") for e in db.scalars(select(AuditEntry).where(AuditEntry.object_id == folder))]
    assert any("draft sent for approval" in (w or "") for w in logged)
    assert any("approved and sent" in (w or "") for w in logged)
    assert any("sent back" in (w or "") for w in logged)


def test_a_draft_that_would_be_refused_is_not_kept(folder, login_as, app, db):
    with app.extensions["spoc_db"].unit_of_work() as s:
        set_setting(s, "BE", "four_eyes", ["refusal"])
    officer, _ = login_as("officer", "BE")
    no_ground = {k: v for k, v in REFUSAL.items() if k != "xm-refusal_grounds"}
    r = officer.post_form(f"/cases/{folder}/exchanges/messages", no_ground)
    assert r.status_code == 422 and "Choose at least one ground" in r.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(Approval.id)) is None


def test_the_api_answers_202_and_only_another_supervisor_decides(folder, api, make_user, login_as, app, db):
    with app.extensions["spoc_db"].unit_of_work() as s:
        set_setting(s, "BE", "four_eyes", ["restricted", "request"])
    officer = make_user("officer", "BE")
    be = api(officer)
    r = be.post(f"/api/v1/cases/{folder}/exchanges/1/messages",
                json={"type": "reply", "body": "Known for theft.", "handling_code": "H2"})
    assert r.status_code == 202 and r.get_json()["kind"] == "restricted"
    with_file = be.post(f"/api/v1/cases/{folder}/exchanges/1/messages",
                        json={"type": "reply", "body": "Known.", "handling_code": "H2",
                              "attachments": [{"filename": "a.txt", "content_base64": "YQ=="}]})
    assert with_file.status_code == 422 and "attachments" in with_file.get_json()["error"]["fields"]
    r = be.post(f"/api/v1/cases/{folder}/requests", json=REQUEST)
    assert r.status_code == 202 and r.get_json()["kind"] == "request"
    assert len(_case(db, folder).exchanges) == 1  # the request has not left
    pending = db.scalars(select(Approval).order_by(Approval.id)).all()
    assert [a.kind for a in pending] == ["restricted", "request"]
    with pytest.raises(CaseError, match="Four eyes"):
        approvals.decide(db, pending[0], officer, approve=True)
    db.rollback()
    nl, _ = login_as("supervisor", "NL")
    assert nl.post_form(f"/cases/approvals/{pending[1].id}", {"decision": "approve"}).status_code == 404
    supervisor, _ = login_as("supervisor", "BE")
    assert supervisor.post_form(f"/cases/approvals/{pending[1].id}", {"decision": "approve"}).status_code == 302
    case = _case(db, folder)
    assert [e.number for e in case.exchanges] == [1, 2] and case.exchanges[1].request_content["purpose"]
    # a supervisor's own restricted reply needs nobody else
    boss = api(make_user("supervisor", "BE"))
    assert boss.post(f"/api/v1/cases/{folder}/exchanges/1/messages",
                     json={"type": "reply", "body": "Known for theft.", "handling_code": "H2"}).status_code == 201
