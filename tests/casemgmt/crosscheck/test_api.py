"""The cross-check through the JSON API: what a client reads is what the page shows, a decision
posted through the API is the page's decision and is logged, other SPOCs get 404, bad input changes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from casemgmt.crosscheck.models import CrossCheckHit
from casemgmt.models import CaseLink
from portal.audit import AuditEntry
from tests.casemgmt.crosscheck.test_cases import EARLIER, LATER

PHONE = {"kind": "phone", "number": "+32 2 555 12 34"}


@pytest.fixture
def cases(intake, make_user):
    """A BE officer and two BE cases: the second's person and phone number match the first's (two hits)."""
    officer = make_user("officer", "BE")
    first = intake("BE", officer, subject="Stolen vehicle ring", body="Who is he?", entities=[*EARLIER, PHONE])
    second = intake("BE", officer, subject="Fraud with cards", body="Anything on this man?", counterpart_country="FR",
                    entities=[*LATER, {"kind": "phone", "number": "02/555.12.34"}])
    return officer, first, second


def url(number: str, hit_id: int | None = None) -> str:
    base = f"/api/v1/cases/{number}/crosscheck"
    return base if hit_id is None else f"{base}/hits/{hit_id}/decision"


def entries(db, number: str, action: str) -> list[AuditEntry]:
    db.rollback()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.object_id == number, AuditEntry.action == action)
                           .order_by(AuditEntry.seq)))


def test_the_api_gives_the_hits_of_the_page_in_its_order_and_logs_the_consultation(cases, api, client, db):
    officer, (first_id, first_no, _), (_, second_no, _) = cases
    r = api(officer).get(url(second_no))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["registration_number"] == second_no
    assert body["run"]["status"] == "done" and body["run"]["trigger"] == "intake" and body["run"]["hits"] == 2
    assert body["run"]["sources"][0] == "cases" and body["pending"] is False
    hits = body["hits"]
    assert len(hits) == 2 and [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert {h["matched_case"] for h in hits} == {first_no} and {h["source"] for h in hits} == {"cases"}
    assert body["strong"] == body["unreviewed_strong"] == sum(h["level"] == "strong" for h in hits)
    assert all(h["decision"] == {"status": "unreviewed", "note": "", "decided_at": None} for h in hits)
    reasons = [reason for h in hits for reason in h["reasons"]]
    assert "same phone number +3225551234" in reasons and "same date of birth 1975-03-04" in reasons

    client.login(officer.email)
    page = client.get(f"/cases/{second_no}/crosscheck").get_data(as_text=True)
    assert [int(i) for i in re.findall(r'id="hit-(\d+)"', page)] == [h["id"] for h in hits]
    for h in hits:
        assert f"{int(h['score'] * 100)}% · {h['query']} ⇄ {h['matched']}" in page
        assert all(f"<li>{reason}</li>" in page for reason in h["reasons"])

    consulted = entries(db, second_no, "consultation")
    api_entry = next(e for e in consulted if e.details["what"] == "cross-check hits consulted through the API")
    assert api_entry.details["hits"] == 2 and api_entry.actor_email == officer.email
    assert any(e.details["what"] == "cross-check hits consulted" for e in consulted)  # the page's own entry


def test_a_decision_posted_through_the_api_shows_on_the_page_links_the_cases_and_is_logged(cases, api, client, db):
    officer, (first_id, _, _), (second_id, second_no, _) = cases
    client.login(officer.email)
    hit_id = api(officer).get(url(second_no)).get_json()["hits"][0]["id"]
    r = api(officer).post(url(second_no, hit_id), json={"decision": "confirmed", "note": "same passport photo"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["id"] == hit_id and r.get_json()["decision"]["status"] == "confirmed"
    assert r.get_json()["decision"]["decided_at"]

    page = client.get(f"/cases/{second_no}/crosscheck").get_data(as_text=True)
    card = page[page.index(f'id="hit-{hit_id}"'):]
    assert re.search(r'class="xc-status">confirmed</strong> — same passport photo', card)
    again = api(officer).get(url(second_no)).get_json()["hits"]
    assert next(h for h in again if h["id"] == hit_id)["decision"]["note"] == "same passport photo"
    assert db.scalars(select(CaseLink.other_id).where(CaseLink.case_id == second_id)).all() == [first_id]
    (altered,) = [e for e in entries(db, second_no, "alteration") if e.details.get("hit") == hit_id]
    assert altered.details["what"].startswith("cross-check hit confirmed") and altered.actor_email == officer.email
    hit = db.get(CrossCheckHit, altered.details["hit"])
    assert hit.query_display.split(",")[0] not in str(altered.details)  # references, not the person's name

    r = api(officer).post(url(second_no, hit_id), json={"decision": "rejected"})
    assert r.status_code == 200 and r.get_json()["decision"] == {**r.get_json()["decision"], "status": "rejected",
                                                                 "note": ""}


@pytest.mark.parametrize(("role", "country", "read", "decide"), [
    ("officer", "NL", 404, 404), ("supervisor", "NL", 404, 404), ("secretariat", None, 404, 404),
    ("dpo", "BE", 200, 404), ("head_of_spoc", "BE", 200, 404), ("supervisor", "BE", 200, 200),
])
def test_the_api_answers_as_the_page_does_for_each_role(cases, api, make_user, db, role, country, read, decide):
    _, _, (second_id, second_no, _) = cases
    hit_id = db.scalar(select(CrossCheckHit.id).where(CrossCheckHit.case_id == second_id))
    client = api(make_user(role, country))
    r = client.get(url(second_no))
    assert r.status_code == read
    if read == 404:
        assert r.get_json()["error"]["code"] == "not_found" and "hits" not in r.get_json()
    r = client.post(url(second_no, hit_id), json={"decision": "rejected", "note": "not him"})
    assert r.status_code == decide
    db.rollback()
    assert db.get(CrossCheckHit, hit_id).status == ("rejected" if decide == 200 else "unreviewed")


def test_bad_input_is_422_naming_the_field_and_changes_nothing(cases, api, db, intake):
    officer, (first_id, first_no, _), (second_id, second_no, _) = cases
    hit_id = db.scalar(select(CrossCheckHit.id).where(CrossCheckHit.case_id == second_id))
    client = api(officer)  # creating its token is an audit entry too
    db.rollback()
    before = db.scalar(select(func.count(AuditEntry.id)))
    for body, field in [({"decision": "maybe"}, "decision"), ({}, "decision"),
                        ({"decision": "confirmed", "note": "x" * 2001}, "note"),
                        ({"decision": "confirmed", "note": 7}, "note"),
                        ({"decision": "confirmed", "linked": True}, "linked")]:
        r = client.post(url(second_no, hit_id), json=body)
        assert r.status_code == 422, body
        assert field in r.get_json()["error"]["fields"], r.get_json()
    r = client.post(url(second_no, hit_id), data="decision=confirmed", content_type="application/json")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "invalid_body"
    # an unknown hit, or a hit of another case, is not found
    assert client.post(url(second_no, 999999), json={"decision": "rejected"}).status_code == 404
    assert client.post(url(first_no, hit_id), json={"decision": "rejected"}).status_code == 404
    assert client.get(url("BE-1999-999999")).status_code == 404
    db.rollback()
    assert db.get(CrossCheckHit, hit_id).status == "unreviewed"
    assert db.scalar(select(func.count(AuditEntry.id))) == before
    assert db.scalar(select(func.count(CaseLink.case_id))) == 0


def test_the_api_is_in_the_openapi_document_with_its_status_codes(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    read = paths["/api/v1/cases/{registration_number}/crosscheck"]["get"]
    decide = paths["/api/v1/cases/{registration_number}/crosscheck/hits/{hit_id}/decision"]["post"]
    assert set(read["responses"]) == {"200", "401", "404", "422"}
    assert set(decide["responses"]) == {"200", "401", "404", "422"}
    assert decide["requestBody"]["content"]["application/json"]["example"]["decision"] == "confirmed"


def test_a_closed_cases_hits_are_opened_with_a_reason_as_its_page(cases, api, client, work, db):
    """As the case's own page and its API detail: the reason first, and it is logged with the reading."""
    officer, _, (second_id, second_no, _) = cases
    work(second_id, lambda s, c: setattr(c, "status", "closed"))
    r = api(officer).get(url(second_no))
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"justification"}
    assert "hits" not in r.get_json()
    r = api(officer).get(url(second_no) + "?justification=Follow-up request from FR")
    assert r.status_code == 200 and len(r.get_json()["hits"]) == 2
    (entry,) = [e for e in entries(db, second_no, "consultation") if "through the API" in e.details["what"]]
    assert entry.justification == "Follow-up request from FR"

    client.login(officer.email)
    r = client.get(f"/cases/{second_no}/crosscheck")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/cases/{second_no}")
    assert client.post_form(f"/cases/{second_no}/open", {"justification": "Court asked for the file"}).status_code == 302
    page = client.get(f"/cases/{second_no}/crosscheck")
    assert page.status_code == 200 and 'id="hit-' in page.get_data(as_text=True)
    web = [e for e in entries(db, second_no, "consultation") if e.details["what"] == "cross-check hits consulted"]
    assert [e.justification for e in web] == ["Court asked for the file"]
