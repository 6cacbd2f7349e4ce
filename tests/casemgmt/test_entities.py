"""A case's persons and objects after intake, through the service: add, edit a person, flag;
each change logged as an alteration without the values, refused on a closed case, followed by
the cross-check, and flagged data left out of what is passed on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casemgmt.crosscheck.models import CrossCheckHit, CrossCheckRun, IndexedSubject
from casemgmt.models import Case, NationalAuthority, Person, Phone
from casemgmt.services import CaseError, outgoing
from casemgmt.services import entities as service
from casemgmt.services.workflow import apply
from portal.audit import AuditEntry

STRANGER = [{"kind": "phone", "number": "+32 470 00 00 01"}]


def _alterations(db, number: str) -> list[AuditEntry]:
    db.rollback()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.object_id == number,
                                                    AuditEntry.action == "alteration").order_by(AuditEntry.seq)))


def test_a_person_added_after_intake_is_logged_and_found_by_a_later_cross_check(intake, work, officer, db):
    case_id, number, _ = intake("BE", officer, entities=STRANGER)
    rows = work(case_id, lambda s, c: service.add_entity(
        s, c, officer, {"kind": "person", "surname": "Szczepański", "given_names": "Wojciech",
                        "date_of_birth": "1979-11", "nationality": "pl", "category": "witness",
                        "documents": [{"type": "passport", "number": "ZS 7654321", "country": "PL"}]},
        "Named in the follow-up message"))
    assert [r.kind for r in rows] == ["person", "document"]
    db.rollback()
    person = db.scalar(select(Person).where(Person.case_id == case_id))
    assert (person.nationality, person.date_of_birth_text, person.category, person.message_id) == (
        "PL", "1979-11", "witness", None)
    entry = _alterations(db, number)[-1]
    assert entry.actor_email == officer.email and entry.justification == "Named in the follow-up message"
    assert entry.details["entity"] == f"person:{person.id}" and "surname" in entry.details["fields"]
    assert "Szczepa" not in str(entry.details)  # names of fields, never the values
    later_id, _, _ = intake("BE", officer, entities=[{"kind": "person", "surname": "Szczepanski",
                                                      "given_names": "Wojciech", "date_of_birth": "1979-11-02"}])
    db.rollback()
    hits = db.scalars(select(CrossCheckHit).where(CrossCheckHit.case_id == later_id)).all()
    assert [h.matched_case_id for h in hits] == [case_id]
    rerun = db.scalar(select(CrossCheckRun).where(CrossCheckRun.case_id == case_id).order_by(CrossCheckRun.id.desc()))
    assert rerun.trigger == "edit" and rerun.status == "done"


def test_hits_an_officers_edit_finds_are_not_marked_as_from_new_reference_data(intake, work, officer, db):
    """The "new since a data set was loaded" marker (casemgmt.crosscheck.rerun) is for re-runs after a
    load; a person an officer adds is checked at once, as at intake, and not marked."""
    first_id, _, _ = intake("BE", officer)  # Kowalski, Jan, 1980-04-03, PL
    second_id, _, _ = intake("BE", officer, entities=[{"kind": "person", "surname": "Dubois", "given_names": "Marc"}])
    work(second_id, lambda s, c: service.add_entity(
        s, c, officer, {"kind": "person", "surname": "Kowalski", "given_names": "Jan", "date_of_birth": "1980-04-03",
                        "nationality": "PL"}, "Named in the follow-up message"))
    db.rollback()
    hits = db.scalars(select(CrossCheckHit).where(CrossCheckHit.case_id == second_id)).all()
    assert [h.matched_case_id for h in hits] == [first_id] and hits[0].new_data_at is None


def test_a_renamed_person_is_found_under_the_new_name_only(intake, work, officer, db):
    case_id, number, _ = intake("BE", officer)  # Kowalski, Jan, 1980-04-03, PL
    person_id = db.scalar(select(Person.id).where(Person.case_id == case_id))
    changed = work(case_id, lambda s, c: service.edit_person(
        s, c, officer, person_id, {"surname": "Nowakowski", "date_of_birth": "1980", "category": "suspect",
                                   "assessment": True}, "Identity corrected by the requester"))
    assert changed == ["surname", "date_of_birth", "category", "assessment"]
    entry = _alterations(db, number)[-1]
    assert entry.details["fields"] == changed and "Nowakowski" not in str(entry.details)
    assert entry.justification == "Identity corrected by the requester"
    refs = db.scalars(select(IndexedSubject.display).where(IndexedSubject.case_id == case_id)).all()
    assert any("NOWAKOWSKI" in d for d in refs) and not any("KOWALSKI" in d for d in refs)
    later_id, _, _ = intake("BE", officer, entities=[{"kind": "person", "surname": "Nowakowski",
                                                      "given_names": "Jan", "date_of_birth": "1980-04-03"}])
    db.rollback()
    assert db.scalars(select(CrossCheckHit.matched_case_id).where(CrossCheckHit.case_id == later_id)).all() == [case_id]


@pytest.mark.parametrize(("data", "field"), [
    ({"kind": "person", "surname": ""}, "surname"),
    ({"kind": "person", "surname": "X", "date_of_birth": "1980-02-30"}, "date_of_birth"),
    ({"kind": "vehicle", "plate": "", "vin": ""}, "body"),
    ({"kind": "phone", "number": "call me"}, "number"),
    ({"kind": "email", "address": "nobody"}, "address"),
    ({"kind": "spaceship"}, "body"),
])
def test_bad_values_change_nothing(intake, work, officer, db, data, field):
    case_id, number, _ = intake("BE", officer)
    before = len(_alterations(db, number))
    with pytest.raises(service.EntityInputError) as exc:
        work(case_id, lambda s, c: service.add_entity(s, c, officer, data, "because"))
    assert field in exc.value.errors
    assert len(_alterations(db, number)) == before


def test_a_change_needs_a_justification_and_an_open_case(intake, work, officer, db):
    case_id, _, _ = intake("BE", officer)
    with pytest.raises(CaseError, match="Say why"):
        work(case_id, lambda s, c: service.add_entity(s, c, officer, {"kind": "phone", "number": "+3247"}, " "))
    person_id = db.scalar(select(Person.id).where(Person.case_id == case_id))
    work(case_id, lambda s, c: apply(s, c, "close", officer, outcome="no_information"))
    for change in (lambda s, c: service.add_entity(s, c, officer, {"kind": "phone", "number": "+3247"}, "x"),
                   lambda s, c: service.edit_person(s, c, officer, person_id, {"surname": "Y"}, "x"),
                   lambda s, c: service.flag_entity(s, c, officer, "person", person_id, True, "x")):
        with pytest.raises(CaseError, match="closed"):
            work(case_id, change)
    db.rollback()
    assert db.get(Person, person_id).surname == "Kowalski" and not db.get(Person, person_id).flagged_inaccurate


def test_flagged_data_are_left_out_of_what_is_passed_on(app, intake, work, officer, db):
    case_id, number, _ = intake("BE", officer, entities=[
        {"kind": "person", "surname": "Kowalski", "given_names": "Jan",
         "documents": [{"type": "passport", "number": "ZS 1234567", "country": "PL"}]},
        {"kind": "phone", "number": "+32 470 11 22 33"}])
    person_id = db.scalar(select(Person.id).where(Person.case_id == case_id))
    phone_id = db.scalar(select(Phone.id).where(Phone.case_id == case_id))
    work(case_id, lambda s, c: service.flag_entity(s, c, officer, "phone", phone_id, True, "Number given up in 2025"))
    rows = work(case_id, lambda s, c: outgoing.export_case_rows(s, c, officer, "Court order"))
    assert [r[1] for r in rows if r[0] == "entity"] == ["person", "document"]
    db.rollback()
    export = db.scalar(select(AuditEntry).where(AuditEntry.object_id == number, AuditEntry.action == "disclosure"))
    assert export.details["excluded_inaccurate"] == 1
    phone = db.get(Phone, phone_id)
    assert phone.flagged_inaccurate and phone.flag_reason == "Number given up in 2025" and phone.flagged_at
    with pytest.raises(CaseError, match="flagged already"):
        work(case_id, lambda s, c: service.flag_entity(s, c, officer, "phone", phone_id, True, "again"))
    work(case_id, lambda s, c: service.flag_entity(s, c, officer, "person", person_id, True, "Wrong identity"))
    rows = work(case_id, lambda s, c: outgoing.export_case_rows(s, c, officer, "Court order"))
    assert [r for r in rows if r[0] == "entity"] == []  # the person, its passport and the phone: all flagged
    with app.extensions["spoc_db"].unit_of_work() as s:
        authority = NationalAuthority(country_code="BE", name="Federal Police", email="", kind="police")
        s.add(authority)
        s.flush()
        authority_id = authority.id
    for action in ("evaluate", "cross_check"):
        work(case_id, lambda s, c, a=action: apply(s, c, a, officer))
    work(case_id, lambda s, c: outgoing.disseminate(s, c, officer, authority_id=authority_id, summary="What we know",
                                                    handling_code="H0", justification="Investigation"))
    db.rollback()
    entry = db.scalar(select(AuditEntry).where(AuditEntry.object_id == number, AuditEntry.action == "disclosure")
                      .order_by(AuditEntry.seq.desc()).limit(1))
    assert entry.details["flagged_data_in_case"] is True
    unflag = work(case_id, lambda s, c: service.flag_entity(s, c, officer, "phone", phone_id, False, "Still in use"))
    assert not unflag.flagged_inaccurate and unflag.flag_reason == ""
    assert [e.details["what"] for e in _alterations(db, number)][-1] == f"phone #{phone_id} flag removed"


def test_another_case_s_entity_is_not_this_case_s(intake, work, officer, db):
    other_id, _, _ = intake("BE", officer)
    case_id, _, _ = intake("BE", officer)
    other_person = db.scalar(select(Person.id).where(Person.case_id == other_id))
    with pytest.raises(CaseError, match="no such person"):
        work(case_id, lambda s, c: service.flag_entity(s, c, officer, "person", other_person, True, "x"))
    assert work(case_id, lambda s, c: service.entity_of(s, c, "spaceship", 1)) is None
    assert db.get(Case, case_id).is_open
