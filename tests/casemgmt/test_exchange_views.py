"""The folder's exchanges on the case page and through the API (issue 16, point 1): a further exchange
opened in the same folder, a message recorded in any exchange, an exchange closed with its outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from casemgmt.models import Case, Exchange, Message
from tests.casemgmt.conftest import make_payload


@pytest.fixture
def folder(api, make_user):
    """An open BE case: an incoming request from DE (exchange 1), received an hour ago."""
    received = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(microsecond=0).isoformat()
    r = api(make_user("officer", "BE")).post("/api/v1/cases/intake", json=make_payload(received_at=received))
    assert r.status_code == 201, r.get_json()
    return r.get_json()["registration_number"]


def _exchanges(db, number: str) -> list[Exchange]:
    db.rollback()
    case = db.scalar(select(Case).where(Case.registration_number == number))
    return sorted(case.exchanges, key=lambda e: e.number)


OPEN_TO_FR = {"xn-direction": "out", "xn-type": "own_initiative", "xn-counterpart_kind": "member_state",
              "xn-counterpart_country": "FR", "xn-channel": "SIENA", "xn-subject": "Same car seen in Lille",
              "xn-body": "For your information: the car was seen in Lille.", "xn-language": "fr"}
TO_EUROPOL = {**OPEN_TO_FR, "xn-type": "request", "xn-counterpart_kind": "agency", "xn-counterpart_country": "",
              "xn-counterpart_name": "EUROPOL", "xn-subject": "Europol check", "xn-language": "en"}


def test_an_officer_opens_a_further_exchange_in_the_same_folder(folder, login_as, db):
    client, _ = login_as("officer", "BE")
    page = client.get(f"/cases/{folder}").get_data(as_text=True)
    assert "Open a further exchange in this folder" in page and "Record a message in an exchange" in page
    # a request to another Member State's SPOC goes through the Art. 4 form, with its Art. 4(5) content
    r = client.post_form(f"/cases/{folder}/exchanges", {**OPEN_TO_FR, "xn-type": "request"})
    assert r.status_code == 422 and "Art. 4(5) content" in r.get_data(as_text=True)
    r = client.post_form(f"/cases/{folder}/exchanges", OPEN_TO_FR)
    assert r.status_code == 302
    first, second = _exchanges(db, folder)
    assert (second.number, second.direction, second.type, second.counterpart_country) == (2, "out", "own_initiative", "FR")
    assert second.legal_framework == "2023/977" and second.due_at is None  # information needs no answer
    assert first.state == "open"  # the incoming request keeps its own clock
    page = client.get(f"/cases/{folder}").get_data(as_text=True)
    assert f"{folder}/2" in page and "France" in page


def test_bad_input_is_told_beside_the_field_and_nothing_is_opened(folder, login_as, db):
    client, _ = login_as("officer", "BE")
    r = client.post_form(f"/cases/{folder}/exchanges", {**OPEN_TO_FR, "xn-counterpart_country": ""})
    assert r.status_code == 422
    assert "Choose the country." in r.get_data(as_text=True)
    r = client.post_form(f"/cases/{folder}/exchanges", {**OPEN_TO_FR, "xn-channel": "BILATERAL"})
    assert r.status_code == 422 and "Art. 13: a channel other than SIENA needs a reason." in r.get_data(as_text=True)
    r = client.post_form(f"/cases/{folder}/exchanges", {**OPEN_TO_FR, "xn-subject": ""})
    assert r.status_code == 422 and "Give the subject." in r.get_data(as_text=True)
    assert len(_exchanges(db, folder)) == 1


def test_the_partners_answer_recorded_in_exchange_two_closes_its_loop(folder, login_as, db):
    client, _ = login_as("officer", "BE")
    assert client.post_form(f"/cases/{folder}/exchanges", TO_EUROPOL).status_code == 302
    r = client.post_form(f"/cases/{folder}/exchanges/messages", {
        "xm-exchange": "2", "xm-type": "reply", "xm-body": "Known to Europol: a car-theft network.",
        "xm-handling_code": "H1"})
    assert r.status_code == 302
    second = _exchanges(db, folder)[1]
    assert second.state == "answered" and second.answered_at is not None
    reply = db.scalar(select(Message).where(Message.exchange_id == second.id, Message.type == "reply"))
    assert (reply.direction, reply.handling_code) == ("in", "H1")  # the partner's answer comes in
    r = client.post_form(f"/cases/{folder}/exchanges/close", {"xc-exchange": "2", "xc-outcome": "information_provided"})
    assert r.status_code == 302
    assert _exchanges(db, folder)[1].outcome == "information_provided"
    assert _exchanges(db, folder)[0].is_open  # the case stays open with its incoming request


def test_closing_an_unanswered_request_without_an_outcome_is_refused(folder, login_as, db):
    client, _ = login_as("officer", "BE")
    r = client.post_form(f"/cases/{folder}/exchanges/close", {"xc-exchange": "1", "xc-outcome": ""})
    assert r.status_code == 422
    assert _exchanges(db, folder)[0].is_open


def test_a_message_sent_outside_the_portal_is_recorded_with_its_time(folder, login_as, db):
    client, user = login_as("officer", "BE")
    r = client.post_form(f"/cases/{folder}/exchanges/messages", {
        "xm-exchange": "1", "xm-type": "delay_notice", "xm-body": "A judicial authorisation is needed.",
        "xm-expected_delay_hours": "48", "xm-sent_at": "2000-01-01 10:00"})
    assert r.status_code == 422 and "older than the exchange" in r.get_data(as_text=True)
    r = client.post_form(f"/cases/{folder}/exchanges/messages", {
        "xm-exchange": "1", "xm-type": "delay_notice", "xm-body": "A judicial authorisation is needed.",
        "xm-expected_delay_hours": "48", "xm-sent_at": "soon"})
    assert r.status_code == 422 and "Give the date and time" in r.get_data(as_text=True)
    first = _exchanges(db, folder)[0]
    assert first.delay_notice_at is None
    assert client.post_form(f"/cases/{folder}/exchanges/messages", {
        "xm-exchange": "1", "xm-type": "delay_notice", "xm-body": "A judicial authorisation is needed.",
        "xm-expected_delay_hours": "48"}).status_code == 302
    first = _exchanges(db, folder)[0]
    assert first.delay_notice_at is not None
    assert db.scalar(select(func.count(Message.id)).where(Message.exchange_id == first.id,
                                                         Message.type == "delay_notice")) == 1


def test_another_spoc_gets_404(folder, login_as, db):
    client, _ = login_as("officer", "NL")
    assert client.post_form(f"/cases/{folder}/exchanges", OPEN_TO_FR).status_code == 404
    assert client.post_form(f"/cases/{folder}/exchanges/close",
                            {"xc-exchange": "1", "xc-outcome": "withdrawn"}).status_code == 404
    assert len(_exchanges(db, folder)) == 1


def test_the_api_opens_a_further_exchange(folder, api, make_user, db):
    be = api(make_user("officer", "BE"))
    url = f"/api/v1/cases/{folder}/exchanges"
    bad = be.post(url, json={"direction": "out", "type": "request", "channel": "SIENA", "subject": "x",
                             "counterpart": {"kind": "member_state", "country": "XX"}})
    assert bad.status_code == 422 and "counterpart.country" in bad.get_json()["error"]["fields"]
    assert api(make_user("officer", "NL")).post(url, json={}).status_code == 404
    r = be.post(url, json={"direction": "out", "type": "request", "channel": "SIENA", "subject": "Europol check",
                           "counterpart": {"kind": "agency", "name": "EUROPOL"}})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["id"] == f"{folder}/2" and body["legal_framework"] == "europol_regulation"
    assert body["due_at"] is None  # no Art. 5(1) clock outside the Directive
    detail = be.get(f"/api/v1/cases/{folder}").get_json()
    assert [e["id"] for e in detail["exchanges"]] == [f"{folder}/1", f"{folder}/2"]


def test_our_own_requests_wait_on_the_partner_in_their_own_list_with_its_deadline(api, make_user, login_as, db):
    be = api(make_user("officer", "BE"))

    def request_to_fr(days_ago: int) -> str:
        sent = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)).replace(microsecond=0).isoformat()
        r = be.post("/api/v1/cases/intake", json=make_payload(direction="out", received_at=sent,
                                                             counterpart_country="FR", subject=f"Sent {days_ago}"))
        assert r.status_code == 201, r.get_json()
        return r.get_json()["registration_number"]

    fresh, old = request_to_fr(1), request_to_fr(9)
    client, _ = login_as("officer", "BE")
    action = client.get("/cases/?status=action").get_data(as_text=True)
    listed = action.split('id="inbox-caption"')[1]
    assert fresh not in listed and old not in listed  # nothing to do for the SPOC but wait (and chase)
    assert f"{old}/1" in action.split('id="inbox-caption"')[0]  # the overdue one: "Our requests to chase"
    waiting = client.get("/cases/?status=waiting").get_data(as_text=True)
    assert "Partner overdue: chase" in waiting and "Partner&#39;s deadline" in waiting
    assert waiting.index(old) < waiting.index(fresh)  # by the partner's deadline: the one to chase first
    db.rollback()
    case = db.scalar(select(Case).where(Case.registration_number == fresh))
    assert case.status == "awaiting_partner"
    r = be.post(f"/api/v1/cases/{fresh}/exchanges/1/messages", json={"type": "reply", "body": "Known in Lille."})
    assert r.status_code == 201, r.get_json()
    db.rollback()
    assert db.scalar(select(Case.status).where(Case.registration_number == fresh)) == "replied"
