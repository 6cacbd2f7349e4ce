"""Exchanges inside a case folder (issue 16): frameworks and counterparts, clocks, messages, Art. 5(2)
deviations, closing with an outcome, suggestions instead of swallowing, answers filed into their exchange."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from casemgmt.models import Case, Exchange, Message
from casemgmt.services import CaseError, dedupe
from tests.casemgmt.conftest import make_payload


@pytest.fixture
def be(api, make_user):
    return api(make_user("officer", "BE"))


def _intake(client, **overrides) -> dict:
    r = client.post("/api/v1/cases/intake", json=make_payload(**overrides))
    assert r.status_code in (200, 201), r.get_json()
    return r.get_json()


def _ago(**kw) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(**kw)).replace(microsecond=0).isoformat()


@pytest.mark.parametrize(("overrides", "framework", "clock"), [
    ({}, "2023/977", True),
    ({"channel": "SIRENE"}, "sis_sirene", False),
    ({"channel": "INTERPOL", "counterpart_country": None, "counterpart": {"kind": "third_country", "country": "US"}},
     "interpol", False),
    ({"counterpart_country": None, "counterpart": {"kind": "agency", "name": "Europol"}}, "europol_regulation", False),
    ({"channel": "NATIONAL", "counterpart_country": "BE", "counterpart_type": "competent_authority"}, "national", False),
    ({"counterpart_country": "DK"}, "other_agreement", False),  # recital 44: Denmark is not bound
    ({"type": "copy"}, "2023/977", False),  # information needs no reply: no Art. 5(1) clock
])
def test_each_exchange_has_its_framework_and_only_directive_requests_a_clock(be, overrides, framework, clock):
    body = _intake(be, **overrides)
    assert body["legal_framework"] == framework
    assert (body["due_at"] is not None) == clock
    assert body["exchange"] == body["registration_number"] + "/1"


def test_a_reply_and_closing_with_an_outcome(be, api, make_user, db):
    body = _intake(be, received_at=_ago(hours=1), urgent=True, urgency_ground="loss_of_relevance",
                   information_access="direct")
    number = body["registration_number"]
    ex = f"/api/v1/cases/{number}/exchanges/1"
    assert api(make_user("officer", "NL")).post(f"{ex}/messages", json={"type": "reply", "body": "x"}).status_code == 404
    future = be.post(f"{ex}/messages", json={"type": "reply", "body": "x", "sent_at": _ago(hours=-2)})
    assert future.status_code == 422 and "sent_at" in future.get_json()["error"]["fields"]
    no_grounds = be.post(f"{ex}/messages", json={"type": "refusal", "body": "no"})
    assert no_grounds.status_code == 422 and "refusal_grounds" in no_grounds.get_json()["error"]["fields"]
    unanswered = be.post(f"{ex}/close", json={"outcome": "information_provided"})
    assert unanswered.status_code == 422 and "outcome" in unanswered.get_json()["error"]["fields"]
    r = be.post(f"{ex}/messages", json={"type": "reply", "body": "Nothing known.", "handling_code": "H2",
                                        "source_code": "B", "information_code": "2"})
    assert r.status_code == 201 and r.get_json()["exchange"]["state"] == "answered"
    missing = be.post(f"{ex}/close", json={})
    assert missing.status_code == 422 and "outcome" in missing.get_json()["error"]["fields"]
    closed = be.post(f"{ex}/close", json={"outcome": "information_provided"})
    assert closed.status_code == 200 and closed.get_json()["outcome"] == "information_provided"
    db.rollback()
    case = db.scalar(select(Case).where(Case.registration_number == number))
    assert case.status == "closed"  # its only exchange closed
    reply = db.scalar(select(Message).where(Message.case_id == case.id, Message.type == "reply"))
    assert (reply.handling_code, reply.source_code, reply.information_code) == ("H2", "B", "2")


@pytest.mark.parametrize(("days", "notice", "late", "deviation"), [(10, True, True, True), (10, False, True, False),
                                                                   (1, True, False, False)])
def test_art5_2_deviation_is_a_late_answer_after_a_delay_notice(be, days, notice, late, deviation):
    received = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=days)
    number = _intake(be, received_at=received.isoformat())["registration_number"]
    ex = f"/api/v1/cases/{number}/exchanges/1"
    if notice:
        r = be.post(f"{ex}/messages", json={"type": "delay_notice", "body": "Judicial authorisation needed.",
                                            "expected_delay_hours": 240,
                                            "sent_at": (received + dt.timedelta(hours=20)).isoformat()})
        assert r.status_code == 201, r.get_json()
    got = be.post(f"{ex}/messages", json={"type": "reply", "body": "Here.", "handling_code": "H0"}).get_json()
    assert (got["exchange"]["late"], got["exchange"]["art5_2_deviation"]) == (late, deviation)


def test_clarification_stops_the_clock_until_the_answer(be):
    received = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=3)
    number = _intake(be, received_at=received.isoformat())["registration_number"]
    ex = f"/api/v1/cases/{number}/exchanges/1"
    be.post(f"{ex}/messages", json={"type": "clarification_request", "body": "Which vehicle?",
                                    "sent_at": (received + dt.timedelta(days=1)).isoformat()})
    r = be.post(f"{ex}/messages", json={"type": "clarification_reply", "body": "The red one.",
                                        "sent_at": (received + dt.timedelta(days=2)).isoformat()})
    assert r.status_code == 201
    due = dt.datetime.fromisoformat(r.get_json()["exchange"]["due_at"])
    assert due == received + dt.timedelta(days=8)  # 7 days and the day the clock stood still


def test_a_new_request_quoting_a_closed_case_gets_its_own_case_and_clock(be, db):
    first = _intake(be, received_at=_ago(hours=3), external_reference="SIENA-CLOSED-1")
    number = first["registration_number"]
    be.post(f"/api/v1/cases/{number}/exchanges/1/messages", json={"type": "reply", "body": "Done.", "handling_code": "H0"})
    be.post(f"/api/v1/cases/{number}/exchanges/1/close", json={"outcome": "information_provided"})
    again = _intake(be, received_at=_ago(hours=1), urgent=True, urgency_ground="life_or_physical_integrity",
                    information_access="direct", body=f"New request in the matter of {number}.")
    assert again["registration_number"] != number and again["due_at"] is not None
    assert again["possible_duplicates"][0]["registration_number"] == number
    assert "registration number" in again["possible_duplicates"][0]["reason"]
    db.rollback()
    closed = db.scalar(select(Case).where(Case.registration_number == number))
    assert closed.status == "closed" and db.scalar(select(func.count(Message.id)).where(Message.case_id == closed.id)) == 2


def test_an_answer_quoting_our_outgoing_request_is_filed_into_it(be, db):
    out = _intake(be, direction="out", external_reference="SIENA-OUT-77", received_at=_ago(hours=5))
    assert out["due_at"] is not None  # the partner's deadline, to chase
    answer = _intake(be, type="reply", external_reference="SIENA-IN-78", received_at=_ago(hours=1),
                     external_references=[{"channel": "SIENA", "reference": "SIENA-OUT-77"}])
    assert answer["attached_to"] == out["registration_number"] + "/1"
    assert answer["registration_number"] == out["registration_number"]
    db.rollback()
    exchange = db.scalar(select(Exchange).where(Exchange.case_id == out["case_id"]))
    assert (exchange.state, exchange.answered) == ("answered", True)


def test_exact_repeat_only_is_recognised(be):
    first = _intake(be, external_reference="SIENA-REP-1")
    again = be.post("/api/v1/cases/intake", json=make_payload(external_reference="SIENA-REP-1"))
    assert again.status_code == 200 and again.get_json()["duplicate_of"] == first["registration_number"]
    # the same reference as an own-initiative message is not the same message: new, suggested
    other = be.post("/api/v1/cases/intake", json=make_payload(external_reference="SIENA-REP-1", type="own_initiative"))
    assert other.status_code == 201 and other.get_json()["possible_duplicates"]


def test_case_detail_lists_its_exchanges(be):
    number = _intake(be)["registration_number"]
    detail = be.get(f"/api/v1/cases/{number}").get_json()
    (ex,) = detail["exchanges"]
    assert ex["id"] == f"{number}/1" and ex["counterpart"] == {"kind": "member_state", "country": "DE"}
    assert ex["legal_framework"] == "2023/977" and ex["state"] == "open" and ex["art5_2_deviation"] is False


def test_a_suggestion_confirmed_is_one_request_timed_from_the_first_receipt(be, login_as, db):
    earlier = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=3)
    first = _intake(be, received_at=_ago(hours=2), external_reference="SIENA-TWICE-1")
    second = _intake(be, channel="BILATERAL", channel_reason="urgency", external_reference="BIL-TWICE-1",
                     received_at=earlier.isoformat(),
                     external_references=[{"channel": "SIENA", "reference": "SIENA-TWICE-1"}])
    assert second["possible_duplicates"][0]["registration_number"] == first["registration_number"]
    client, _ = login_as("officer", "BE")
    page = client.get(f"/cases/{second['registration_number']}").get_data(as_text=True)
    assert "Possible duplicate of" in page and "Same request (merge)" in page
    r = client.post_form(f"/cases/{second['registration_number']}/exchanges/1/suggestion",
                         {"of": first["registration_number"], "decision": "confirm"})
    assert r.status_code == 302
    db.rollback()
    merged = db.scalar(select(Case).where(Case.registration_number == second["registration_number"]))
    target = db.scalar(select(Case).where(Case.registration_number == first["registration_number"]))
    assert merged.merged_into_id == target.id
    exchange = target.exchanges[0]
    # the earlier receipt (bilaterally, an hour before the SIENA copy) starts the one clock
    assert (exchange.received_at, exchange.due_at) == (earlier, earlier + dt.timedelta(days=7))
    assert second["exchange"] and target.due_at == earlier + dt.timedelta(days=7)
    assert db.scalar(select(func.count(Message.id)).where(Message.exchange_id == exchange.id)) == 2


def test_a_suggestion_on_a_closed_case_is_dismissed_and_linked(be, login_as, db):
    first = _intake(be, received_at=_ago(hours=5))
    number = first["registration_number"]
    be.post(f"/api/v1/cases/{number}/exchanges/1/messages", json={"type": "reply", "body": "Done.", "handling_code": "H0"})
    be.post(f"/api/v1/cases/{number}/exchanges/1/close", json={"outcome": "information_provided"})
    new = _intake(be, received_at=_ago(hours=1), body=f"In the matter of {number}, a new question.")
    client, _ = login_as("officer", "BE")
    refused = client.post_form(f"/cases/{new['registration_number']}/exchanges/1/suggestion",
                               {"of": number, "decision": "confirm"}, follow_redirects=True)
    assert "is closed: a new request is its own exchange" in refused.get_data(as_text=True)
    r = client.post_form(f"/cases/{new['registration_number']}/exchanges/1/suggestion",
                         {"of": number, "decision": "dismiss", "link": "1"})
    assert r.status_code == 302
    db.rollback()
    case = db.scalar(select(Case).where(Case.registration_number == new["registration_number"]))
    assert case.exchanges[0].possible_duplicates == [] and case.merged_into_id is None
    assert [c.registration_number for c in dedupe.linked_cases(db, case)] == [number]


def test_suggestions_through_the_api(be, api, make_user):
    first = _intake(be, received_at=_ago(hours=2))
    new = _intake(be, received_at=_ago(hours=1), body=f"Same matter as {first['registration_number']}.")
    url = f"/api/v1/cases/{new['registration_number']}/exchanges/1/suggestions"
    assert api(make_user("officer", "NL")).post(url, json={"of": first["registration_number"],
                                                           "decision": "dismiss"}).status_code == 404
    bad = be.post(url, json={"of": "BE-2026-999999", "decision": "dismiss"})
    assert bad.status_code == 422 and "of" in bad.get_json()["error"]["fields"]
    r = be.post(url, json={"of": first["registration_number"], "decision": "dismiss", "link": True})
    assert r.status_code == 200 and r.get_json()["possible_duplicates"] == []
    detail = be.get(f"/api/v1/cases/{new['registration_number']}").get_json()
    assert detail["linked_cases"] == [first["registration_number"]]


def test_passing_information_on_keeps_the_providers_restriction(be, officer, work, db, app):
    from casemgmt.models import NationalAuthority
    from casemgmt.services import outgoing, workflow

    body = _intake(be, handling_code="H2", source_code="B", information_code="2")
    db.rollback()
    first = db.scalar(select(Message).where(Message.case_id == body["case_id"]))
    assert (first.handling_code, first.source_code, first.information_code) == ("H2", "B", "2")
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.add(NationalAuthority(country_code="BE", name="Federal police, Antwerp", kind="police"))
    db.rollback()
    authority = db.scalar(select(NationalAuthority.id))
    case_id = body["case_id"]
    work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=False, urgency_ground=None,
                                                 information_access="indirect"))
    work(case_id, lambda s, c: workflow.record_cross_check(s, c, officer))
    with pytest.raises(CaseError, match="restricted this information with H2") as err:
        work(case_id, lambda s, c: outgoing.disseminate(s, c, officer, authority_id=authority, summary="Holder",
                                                        handling_code="H0", justification="local check"))
    assert err.value.field == "handling_code"
    item = work(case_id, lambda s, c: outgoing.disseminate(s, c, officer, authority_id=authority, summary="Holder",
                                                           handling_code="H2", justification="local check").id)
    assert item


def test_strong_hits_decided_together_then_one_reply(be, login_as, db):
    person = [{"kind": "person", "surname": "Ivanov", "given_names": "Ivan", "date_of_birth": "1970-05-06"},
              {"kind": "vehicle", "plate": "KA-123-XY", "country": "DE"}]
    _intake(be, entities=person, subject="first")
    number = _intake(be, entities=person, subject="second")["registration_number"]
    client, _ = login_as("officer", "BE")
    blocked = client.post_form(f"/cases/{number}/reply", {"re-body": "Known.", "re-handling_code": "H0",
                                                          "re-justification": "Art. 5 request"})
    assert blocked.status_code == 422 and "Decide the cross-check's strong hits" in blocked.get_data(as_text=True)
    page = client.get(f"/cases/{number}/crosscheck").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'name="hit" value="(\d+)"', page)]
    assert len(ids) >= 2  # the person and the vehicle, one form
    r = client.post_form(f"/cases/{number}/crosscheck/hits", {"hit": [str(i) for i in ids], "decision": "confirmed",
                                                              "note": "Same suspect"})
    assert r.status_code == 302
    sent = client.post_form(f"/cases/{number}/reply", {"re-body": "Known.", "re-handling_code": "H0",
                                                       "re-justification": "Art. 5 request"})
    assert sent.status_code == 302
    db.rollback()
    from casemgmt.crosscheck.models import CrossCheckHit

    statuses = set(db.scalars(select(CrossCheckHit.status).where(CrossCheckHit.id.in_(ids))))
    assert statuses == {"confirmed"}


def test_a_message_carries_its_own_attachments(be, db):
    import base64

    from casemgmt.models import Attachment

    number = _intake(be)["registration_number"]
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    attached = {"filename": "Extrait du registre.pdf", "content_base64": base64.b64encode(pdf).decode()}
    reply = {"type": "reply", "body": "See the extract.", "handling_code": "H1", "attachments": [attached]}
    # nothing to read in it (as a scan): the sender confirms it holds no EU classified marking (issue 19 A)
    unconfirmed = be.post(f"/api/v1/cases/{number}/exchanges/1/messages", json=reply)
    assert unconfirmed.status_code == 422
    assert "scan_confirmed" in unconfirmed.get_json()["error"]["fields"]["attachments.0.scan_confirmed"]
    r = be.post(f"/api/v1/cases/{number}/exchanges/1/messages",
                json=dict(reply, attachments=[dict(attached, scan_confirmed=True)]))
    assert r.status_code == 201, r.get_json()
    bad = be.post(f"/api/v1/cases/{number}/exchanges/1/messages", json={
        "type": "update", "body": "x", "attachments": [{"filename": "a.pdf", "content_base64": "!!"}]})
    assert bad.status_code == 422
    db.rollback()
    attachment = db.scalar(select(Attachment).where(Attachment.message_id == r.get_json()["id"]))
    assert attachment.file.original_name == "Extrait du registre.pdf"


def test_the_secretariat_records_whom_the_directive_binds_and_intake_follows(be, login_as, db):
    from portal.directory.models import Country

    assert _intake(be, counterpart_country="DK")["legal_framework"] == "other_agreement"  # recital 44
    head, _ = login_as("head_of_spoc", "DK")
    page = head.get("/directory/DK/edit").get_data(as_text=True)
    assert "Bound by Directive (EU) 2023/977" not in page  # a network fact, not the country's own
    head.post_form("/directory/DK/edit", {"name": "SPOC Denmark", "bound_by_2023_977": "y"})
    db.rollback()
    assert db.get(Country, "DK").bound_by_2023_977 is False
    db.rollback()
    sec, _ = login_as("secretariat")
    assert "Bound by Directive (EU) 2023/977" in sec.get("/directory/DK/edit").get_data(as_text=True)
    r = sec.post_form("/directory/DK/edit", {"name": "SPOC Denmark", "bound_by_2023_977": "y"})
    assert r.status_code == 302
    assert "Bound" in sec.get("/directory/DK").get_data(as_text=True)
    assert _intake(be, counterpart_country="DK")["legal_framework"] == "2023/977"
