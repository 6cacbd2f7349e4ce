"""Reference data sets: `spoc crosscheck load` with a column mapping, the key index in the database."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from sqlalchemy import func, select

from casemgmt.crosscheck.index import SqlIndex
from casemgmt.crosscheck.matching import search
from casemgmt.crosscheck.models import IndexedSubject, MatchKey, ReferenceDataset
from casemgmt.crosscheck.reference import subject_from_row
from portal.audit import AuditEntry
from tests.casemgmt.crosscheck.conftest import provenance

PROV = provenance()

ROWS = [
    {"Nr": "A1", "Name": "Щербаков", "Vorname": "Дмитрий", "Geboren": "04.03.1975", "Land": "UA", "Pass": "EK 123456"},
    {"Nr": "A2", "Name": "Müller", "Vorname": "Jürgen", "Geboren": "1966", "Land": "DE", "Pass": ""},
    {"Nr": "A3", "Name": "Kowalski", "Vorname": "Jan", "Geboren": "31.02.1980", "Land": "PL", "Pass": ""},
    {"Nr": "A4", "Name": "Nowak", "Vorname": "Anna", "Geboren": "", "Land": "Poland", "Pass": ""},
]
MAP = "ref=Nr,surname=Name,given_names=Vorname,date_of_birth=Geboren,nationality=Land,document_number=Pass"


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "wanted.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(ROWS)
    return path


def query(surname, given, dob=""):
    row = {"surname": surname, "given_names": given, "date_of_birth": dob}
    return subject_from_row(row, {k: k for k in row}, ref="q", default_country="BE")


def test_load_maps_columns_skips_bad_rows_and_finds_people(app, db, csv_file):
    result = app.test_cli_runner().invoke(args=["crosscheck", "load", "wanted", str(csv_file), "--country", "BE",
                                                "--map", MAP, *PROV])
    assert result.exit_code == 0, result.output
    assert "Loaded 2 rows of wanted.csv as BE/wanted" in result.output
    assert "line 4: date_of_birth" in result.output and "line 5: nationality" in result.output
    ds = db.scalar(select(ReferenceDataset))
    assert (ds.country_code, ds.row_count, ds.rejected_count) == ("BE", 2, 2)
    stored = db.scalar(select(IndexedSubject).where(IndexedSubject.ref == "row:A1"))
    assert stored.raw["surname"] == "Щербаков"  # the raw value is kept beside the normalised forms
    assert "doc=EK123456:" in stored.identifiers
    hits = search(SqlIndex(db), "BE", query("Shcherbakov", "Dmitry", "1975-03-04"))
    assert [h.subject.ref for h in hits] == ["row:A1"] and hits[0].level == "strong"
    assert search(SqlIndex(db), "NL", query("Shcherbakov", "Dmitry", "1975-03-04")) == []
    assert db.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.object_type == "reference_dataset")) == 1


def test_a_second_load_needs_replace_and_replaces_the_index(app, db, csv_file):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["crosscheck", "load", "wanted", str(csv_file), "--country", "BE", "--map", MAP, *PROV]).exit_code == 0
    keys_before = db.scalar(select(func.count()).select_from(MatchKey))
    again = runner.invoke(args=["crosscheck", "load", "wanted", str(csv_file), "--country", "BE", "--map", MAP, *PROV])
    assert again.exit_code == 1 and "--replace" in again.output
    replaced = runner.invoke(args=["crosscheck", "load", "wanted", str(csv_file), "--country", "BE", "--map", MAP, *PROV,
                                   "--replace"])
    assert replaced.exit_code == 0, replaced.output
    db.rollback()
    assert db.scalar(select(func.count()).select_from(MatchKey)) == keys_before
    assert db.scalar(select(func.count()).select_from(IndexedSubject)) == 2
    listed = runner.invoke(args=["crosscheck", "list", "--country", "BE"])
    assert "wanted" in listed.output and "2 rows" in listed.output
    deleted = runner.invoke(args=["crosscheck", "delete", "wanted", "--country", "BE"])
    assert deleted.exit_code == 0
    db.rollback()
    assert db.scalar(select(func.count()).select_from(MatchKey)) == 0


@pytest.mark.parametrize("args, message", [
    (["--map", "surname=Nom"], "no column 'Nom'"),
    (["--map", "colour=Name"], "unknown field 'colour'"),
    (["--map", "surname"], "not FIELD=COLUMN"),
    (["--map", MAP, "--strict"], "line 4: date_of_birth"),
])
def test_bad_mappings_and_strict_loads_change_nothing(app, db, csv_file, args, message):
    result = app.test_cli_runner().invoke(args=["crosscheck", "load", "wanted", str(csv_file), "--country", "BE", *PROV, *args])
    assert result.exit_code != 0 and message in result.output
    assert db.scalar(select(func.count()).select_from(IndexedSubject)) == 0
    assert db.scalar(select(func.count()).select_from(ReferenceDataset)) == 0


def test_unknown_country_is_refused(app, csv_file):
    result = app.test_cli_runner().invoke(args=["crosscheck", "load", "x", str(csv_file), "--country", "XX", "--map", MAP, *PROV])
    assert result.exit_code == 2 and "--country" in result.output


def test_search_command_prints_hits_with_reasons(app, csv_file):
    runner = app.test_cli_runner()
    runner.invoke(args=["crosscheck", "load", "wanted", str(csv_file), "--country", "BE", "--map", MAP, *PROV])
    out = runner.invoke(args=["crosscheck", "search", "--country", "BE", "--surname", "Mueller",
                              "--given-names", "Juergen", "--date-of-birth", "1966"]).output
    assert "MÜLLER, Jürgen" in out and "names agree" in out


def _log(db, object_type: str) -> list[AuditEntry]:
    db.rollback()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.object_type == object_type).order_by(AuditEntry.seq)))


def test_a_load_asks_for_the_legal_basis_owner_extract_refresh_and_expiry(app, db, csv_file):
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["crosscheck", "load", "wanted", str(csv_file), "--country", "BE", "--map", MAP])
    assert missing.exit_code == 2 and "--legal-basis" in missing.output
    expired = runner.invoke(args=["crosscheck", "load", "wanted", str(csv_file), "--country", "BE", "--map", MAP,
                                  *provenance(expires=dt.date.today() - dt.timedelta(days=1))])
    assert expired.exit_code == 1 and "--expires: the extract expired" in expired.output
    assert db.scalar(select(func.count()).select_from(ReferenceDataset)) == 0
    loaded = runner.invoke(args=["crosscheck", "load", "wanted", str(csv_file), "--country", "BE", "--map", MAP, *PROV])
    assert loaded.exit_code == 0, loaded.output
    db.rollback()
    ds = db.scalar(select(ReferenceDataset))
    assert ds.legal_basis == "Police Act Art. 44/1, persons sought" and ds.owner == "Federal Police, DJSOC"
    assert ds.refresh_days == 30 and ds.expires_on > dt.date.today() and not ds.is_expired()
    listed = runner.invoke(args=["crosscheck", "list", "--country", "BE"]).output
    assert "legal basis: Police Act Art. 44/1" in listed and f"expires {ds.expires_on}" in listed


def test_loading_replacing_deleting_and_searching_are_in_the_access_log(app, db, csv_file, make_user):
    officer = make_user("officer", "BE")
    runner = app.test_cli_runner()
    base = ["crosscheck", "load", "wanted", str(csv_file), "--country", "BE", "--map", MAP, *PROV]
    assert runner.invoke(args=base).exit_code == 0
    assert runner.invoke(args=[*base, "--replace"]).exit_code == 0
    found = runner.invoke(args=["crosscheck", "search", "--country", "BE", "--surname", "Shcherbakov",
                                "--date-of-birth", "1975-03-04", "--user", officer.email, "--reason", "SIENA 42"])
    assert found.exit_code == 0 and "row:A1" in found.output
    assert runner.invoke(args=["crosscheck", "delete", "wanted", "--country", "BE"]).exit_code == 0
    datasets = _log(db, "reference_dataset")
    assert [e.action for e in datasets] == ["collection", "alteration", "erasure"]
    assert [e.details["what"].split(" from ")[0] for e in datasets] == [
        "reference data set wanted loaded", "reference data set wanted replaced", "reference data set wanted deleted"]
    assert all(e.details["legal_basis"] == "Police Act Art. 44/1, persons sought" for e in datasets)
    (search_entry,) = _log(db, "crosscheck_search")
    assert search_entry.action == "consultation" and search_entry.actor_email == officer.email
    assert search_entry.justification == "SIENA 42" and search_entry.details["fields"] == ["date_of_birth", "surname"]
    assert "Shcherbakov" not in str(search_entry.details)  # the fields searched, never their values


def test_an_expired_data_set_is_not_searched_and_the_officers_are_told(app, db, csv_file, intake, login_as, api):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["crosscheck", "load", "wanted", str(csv_file), "--country", "BE", "--map", MAP,
                               *PROV]).exit_code == 0
    client, officer = login_as("officer", "BE")
    later = [{"kind": "person", "surname": "Shcherbakov", "given_names": "Dmitrii", "date_of_birth": "1975-03-04"}]
    _, before, _ = intake("BE", officer, entities=later)
    assert "(data set wanted)" in client.get(f"/cases/{before}/crosscheck").get_data(as_text=True)
    db.rollback()
    ds = db.scalar(select(ReferenceDataset))
    ds.expires_on = dt.date.today() - dt.timedelta(days=1)
    db.commit()
    _, after, _ = intake("BE", officer, entities=later, counterpart_country="FR")
    page = client.get(f"/cases/{after}/crosscheck").get_data(as_text=True)
    assert "(data set wanted)" not in page
    assert "Reference data set <strong>wanted</strong> expired on" in page and "no longer searched" in page
    from portal.dates import format_day

    assert f"expired on {format_day(ds.expires_on)} and" in page  # a date as people read it, not 2026-10-27
    case_page = client.get(f"/cases/{after}").get_data(as_text=True)
    assert "xc-expired" in case_page and "Police Act Art. 44/1" in case_page
    body = api(officer).get(f"/api/v1/cases/{after}/crosscheck").get_json()
    assert [d["name"] for d in body["expired_datasets"]] == ["wanted"]
    assert all(h["source"] != "dataset:wanted" for h in body["hits"]) and "dataset:wanted" not in body["run"]["sources"]
    out = runner.invoke(args=["crosscheck", "search", "--country", "BE", "--surname", "Shcherbakov",
                              "--date-of-birth", "1975-03-04"])
    assert "expired" in out.output and "row:A1" not in out.output
    assert "EXPIRED, not searched" in runner.invoke(args=["crosscheck", "list", "--country", "BE"]).output
