"""The persons and objects of a case on its page: add, edit a person, flag with a reason; errors
beside the field and nothing changed; 404 for the wrong user; a closed case refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casemgmt.models import Person, Vehicle
from casemgmt.services.workflow import apply
from portal.audit import AuditEntry


def _person_id(db, case_id: int) -> int:
    db.rollback()
    return db.scalar(select(Person.id).where(Person.case_id == case_id))


def test_an_officer_adds_a_vehicle_and_sees_it_on_the_case_page(login_as, intake, db):
    case_id, number, _ = intake("BE")
    client, officer = login_as("officer", "BE")
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "Add a person or object" in page and 'name="en-kind"' in page
    r = client.post_form(f"/cases/{number}/entities", {"en-kind": "vehicle", "en-plate": "1-XYZ-987",
                                                      "en-country": "be", "en-surname": "ignored",
                                                      "en-justification": "Seen by the patrol"})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "1-XYZ-987 (BE)" in page and "Added to the case" in page
    db.rollback()
    assert db.scalar(select(func.count(Person.id)).where(Person.case_id == case_id)) == 1
    entry = db.scalar(select(AuditEntry).where(AuditEntry.object_id == number, AuditEntry.action == "alteration"))
    assert entry.actor_email == officer.email and entry.justification == "Seen by the patrol"
    assert entry.details["what"].startswith("vehicle #") and "1-XYZ" not in str(entry.details)


def test_bad_input_shows_the_message_beside_the_field_and_changes_nothing(login_as, intake, db):
    case_id, number, _ = intake("BE")
    client, _ = login_as("officer", "BE")
    r = client.post_form(f"/cases/{number}/entities", {"en-kind": "vehicle", "en-justification": "x"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="en-plate-error"' in page and "a plate or a VIN" in page
    r = client.post_form(f"/cases/{number}/entities", {"en-kind": "person", "en-surname": "Doe",
                                                      "en-date_of_birth": "1990-13-01", "en-nationality": "X1",
                                                      "en-justification": ""})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="en-justification-error"' in page
    r = client.post_form(f"/cases/{number}/entities", {"en-kind": "person", "en-surname": "Doe",
                                                      "en-date_of_birth": "1990-13-01", "en-nationality": "X1",
                                                      "en-justification": "x"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="en-date_of_birth-error"' in page and 'id="en-nationality-error"' in page
    assert 'value="Doe"' in page  # what was typed is kept
    db.rollback()
    assert db.scalar(select(func.count(Vehicle.id)).where(Vehicle.case_id == case_id)) == 0
    assert db.scalar(select(func.count(Person.id)).where(Person.case_id == case_id)) == 1
    assert db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.object_id == number,
                                                             AuditEntry.action == "alteration")) == 0


def test_edit_a_person_on_its_page(login_as, intake, db):
    case_id, number, _ = intake("BE")
    person_id = _person_id(db, case_id)
    client, _ = login_as("supervisor", "BE")
    url = f"/cases/{number}/persons/{person_id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Kowalski"' in page and 'value="1980-04-03"' in page
    bad = client.post_form(url, {"pe-surname": "", "pe-date_of_birth": "1980-04", "pe-category": "victim",
                                 "pe-justification": "Corrected"})
    assert bad.status_code == 422 and 'id="pe-surname-error"' in bad.get_data(as_text=True)
    r = client.post_form(url, {"pe-surname": "Kowalska", "pe-given_names": "Joanna", "pe-date_of_birth": "1980-04",
                               "pe-nationality": "PL", "pe-category": "victim", "pe-assessment": "y",
                               "pe-justification": "Corrected by the requester"})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "KOWALSKA, Joanna · born 1980-04 · PL" in page and "victim (assessment)" in page
    assert (f"person #{person_id} edited: Surname, Given names, Date of birth, Data-subject category, Assessment"
            in page)  # the fields by their labels (casemgmt/log_text.py)
    db.rollback()
    person = db.get(Person, person_id)
    assert (person.date_of_birth_precision, person.category, person.assessment) == ("month", "victim", True)


def test_flag_and_unflag_with_a_reason(login_as, intake, db):
    case_id, number, _ = intake("BE")
    person_id = _person_id(db, case_id)
    client, _ = login_as("officer", "BE")
    url = f"/cases/{number}/entities/person/{person_id}/flag"
    prefix = f"fl-person-{person_id}"
    empty = client.post_form(url, {f"{prefix}-inaccurate": "1", f"{prefix}-reason": ""})
    assert empty.status_code == 422 and f'id="{prefix}-reason-error"' in empty.get_data(as_text=True)
    assert not db.get(Person, _person_id(db, case_id)).flagged_inaccurate
    r = client.post_form(url, {f"{prefix}-inaccurate": "1", f"{prefix}-reason": "Identity usurped"})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Flagged inaccurate or out of date: Identity usurped" in page and "remove the flag" in page
    r = client.post_form(url, {f"{prefix}-inaccurate": "0", f"{prefix}-reason": "Checked again: correct"})
    assert r.status_code == 302
    db.rollback()
    assert not db.get(Person, person_id).flagged_inaccurate
    whats = db.scalars(select(AuditEntry.details).where(AuditEntry.object_id == number,
                                                        AuditEntry.action == "alteration")).all()
    assert [w["what"] for w in whats] == [f"person #{person_id} flagged inaccurate or out of date",
                                          f"person #{person_id} flag removed"]


def test_a_closed_case_refuses_with_a_clear_message(login_as, intake, work, db):
    case_id, number, _ = intake("BE")
    person_id = _person_id(db, case_id)
    client, officer = login_as("officer", "BE")
    work(case_id, lambda s, c: apply(s, c, "close", officer, outcome="no_information"))
    assert client.post_form(f"/cases/{number}/open", {"justification": "Follow-up"}).status_code == 302
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "Add a person or object" not in page and "/flag" not in page
    r = client.post_form(f"/cases/{number}/entities", {"en-kind": "phone", "en-phone": "+32 2 123 45 67",
                                                      "en-justification": "x"})
    # back to the case's page, which says why (and, for a closed case, asks why it is opened)
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/cases/{number}")
    assert "This case is closed" in client.get(r.headers["Location"]).get_data(as_text=True)
    page = client.get(f"/cases/{number}/persons/{person_id}/edit").get_data(as_text=True)
    assert "This case is closed" in page and "Kowalski" not in page
    colleague, _ = login_as("officer", "BE")  # has given no reason to open the closed case
    r = colleague.post_form(f"/cases/{number}/entities/person/{person_id}/flag",
                            {f"fl-person-{person_id}-inaccurate": "1", f"fl-person-{person_id}-reason": "x"})
    assert r.status_code == 302
    page = colleague.get(r.headers["Location"]).get_data(as_text=True)
    assert "This case is closed" in page and "Kowalski" not in page and 'name="justification"' in page
    db.rollback()
    assert not db.get(Person, person_id).flagged_inaccurate


@pytest.mark.parametrize(("role", "country"), [("officer", "NL"), ("supervisor", "NL"), ("dpo", "BE"),
                                               ("head_of_spoc", "BE"), ("secretariat", None)])
def test_the_wrong_user_gets_404(login_as, intake, db, role, country):
    case_id, number, _ = intake("BE")
    person_id = _person_id(db, case_id)
    client, _ = login_as(role, country)
    assert client.get(f"/cases/{number}/persons/{person_id}/edit").status_code == 404
    for url in (f"/cases/{number}/entities", f"/cases/{number}/persons/{person_id}/edit",
                f"/cases/{number}/entities/person/{person_id}/flag"):
        assert client.post_form(url, {}).status_code == 404, url
    db.rollback()
    assert db.get(Person, person_id).surname == "Kowalski"


def test_an_unknown_kind_or_another_case_s_entity_is_404(login_as, intake, db):
    other_id, _, _ = intake("BE")
    _, number, _ = intake("BE")
    client, _ = login_as("officer", "BE")
    other_person = _person_id(db, other_id)
    assert client.post_form(f"/cases/{number}/entities/spaceship/1/flag", {}).status_code == 404
    assert client.post_form(f"/cases/{number}/entities/person/{other_person}/flag", {}).status_code == 404
    assert client.get(f"/cases/{number}/persons/{other_person}/edit").status_code == 404
