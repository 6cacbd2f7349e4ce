"""`spoc cases import FILE.json|FILE.csv --country CC`: progress, a report of rejected rows, none half-saved."""

from __future__ import annotations

import csv
import json

from sqlalchemy import func, select

from casemgmt.models import Case, Message, Person
from portal.audit import AuditEntry
from tests.casemgmt.conftest import make_payload


def run(app, *args):
    return app.test_cli_runner().invoke(args=["cases", "import", *map(str, args)])


def test_json_import_reports_rejected_rows_and_saves_the_rest(app, tmp_path, db, make_user):
    officer = make_user("officer", "BE")
    good = make_payload(external_reference="IMP-1")
    rows = [good,
            make_payload(external_reference="IMP-2", entities=[{"kind": "person", "surname": "Ok"},
                                                               {"kind": "spaceship"}]),
            make_payload(external_reference="IMP-3", channel="BILATERAL"),
            dict(good, received_at="2026-01-01T00:00:00+00:00"),  # an exact repeat: recognised
            make_payload(external_reference="IMP-5", entities=[{"kind": "person", "surname": "Nowak"}])]
    path = tmp_path / "messages.json"
    path.write_text(json.dumps(rows))
    result = run(app, path, "--country", "BE", "--user", officer.email)
    assert result.exit_code == 1, result.output
    assert "2 cases registered, 1 messages attached to known cases, 2 rows rejected." in result.output
    assert "row 2 rejected: entities.1: kind must be one of" in result.output
    assert "row 3 rejected: channel_reason: A channel other than SIENA needs an Art. 13 reason." in result.output
    assert "row 4: attached to BE-" in result.output
    db.rollback()
    assert db.scalar(select(func.count(Case.id))) == 2
    assert db.scalar(select(func.count(Message.id))) == 3
    # nothing of row 2; the exact repeat (row 4) is the same message: its entities are not added twice
    assert sorted(db.scalars(select(Person.surname))) == ["Kowalski", "Nowak"]
    assert db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "collection")) == 3
    assert db.scalar(select(AuditEntry.actor_email).where(AuditEntry.action == "collection").limit(1)) == officer.email


def test_csv_import(app, tmp_path, db):
    path = tmp_path / "messages.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["channel", "channel_reason", "external_reference", "external_references", "received_at",
                         "urgent", "urgency_ground", "information_access", "counterpart_country", "subject",
                         "person_surname", "person_date_of_birth", "vehicle_plate", "vehicle_country", "phone"])
        writer.writerow(["SIENA", "", "CSV-1", "", "2026-04-01T08:00:00+02:00", "yes", "loss_of_relevance", "direct",
                         "FR", "Urgent check", "Martin", "1975", "AB-123-CD", "FR", "+33 6 12 34 56 78"])
        writer.writerow(["PCCC", "urgency", "PCCC-7", "SIENA:CSV-1", "2026-04-01T09:00:00+02:00", "no", "", "",
                         "FR", "Same matter via the PCCC", "", "", "", "", ""])
        writer.writerow(["SIENA", "", "CSV-3", "", "tomorrow", "no", "", "", "FR", "Bad time", "", "", "", "", ""])
    result = run(app, path, "--country", "be")
    assert result.exit_code == 1
    # the PCCC request quoting CSV-1 is its own case, with the first suggested as a possible duplicate
    assert "2 cases registered, 0 messages attached to known cases, 1 rows rejected." in result.output
    assert "row 3 rejected: received_at:" in result.output
    db.rollback()
    case = db.scalar(select(Case).order_by(Case.id))
    second = db.scalar(select(Case).order_by(Case.id.desc()))
    assert second.exchanges[0].possible_duplicates[0]["registration_number"] == case.registration_number
    assert (case.urgent, case.limit_hours, case.counterpart_country) == (True, 8, "FR")
    person = db.scalar(select(Person))
    assert (person.surname, person.date_of_birth_precision, person.raw["date_of_birth"]) == ("Martin", "year", "1975")


def test_unreadable_file_and_unknown_country(app, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json")
    result = run(app, bad, "--country", "BE")
    assert result.exit_code != 0 and "not valid JSON" in result.output
    ok = tmp_path / "y.json"
    ok.write_text("[]")
    assert "unknown country" in run(app, ok, "--country", "XX").output
    txt = tmp_path / "z.txt"
    txt.write_text("hello")
    assert "Give a .json or .csv file." in run(app, txt, "--country", "BE").output


def test_all_good_exits_zero(app, tmp_path):
    path = tmp_path / "ok.json"
    path.write_text(json.dumps({"messages": [make_payload(), make_payload()]}))
    result = run(app, path, "--country", "BE")
    assert result.exit_code == 0 and "2 cases registered" in result.output
