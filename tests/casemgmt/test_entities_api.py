"""The JSON API of a case's persons and objects: POST .../entities, PATCH .../entities/<kind>/<id>."""

from __future__ import annotations

from sqlalchemy import select

from casemgmt.models import Person
from casemgmt.services.workflow import apply
from portal.audit import AuditEntry


def test_add_edit_and_flag_through_the_api(api, make_user, intake, db):
    officer = make_user("officer", "BE")
    client = api(officer)
    case_id, number, _ = intake("BE", officer)
    r = client.post(f"/api/v1/cases/{number}/entities", json={
        "entity": {"kind": "person", "surname": "Peeters", "category": "witness",
                   "documents": [{"type": "id_card", "number": "591-1234567-89", "country": "BE"}]},
        "justification": "Named by the requester"})
    assert r.status_code == 201, r.get_json()
    added = r.get_json()["entities"]
    assert [e["kind"] for e in added] == ["person", "document"] and added[0]["flagged_inaccurate"] is False
    person_id = added[0]["id"]
    r = client.patch(f"/api/v1/cases/{number}/entities/person/{person_id}", json={
        "person": {"given_names": "Lotte", "date_of_birth": "1991"}, "justification": "Birth year confirmed",
        "flag": {"inaccurate": True, "reason": "Address outdated"}})
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"kind": "person", "id": person_id, "label": "PEETERS, Lotte · born 1991",
                            "flagged_inaccurate": True, "flag_reason": "Address outdated"}
    detail = client.get(f"/api/v1/cases/{number}").get_json()
    assert {"kind": "person", "id": person_id, "label": "PEETERS, Lotte · born 1991", "flagged_inaccurate": True,
            "flag_reason": "Address outdated"} in detail["entities"]
    db.rollback()
    whats = [e.details["what"] for e in db.scalars(select(AuditEntry).where(
        AuditEntry.object_id == number, AuditEntry.action == "alteration").order_by(AuditEntry.seq))]
    assert whats[-2:] == [f"person #{person_id} edited: given_names, date_of_birth",
                          f"person #{person_id} flagged inaccurate or out of date"]


def test_bad_input_is_422_naming_the_field_and_changes_nothing(api, make_user, intake, db):
    officer = make_user("officer", "BE")
    client = api(officer)
    case_id, number, _ = intake("BE", officer)
    person_id = db.scalar(select(Person.id).where(Person.case_id == case_id))
    r = client.post(f"/api/v1/cases/{number}/entities", json={"entity": {"kind": "phone", "number": "x"},
                                                             "justification": "j"})
    assert r.status_code == 422 and "entity.phone.number" in r.get_json()["error"]["fields"]
    r = client.patch(f"/api/v1/cases/{number}/entities/person/{person_id}",
                     json={"person": {"nationality": "Poland"}, "justification": "j"})
    assert r.status_code == 422 and "person.nationality" in r.get_json()["error"]["fields"]
    r = client.patch(f"/api/v1/cases/{number}/entities/person/{person_id}", json={"person": {"surname": "New"}})
    assert r.status_code == 422 and "justification" in r.get_json()["error"]["fields"]
    r = client.patch(f"/api/v1/cases/{number}/entities/person/{person_id}", json={"justification": "j"})
    assert r.status_code == 422
    r = client.patch(f"/api/v1/cases/{number}/entities/person/{person_id}",
                     json={"person": {"surname": "Kowalski"}, "justification": "j"})
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"person.surname"}  # nothing changed
    r = client.patch(f"/api/v1/cases/{number}/entities/person/{person_id}",
                     json={"flag": {"inaccurate": True, "reason": " "}})
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"flag.reason"}
    db.rollback()
    assert db.get(Person, person_id).surname == "Kowalski" and db.get(Person, person_id).nationality == "PL"
    assert not db.get(Person, person_id).flagged_inaccurate
    # the person sent back as it is, with a flag: the flag is set, the unchanged person is no error
    r = client.patch(f"/api/v1/cases/{number}/entities/person/{person_id}", json={
        "person": {"surname": "Kowalski", "given_names": "Jan"}, "justification": "j",
        "flag": {"inaccurate": True, "reason": "Identity usurped"}})
    assert r.status_code == 200 and r.get_json()["flag_reason"] == "Identity usurped", r.get_json()


def test_other_countries_and_readers_get_404_and_a_closed_case_409(api, make_user, intake, work, db):
    officer = make_user("officer", "BE")
    case_id, number, _ = intake("BE", officer)
    person_id = db.scalar(select(Person.id).where(Person.case_id == case_id))
    body = {"entity": {"kind": "email", "address": "a@b.example"}, "justification": "j"}
    patch = {"flag": {"inaccurate": True, "reason": "r"}}
    for user in (make_user("officer", "NL"), make_user("dpo", "BE"), make_user("secretariat")):
        client = api(user)
        assert client.post(f"/api/v1/cases/{number}/entities", json=body).status_code == 404
        assert client.patch(f"/api/v1/cases/{number}/entities/person/{person_id}", json=patch).status_code == 404
    client = api(officer)
    assert client.patch(f"/api/v1/cases/{number}/entities/vehicle/{person_id}", json=patch).status_code == 404
    assert client.patch(f"/api/v1/cases/{number}/entities/spaceship/1", json=patch).status_code == 404
    work(case_id, lambda s, c: apply(s, c, "close", officer, outcome="no_information"))
    r = client.post(f"/api/v1/cases/{number}/entities", json=body)
    assert r.status_code == 409 and "closed" in r.get_json()["error"]["message"]
    assert client.patch(f"/api/v1/cases/{number}/entities/person/{person_id}", json=patch).status_code == 409
    db.rollback()
    assert not db.get(Person, person_id).flagged_inaccurate


def test_the_document_describes_both_operations():
    from portal.api import openapi_document

    paths = openapi_document()["paths"]
    post = paths["/api/v1/cases/{registration_number}/entities"]["post"]
    patch = paths["/api/v1/cases/{registration_number}/entities/{kind}/{entity_id}"]["patch"]
    assert set(post["responses"]) == {"201", "401", "404", "409", "422"}
    assert set(patch["responses"]) == {"200", "401", "404", "409", "422"}
