"""Reference data sets: `spoc crosscheck load` with a column mapping, the key index in the database."""

from __future__ import annotations

import csv

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
