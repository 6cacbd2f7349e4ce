"""One intake path (issue 16, point 10): the web form, the API and `spoc cases import` register the same
message into the same rows (case, exchange, message, entities)."""

from __future__ import annotations

import json

from sqlalchemy import select

from casemgmt.models import Case, Document, Exchange, ExternalReference, Message, Person, Phone, Vehicle

RECEIVED = "2026-03-02T08:15:00+00:00"  # 09:15 in Brussels, as typed in the form
MESSAGE = {"channel": "SIENA", "direction": "in", "type": "request", "received_at": RECEIVED, "urgent": True,
           "urgency_ground": "life_or_physical_integrity", "information_access": "direct",
           "counterpart_country": "DE", "counterpart_type": "spoc", "language": "de",
           "subject": "Identity of a driver", "body": "Please identify the driver.",
           "crime_category": "kidnapping or hostage-taking",
           "entities": [{"kind": "person", "surname": "Keller", "given_names": "Jonas", "date_of_birth": "1984-05",
                         "category": "suspect"},
                        {"kind": "vehicle", "plate": "B-XY-123", "country": "DE"},
                        {"kind": "phone", "number": "+49 170 1234567"}]}
SKIP = {"id", "case_id", "registration_number", "sequence", "created_at", "updated_at", "external_reference",
        "raw", "message_id", "person_id", "exchange_id", "created_by_id"}


def _row(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in SKIP}


def _import(app, officer, tmp_path, message: dict) -> None:
    path = tmp_path / "messages.json"
    path.write_text(json.dumps([message]))
    result = app.test_cli_runner().invoke(args=["cases", "import", str(path), "--country", "BE", "--user",
                                                officer.email])
    assert result.exit_code == 0, result.output


def _rows(db, case: Case) -> dict:
    return {"case": _row(case),
            "exchanges": [_row(e) for e in db.scalars(select(Exchange).where(Exchange.case_id == case.id))],
            "messages": [_row(m) for m in db.scalars(select(Message).where(Message.case_id == case.id))],
            "entities": [_row(e) for model in (Person, Vehicle, Phone)
                         for e in db.scalars(select(model).where(model.case_id == case.id))]}


def test_form_api_and_importer_register_the_same_rows(app, login_as, api, make_user, tmp_path, db):
    officer = make_user("officer", "BE")
    form, _ = login_as("officer", "BE")
    r = form.post_form("/cases/new", {
        "channel": "SIENA", "direction": "in", "type": "request", "received_at": "2026-03-02T09:15",
        "external_reference": "REF-FORM", "counterpart_country": "DE", "counterpart_type": "spoc", "language": "de",
        "urgent": "y", "urgency_ground": "life_or_physical_integrity", "information_access": "direct",
        "subject": MESSAGE["subject"], "body": MESSAGE["body"], "crime_category": MESSAGE["crime_category"],
        "person_surname": "Keller", "person_given_names": "Jonas", "person_date_of_birth": "1984-05",
        "person_category": "suspect", "vehicles": "B-XY-123, DE", "phones": "+49 170 1234567"})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    assert api(officer).post("/api/v1/cases/intake", json={**MESSAGE, "external_reference": "REF-API"}).status_code == 201
    _import(app, officer, tmp_path, {**MESSAGE, "external_reference": "REF-IMPORT"})
    db.rollback()
    cases = list(db.scalars(select(Case).order_by(Case.id)))
    assert len(cases) == 3
    by_form, by_api, by_import = (_rows(db, c) for c in cases)
    assert by_form["exchanges"][0]["legal_framework"] == "2023/977" and len(by_form["entities"]) == 3
    for key in ("case", "exchanges", "messages", "entities"):
        assert by_api[key] == by_import[key], key
        assert by_form[key] == by_api[key], key


def test_an_api_intake_links_its_rows_as_the_importer_does(app, api, make_user, tmp_path, db):
    """A person with documents, a document of its own, two references quoted: every row points at the
    case, its message and (a person's document) the person; on PostgreSQL the API writes them in one
    statement (casemgmt.services.intake_rows.insert_new_case_pg), the importer as it always did."""
    officer = make_user("officer", "BE")
    message = {**MESSAGE, "entities": [
        {"kind": "person", "surname": "Keller", "given_names": "Jonas", "date_of_birth": "1984-05",
         "documents": [{"type": "passport", "number": "C01X00T47", "country": "DE"},
                       {"type": "id_card", "number": "L01X00T47", "country": "DE"}]},
        {"kind": "document", "type": "driving_licence", "number": "B072RRE2I55", "country": "DE"},
        {"kind": "person", "surname": "Weber", "given_names": "Anna",
         "documents": [{"type": "passport", "number": "C22X00T99", "country": "DE"}]},
        {"kind": "vehicle", "plate": "B-XY-123", "country": "DE"}]}
    r = api(officer).post("/api/v1/cases/intake", json={
        **message, "external_reference": "REF-API-2", "external_references": [
            {"channel": "SIRENE", "reference": "DE-SIR-1"}, {"channel": "INTERPOL", "reference": "IP-77"}]})
    assert r.status_code == 201, r.get_json()
    _import(app, officer, tmp_path, {**message, "external_reference": "REF-IMPORT-2"})
    db.rollback()
    by_api, by_import = db.scalars(select(Case).order_by(Case.id)).all()
    assert by_api.registration_number == r.get_json()["registration_number"]

    def linked(case: Case) -> dict:
        message_ = db.scalar(select(Message).where(Message.case_id == case.id))
        exchange = db.scalar(select(Exchange).where(Exchange.case_id == case.id))
        persons = {p.id: p.surname for p in db.scalars(select(Person).where(Person.case_id == case.id))}
        documents = db.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.id)).all()
        vehicle = db.scalar(select(Vehicle).where(Vehicle.case_id == case.id))
        assert message_.exchange_id == exchange.id
        assert {d.message_id for d in documents} | {vehicle.message_id} == {message_.id}
        return {"documents": [(d.number, persons.get(d.person_id)) for d in documents],
                "references": sorted(db.execute(select(ExternalReference.channel, ExternalReference.reference)
                                                .where(ExternalReference.case_id == case.id)).all()),
                **_rows(db, case)}

    mine, theirs = linked(by_api), linked(by_import)
    assert mine["documents"] == [("C01X00T47", "Keller"), ("L01X00T47", "Keller"), ("B072RRE2I55", None),
                                 ("C22X00T99", "Weber")]
    assert mine["references"] == [("INTERPOL", "IP-77"), ("SIENA", "REF-API-2"), ("SIRENE", "DE-SIR-1")]
    assert theirs["references"] == [("SIENA", "REF-IMPORT-2")]
    for key in ("case", "exchanges", "messages", "entities", "documents"):
        assert mine[key] == theirs[key], key
