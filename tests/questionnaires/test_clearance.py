"""National clearance: the Head of SPOC approves before a country's response is submitted, or sends it back."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit import AuditEntry
from portal.mail import OutboxMessage
from questionnaires.models import Response, ResponseEvent
from tests.questionnaires.conftest import COMPLETE, form_for, page_revisions, response_url


def _response(db, rid, cc="BE") -> Response:
    db.rollback()
    return db.scalar(select(Response).where(Response.round_id == rid, Response.country_code == cc))


def _mail(db, subject_start: str) -> OutboxMessage:
    return db.scalars(select(OutboxMessage).where(OutboxMessage.subject.like(f"{subject_start}%"))
                      .order_by(OutboxMessage.id.desc())).first()


def test_the_secretariat_asks_for_clearance_when_opening_a_round(login_as, open_mini, db):
    open_mini()  # publishes the questionnaire
    sec, _ = login_as("secretariat")
    page = sec.get("/questionnaires/rounds/new").get_data(as_text=True)
    assert "National clearance" in page
    from questionnaires.models import QuestionnaireVersion, Round

    version = db.scalar(select(QuestionnaireVersion))
    r = sec.post_form("/questionnaires/rounds/new", {"version_id": str(version.id), "title": "Cleared round",
                                                     "deadline": "2099-01-01", "countries": ["BE"],
                                                     "requires_clearance": "y"})
    assert r.status_code == 302
    db.rollback()
    assert db.scalar(select(Round).where(Round.title == "Cleared round")).requires_clearance is True


def test_respondents_send_for_approval_and_the_head_submits(login_as, open_mini, db, make_user):
    rid = open_mini(requires_clearance=True)
    make_user("head_of_spoc", "BE", email="head.be@test.invalid")
    make_user("head_of_spoc", "NL", email="head.nl@test.invalid")
    c, _ = login_as("respondent", "BE")
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert "Send to the Head of SPOC for approval" in page and "National clearance" in page
    # an incomplete response is not sent: the problems are listed as for a submission
    r = c.post_form(response_url(rid), form_for({"staff": "3"}) | {"action": "submit"})
    assert r.status_code == 422 and "Not submitted" in r.get_data(as_text=True)
    assert _response(db, rid).status == "draft"
    revisions = page_revisions(c.get(response_url(rid)).get_data(as_text=True))
    r = c.post_form(response_url(rid), form_for(COMPLETE, revisions) | {"action": "submit"})
    assert r.status_code == 302
    response = _response(db, rid)
    assert response.status == "for_approval" and response.submitted_at is None
    mail = _mail(db, "For your approval:")
    assert mail.to == ["head.be@test.invalid"] and response_url(rid) in mail.body
    # locked for the respondents meanwhile
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert "questionnaire-form" not in page and "Sent to the Head of SPOC for approval" in page
    assert c.post_form(response_url(rid), form_for({"staff": "4"})).status_code == 302
    assert _response(db, rid).status == "for_approval"
    # another country's head, and a respondent, may not decide
    other, _ = login_as("head_of_spoc", "NL")
    assert other.post_form(response_url(rid) + "/clearance", {"action": "approve"}).status_code == 404
    assert c.post_form(response_url(rid) + "/clearance", {"action": "approve"}).status_code == 404
    head, head_user = login_as("head_of_spoc", "BE")
    page = head.get(response_url(rid)).get_data(as_text=True)
    assert "Approve and submit to the secretariat" in page and "CaseBook" in page
    r = head.post_form(response_url(rid) + "/clearance", {"action": "approve", "comment": ""})
    assert r.status_code == 302
    response = _response(db, rid)
    assert response.status == "submitted" and response.submitted_by_id == head_user.id
    assert [e.event for e in db.scalars(select(ResponseEvent).order_by(ResponseEvent.id))] == \
        ["sent_for_approval", "approved"]
    events = [e.details["event"] for e in db.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "questionnaire_response").order_by(AuditEntry.seq))]
    assert events == ["sent_for_approval", "approved_and_submitted"]
    assert "Approved and submitted by the Head of SPOC" in head.get(response_url(rid)).get_data(as_text=True)


def test_the_head_sends_it_back_with_a_comment(login_as, open_mini, db, make_user):
    rid = open_mini(requires_clearance=True)
    make_user("respondent", "BE", email="colleague.be@test.invalid")
    c, _ = login_as("respondent", "BE")
    c.post_form(response_url(rid), form_for(COMPLETE) | {"action": "submit"})
    head, _ = login_as("head_of_spoc", "BE")
    r = head.post_form(response_url(rid) + "/clearance", {"action": "send_back", "comment": "   "})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="comment-error">Say what should change' in page
    assert _response(db, rid).status == "for_approval"
    r = head.post_form(response_url(rid) + "/clearance", {"action": "send_back",
                                                          "comment": "The night shift figure is last year's."})
    assert r.status_code == 302
    response = _response(db, rid)
    assert response.status == "draft" and response.clearance_comment == "The night shift figure is last year's."
    mail = _mail(db, "Sent back:")
    assert "colleague.be@test.invalid" in mail.to and "The night shift figure is last year's." in mail.body
    entry = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry.details["event"] == "sent_back" and entry.justification == "The night shift figure is last year's."
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert "questionnaire-form" in page and "Sent back by the Head of SPOC: The night shift figure" in page
    assert "History of this response (2)" in page
    # once more: sent again, the comment is cleared; a second decision on a decided response is refused
    revisions = page_revisions(page)
    c.post_form(response_url(rid), form_for({"night": "4"}, revisions) | {"action": "submit"})
    assert _response(db, rid).clearance_comment == ""
    head.post_form(response_url(rid) + "/clearance", {"action": "approve"})
    r = head.post_form(response_url(rid) + "/clearance", {"action": "approve"})
    assert r.status_code == 422 and "not waiting for approval" in r.get_data(as_text=True)


def test_without_clearance_the_respondent_submits_as_before(login_as, open_mini, db):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert "Send to the Head of SPOC" not in page
    c.post_form(response_url(rid), form_for(COMPLETE) | {"action": "submit"})
    assert _response(db, rid).status == "submitted"
    head, _ = login_as("head_of_spoc", "BE")
    assert "Approve and submit" not in head.get(response_url(rid)).get_data(as_text=True)
    r = head.post_form(response_url(rid) + "/clearance", {"action": "approve"})
    assert r.status_code == 422
