"""The delegations API (issue 19, 3a): an invitee reads and answers with its delegation (PUT replaces it), the
secretariat reads every delegation; another country gets 404; bad input answers 422 in the API's one error
shape, naming the field; the OpenAPI document describes both operations."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.meetings.models import Delegate, Invitation

ZOFIA = {"name": "Zofia Łukasiewicz", "function": "Head of SPOC", "email": "z.l@policja.example",
         "nationality": "Polish", "birth_date": "1980-04-02", "document_number": "ab 123456"}


@pytest.fixture
def invitation(make_meeting, db):
    mid = make_meeting(countries=["BE", "PL"], send=True)
    db.rollback()
    inv = db.scalar(select(Invitation).where(Invitation.meeting_id == mid, Invitation.country_code == "PL"))
    return mid, inv.id


def _url(invitation):
    meeting_id, invitation_id = invitation
    return f"/api/v1/meetings/{meeting_id}/invitations/{invitation_id}/delegation"


def test_the_invitee_answers_with_its_delegation_and_reads_it_back(api, make_user, invitation, db):
    head = api(make_user("head_of_spoc", "PL"))
    r = head.request("PUT", _url(invitation), json={"answer": "attend", "participants": [
        ZOFIA, {"name": "Jan Kowalski", "function": "Deputy"}]})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["answer"] == "attend" and body["answer_open"] and body["delegation_open"]
    zofia, jan = body["participants"]
    assert (zofia["name"], zofia["document_number"], zofia["birth_date"]) == ("Zofia Łukasiewicz", "AB123456",
                                                                              "1980-04-02")
    assert head.get(_url(invitation)).get_json() == body
    # the same call changes one, drops the other, adds a third; the answer may stay out
    r = head.request("PUT", _url(invitation), json={"participants": [
        {"id": zofia["id"], "name": "Zofia Łukasiewicz", "function": "Deputy Head of SPOC"}, {"name": "Ewa Nowak"}]})
    assert [(p["name"], p["function"], p["nationality"]) for p in r.get_json()["participants"]] == [
        ("Zofia Łukasiewicz", "Deputy Head of SPOC", ""), ("Ewa Nowak", "", "")]
    assert r.get_json()["answer"] == "attend"
    db.rollback()
    events = [e.details.get("event") for e in db.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "meeting_delegate").order_by(AuditEntry.id))]
    assert events == [None, None, "removed", "updated", None]  # collected, collected, removed, updated, collected


def test_declining_leaves_no_participant(api, make_user, invitation, db):
    head = api(make_user("head_of_spoc", "PL"))
    head.request("PUT", _url(invitation), json={"answer": "attend", "participants": [ZOFIA]})
    r = head.request("PUT", _url(invitation), json={"answer": "decline"})
    assert r.status_code == 200 and r.get_json()["participants"] == [] and r.get_json()["answer"] == "decline"
    db.rollback()
    assert db.scalars(select(Delegate)).all() == []


@pytest.mark.parametrize("body,field,message", [
    ({"answer": "attend", "participants": [{"name": "Jan"}, {**ZOFIA, "email": "nope"}]}, "participants.1.email",
     "An e-mail address has the form name@example.org."),
    ({"answer": "attend", "participants": [{"name": "  "}]}, "participants.0.name",
     "Give the participant's name as on their identity document."),
    ({"answer": "attend", "participants": [{**ZOFIA, "function": "Confidential UE"}]}, "participants.0.function",
     "Marked CONFIDENTIAL UE: the portal holds unclassified"),
    ({"answer": "delegate", "participants": []}, "participants.0.name", "Name the delegate who will attend."),
    ({"answer": "attend", "participants": [{"id": 999, "name": "Jan"}]}, "participants.0.id",
     "No such participant in this delegation"),
    ({"answer": "maybe"}, "answer", "Input should be 'attend', 'delegate' or 'decline'"),
    ({"participants": [{"function": "Deputy"}]}, "participants.0.name", "This field is required."),
    ({"participants": [{"name": "Jan", "birth_date": "2999-01-01"}]}, "participants.0.birth_date",
     "Enter a real date of birth."),
    ({"participants": [{"name": "Jan", "passport": "X"}]}, "participants.0.passport",
     "This field is not known here; leave it out."),
])
def test_bad_input_answers_422_naming_the_field_and_changes_nothing(api, make_user, invitation, db, body, field,
                                                                    message):
    head = api(make_user("head_of_spoc", "PL"))
    r = head.request("PUT", _url(invitation), json=body)
    assert r.status_code == 422
    error = r.get_json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["code"] == "invalid"
    assert list(error["fields"]) == [field] and error["fields"][field].startswith(message)
    db.rollback()
    assert db.scalars(select(Delegate)).all() == [] and db.get(Invitation, invitation[1]).answer is None


def test_the_secretariat_reads_but_does_not_answer_and_other_countries_get_404(api, make_user, invitation, db):
    api(make_user("head_of_spoc", "PL")).request("PUT", _url(invitation), json={"answer": "attend",
                                                                                 "participants": [ZOFIA]})
    sec = api(make_user("secretariat"))
    assert sec.get(_url(invitation)).get_json()["participants"][0]["document_number"] == "AB123456"
    db.rollback()
    read = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "meeting_delegation")).all()
    assert [(e.action, e.details["participants"]) for e in read] == [("disclosure", 1)]  # the invitee's reads: none
    assert sec.request("PUT", _url(invitation), json={"answer": "decline"}).status_code == 404
    for role, country in (("head_of_spoc", "BE"), ("head_of_spoc", "NL"), ("officer", "PL"), ("observer", None)):
        other = api(make_user(role, country))
        assert other.get(_url(invitation)).status_code == 404, (role, country)
        r = other.request("PUT", _url(invitation), json={"answer": "decline"})
        assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    mid, _ = invitation
    be_invitation = db.scalar(select(Invitation.id).where(Invitation.meeting_id == mid, Invitation.country_code == "BE"))
    assert api(make_user("head_of_spoc", "PL")).get(_url((mid, be_invitation))).status_code == 404
    db.rollback()
    assert db.get(Invitation, invitation[1]).answer == "attend"


def test_the_openapi_document_describes_the_delegation(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    path = doc["paths"]["/api/v1/meetings/{meeting_id}/invitations/{invitation_id}/delegation"]
    assert path["get"]["operationId"] == "api_delegation" and path["put"]["operationId"] == "api_put_delegation"
    assert path["put"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DelegationIn"}
    assert {"200", "401", "404", "422"} <= set(path["put"]["responses"])
    participant = doc["components"]["schemas"]["ParticipantIn"]
    assert {"name", "function", "nationality", "birth_date", "document_number"} <= set(participant["properties"])
