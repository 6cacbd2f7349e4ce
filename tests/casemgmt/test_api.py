"""The JSON API: intake (201 / 200 duplicate / 422), keyset lists, one case, Art. 18 figures."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from casemgmt.models import Case, Message, Person
from portal.audit import AuditEntry
from tests.casemgmt.conftest import make_payload


def ts(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


@pytest.fixture
def be(api, make_user):
    return api(make_user("officer", "BE"))


RECEIVED = "2026-11-20T10:00:00+00:00"


@pytest.mark.parametrize(("urgent", "access", "ground", "delta"), [
    (True, "direct", "life_or_physical_integrity", dt.timedelta(hours=8)),
    (True, "indirect", "deprivation_of_liberty", dt.timedelta(days=3)),
    (False, "direct", None, dt.timedelta(days=7)),
    (False, None, None, dt.timedelta(days=7)),
])
def test_intake_registers_with_the_legal_deadline(be, urgent, access, ground, delta):
    r = be.post("/api/v1/cases/intake", json=make_payload(received_at=RECEIVED, urgent=urgent,
                                                          information_access=access, urgency_ground=ground))
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["registration_number"] == "BE-2026-000001" and body["duplicate_of"] is None
    assert isinstance(body["case_id"], int)
    assert ts(body["due_at"]) - ts(RECEIVED) == delta


def test_same_reference_again_is_attached_not_registered(be, db):
    msg = make_payload()
    first = be.post("/api/v1/cases/intake", json=msg).get_json()
    again = be.post("/api/v1/cases/intake", json=msg)
    assert again.status_code == 200
    assert again.get_json()["duplicate_of"] == first["registration_number"]
    assert again.get_json()["registration_number"] == first["registration_number"]
    db.rollback()
    assert db.scalar(select(func.count(Case.id))) == 1
    assert db.scalar(select(func.count(Message.id))) == 2


def test_a_new_request_quoting_a_known_one_is_registered_with_suggestions(be, db):
    first = be.post("/api/v1/cases/intake", json=make_payload(external_reference="SIENA-998877-1")).get_json()
    sirene = make_payload(channel="SIRENE", channel_reason="urgency", external_reference="SIR-DE-4411",
                          external_references=[{"channel": "SIENA", "reference": "SIENA-998877-1"}])
    r = be.post("/api/v1/cases/intake", json=sirene)
    # suggested, never swallowed: its own case and exchange, the known one named with the reason
    assert r.status_code == 201, r.get_json()
    second = r.get_json()
    assert second["registration_number"] != first["registration_number"] and second["duplicate_of"] is None
    assert second["possible_duplicates"] == [{"registration_number": first["registration_number"],
                                              "exchange": first["registration_number"] + "/1",
                                              "reason": "quotes the SIENA reference SIENA-998877-1"}]
    # a third message on INTERPOL quotes the first case's SIENA reference only in its text
    third = make_payload(channel="INTERPOL", channel_reason="third_country_or_international_organisation",
                         external_reference="IP-77", body="Follow-up to SIENA message SIENA-998877-1, please.")
    r = be.post("/api/v1/cases/intake", json=third)
    assert r.status_code == 201
    assert [s["registration_number"] for s in r.get_json()["possible_duplicates"]] == [first["registration_number"]]
    db.rollback()
    assert db.scalar(select(func.count(Case.id))) == 3


def test_bad_payload_is_422_with_fields_and_creates_nothing(be, db):
    junk = be.post("/api/v1/cases/intake", json={"channel": "CARRIER-PIGEON", "received_at": "yesterday",
                                                 "entities": "x"})
    assert junk.status_code == 422
    fields = junk.get_json()["error"]["fields"]
    assert {"channel", "received_at", "entities", "subject", "counterpart"} <= set(fields)
    ref = "SIENA-HALF-1"
    half = be.post("/api/v1/cases/intake", json=make_payload(external_reference=ref, entities=[
        {"kind": "person", "surname": "Ok"}, {"kind": "spaceship"}]))
    assert half.status_code == 422 and "entities.1" in half.get_json()["error"]["fields"]
    db.rollback()
    assert db.scalar(select(func.count(Case.id))) == 0 and db.scalar(select(func.count(Person.id))) == 0
    retry = be.post("/api/v1/cases/intake", json=make_payload(external_reference=ref))
    assert retry.status_code == 201


@pytest.mark.parametrize(("change", "field"), [
    ({"channel": "BILATERAL"}, "channel_reason"),
    ({"channel": "INTERPOL", "legal_framework": "2023/977"}, "channel_reason"),
    ({"counterpart_country": "XX"}, "counterpart_country"),
    ({"counterpart_country": None, "counterpart": {"kind": "member_state", "country": "XX"}}, "counterpart.country"),
    ({"counterpart_country": None, "counterpart": {"kind": "member_state", "country": "GE"}}, "counterpart.country"),
    ({"counterpart_country": None, "counterpart": {"kind": "agency", "name": "SPECTRE"}}, "counterpart.name"),
    ({"counterpart_country": "US", "legal_framework": "2023/977"}, "legal_framework"),
    ({"counterpart_country": "DK", "legal_framework": "2023/977"}, "legal_framework"),
    ({"urgent": True, "information_access": "direct"}, "urgency_ground"),
    ({"urgent": True, "urgency_ground": "loss_of_relevance"}, "information_access"),
    ({"urgency_ground": "loss_of_relevance"}, "urgency_ground"),
    ({"received_at": "2026-03-01T10:00:00"}, "received_at"),
    ({"direction": "sideways"}, "direction"),
    ({"type": "gossip"}, "type"),
    ({"information_access": "maybe"}, "information_access"),
    ({"entities": [{"kind": "person", "surname": "X", "date_of_birth": "1980-02-30"}]}, "entities.0.date_of_birth"),
    ({"entities": [{"kind": "vehicle"}]}, "entities.0"),
    ({"unexpected": 1}, "unexpected"),
])
def test_each_rule_names_its_field(be, change, field):
    r = be.post("/api/v1/cases/intake", json=make_payload(**change))
    assert r.status_code == 422
    assert field in r.get_json()["error"]["fields"], r.get_json()


def test_other_channel_with_its_art13_reason_is_accepted(be, db):
    r = be.post("/api/v1/cases/intake", json=make_payload(
        channel="INTERPOL", channel_reason="third_country_or_international_organisation",
        channel_reason_text="Requested by a third country"))
    assert r.status_code == 201
    db.rollback()
    m = db.scalar(select(Message))
    assert (m.channel, m.channel_reason) == ("INTERPOL", "third_country_or_international_organisation")


def test_list_is_keyset_paginated_and_filtered(be, intake, work):
    ids = [intake("BE")[0] for _ in range(5)]
    intake("NL")
    work(ids[0], lambda s, c: setattr(c, "status", "closed"))
    seen, after = [], None
    while True:
        url = "/api/v1/cases?limit=2" + (f"&after={after}" if after else "")
        page = be.get(url).get_json()
        seen += [i["case_id"] for i in page["items"]]
        after = page["next_after"]
        if after is None:
            break
    assert seen == ids[1:]  # open only (the default), own SPOC only, no repeats
    closed = be.get("/api/v1/cases?status=closed").get_json()["items"]
    assert [c["case_id"] for c in closed] == [ids[0]]
    assert be.get("/api/v1/cases?status=nonsense").status_code == 422


def test_case_detail_and_tenancy(api, make_user, be, intake, db):
    _, number, _ = intake("BE")
    r = be.get(f"/api/v1/cases/{number}")
    assert r.status_code == 200
    body = r.get_json()
    assert body["registration_number"] == number and body["entities"][0]["kind"] == "person"
    db.rollback()
    assert db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "consultation",
                                                             AuditEntry.object_id == number)) == 1
    for role, country in (("officer", "NL"), ("supervisor", "NL"), ("secretariat", None), ("admin", None),
                          ("respondent", "BE"), ("trainer", "BE")):
        other = api(make_user(role, country))
        assert other.get(f"/api/v1/cases/{number}").status_code == 404, role
        if role not in ("officer", "supervisor"):  # NL staff register in their own SPOC
            assert other.post("/api/v1/cases/intake", json=make_payload()).status_code == 404, role
    assert api(make_user("dpo", "BE")).get(f"/api/v1/cases/{number}").status_code == 200


def test_closed_case_needs_a_justification(be, intake, work):
    case_id, number, _ = intake("BE")
    work(case_id, lambda s, c: setattr(c, "status", "closed"))
    r = be.get(f"/api/v1/cases/{number}")
    # without a reason: the record and its exchanges, none of the personal data
    body = r.get_json()
    assert r.status_code == 200 and body["personal_data_withheld"] is True
    assert (body["subject"], body["entities"], body["messages"], body["references"]) == ("", [], [], [])
    assert body["exchanges"][0]["id"] == f"{number}/1"
    full = be.get(f"/api/v1/cases/{number}?justification=Court+order+42").get_json()
    assert full["personal_data_withheld"] is False and full["entities"] and full["subject"]


def test_art18_endpoint(be, api, make_user, intake):
    intake("BE", received_at="2026-02-02T10:00:00+00:00", urgent=True, urgency_ground="loss_of_relevance",
           information_access="indirect", counterpart_country="FR")
    r = be.get("/api/v1/statistics/art18?year=2026")
    assert r.status_code == 200
    body = r.get_json()
    assert body["requests_received"]["urgent"] == 1
    assert body["requests_received"]["by_country"] == {"FR": {"urgent": 1, "non_urgent": 0}}
    assert be.get("/api/v1/statistics/art18").status_code == 422
    assert api(make_user("secretariat")).get("/api/v1/statistics/art18?year=2026").status_code == 404


def test_openapi_documents_the_intake_with_an_example(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    op = doc["paths"]["/api/v1/cases/intake"]["post"]
    example = op["requestBody"]["content"]["application/json"]["example"]
    assert example["channel"] == "SIENA" and example["entities"][0]["kind"] == "person"
    assert {"200", "201", "422", "404"} <= set(op["responses"])
    schema = doc["components"]["schemas"]["IntakePayload"]
    assert "channel_reason" in schema["properties"]
    assert "/api/v1/cases/{registration_number}" in doc["paths"] and "/api/v1/statistics/art18" in doc["paths"]


def test_api_intake_lets_sqlite_start_its_log_over(app, be):
    """The API reads (token, settings) on a second session before it writes. If that session kept its
    snapshot during the write, SQLite could never start its write-ahead log over: the log would grow
    without end and every commit would try a checkpoint and sync the disk (bench/intake.py lost a
    third of its throughput to that)."""
    import sqlite3
    from pathlib import Path

    url = app.config["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        pytest.skip("a property of SQLite's write-ahead log")
    path = Path(url.removeprefix("sqlite:///"))
    app.extensions["spoc_db"].dispose()  # no pooled connection holds a snapshot
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for k in range(80):
        r = be.post("/api/v1/cases/intake", json=make_payload(external_reference=f"SIENA-WAL-{k:03d}"))
        assert r.status_code == 201, r.get_json()
    # 80 intakes write some 2,700 pages; the log starts over after each checkpoint of 1,000 pages
    assert path.with_name(path.name + "-wal").stat().st_size < 1_200 * 4096


@pytest.mark.parametrize(("query", "field"), [
    ("after=99999999999999999999999", "after"),  # past the database's integer
    ("after=" + "9" * 5000, "after"),
    ("after=abc", "after"),
    ("after=%C2%B2", "after"),  # a digit to str.isdigit, not to int()
    ("limit=" + "9" * 5000, "limit"),
    ("limit=0", "limit"),
])
def test_bad_paging_input_is_a_422_naming_the_parameter(be, query, field):
    r = be.get("/api/v1/cases?" + query)
    assert r.status_code == 422 and field in r.get_json()["error"]["fields"]


def test_a_year_of_5000_digits_is_a_422(be):
    r = be.get("/api/v1/statistics/art18?year=" + "2" * 5000)
    assert r.status_code == 422 and "year" in r.get_json()["error"]["fields"]


def test_json_nested_1000_deep_is_a_422(be, db):
    before = db.scalar(select(func.count(Case.id)))
    body = '{"subject": ' + "[" * 1000 + "]" * 1000 + "}"
    r = be.post("/api/v1/cases/intake", data=body, content_type="application/json")
    assert r.status_code == 422 and "body" in r.get_json()["error"]["fields"]
    assert db.scalar(select(func.count(Case.id))) == before


def test_a_list_of_closed_cases_does_not_show_their_subjects(be, intake, work, login_as):
    case_id, number, _ = intake("BE", subject="Kowalski Jan, wanted")
    work(case_id, lambda s, c: setattr(c, "status", "closed"))
    listed = be.get("/api/v1/cases?status=closed").get_json()["items"]
    assert [c["registration_number"] for c in listed] == [number] and listed[0]["subject"] == ""
    page = login_as("officer", "BE")[0].get("/cases/?status=closed").get_data(as_text=True)
    assert number in page and "Kowalski" not in page
    body = be.get(f"/api/v1/cases/{number}?justification=Court+order+42").get_json()
    assert body["subject"] == "Kowalski Jan, wanted"  # read with a justification, and logged
