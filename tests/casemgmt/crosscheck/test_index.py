"""The key index in the database: a lookup reading its records ahead (on PostgreSQL the records'
columns come with the keys, in one statement; issue 24) finds what a lookup and a fetch find."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casemgmt.crosscheck.birthdates import parse_birth_date
from casemgmt.crosscheck.index import SqlIndex
from casemgmt.crosscheck.keys import Subject, query_keys
from casemgmt.crosscheck.matching import SearchStats, search
from casemgmt.crosscheck.models import CrossCheckHit, CrossCheckRun
from casemgmt.crosscheck.normalise import normalise_name


def person(surname, given, dob):
    return {"kind": "person", "surname": surname, "given_names": given, "date_of_birth": dob}


def query(surname, given, dob) -> Subject:
    return Subject(name=normalise_name(surname, given), birth=parse_birth_date(dob), nationality=None,
                   display=f"{surname}, {given}", ref="query")


@pytest.fixture
def indexed(intake, officer, db):
    """Three cases: five Peeters born the same day (keys under more records than a cap of 2) and three
    Shcherbakovs spelt and born differently, found by several keys each."""
    intake("BE", officer, entities=[person("Peeters", "Jan", "1960-01-02"),
                                    person("Shcherbakov", "Dmitrii", "1975-03-04")])
    intake("BE", officer, entities=[person("Peeters", "Piet", "1960-01-02"), person("Peeters", "Jan", "1960-01-02"),
                                    person("Scherbakov", "Dmitri", "1975-03-04")])
    intake("BE", officer, entities=[person("Peeters", "Joris", "1960-01-02"), person("Peeters", "Korneel", "1960-01-02"),
                                    person("Shcherbakov", "Dmitrii", "1975-04-03")], counterpart_country="FR")
    db.rollback()
    return db


@pytest.mark.parametrize("who", [("Shcherbakov", "Dmitrii", "1975-03-04"), ("Peeters", "Jan", "1960-01-02")])
@pytest.mark.parametrize("cap", [2, 50])
def test_a_lookup_reading_ahead_finds_what_a_lookup_and_a_fetch_find(indexed, who, cap):
    def found(read_ahead: bool):
        sql_index, stats = SqlIndex(indexed, read_ahead=read_ahead), SearchStats()
        keys = sorted(query_keys(query(*who)))
        hits = search(sql_index, "BE", query(*who), cap=cap, stats=stats)
        return ([(h.subject.id, h.subject.ref, h.subject.display, h.subject.extra, h.score, h.level, h.reasons,
                  h.keys) for h in hits], stats.candidates, stats.skipped_keys, sql_index.lookup("BE", keys, cap))

    hits, candidates, skipped, lookup = found(read_ahead=True)
    assert (hits, candidates, skipped, lookup) == found(read_ahead=False)
    assert len(hits) >= 2 and candidates > len(hits) / 2  # several records, each under several keys
    assert sum(len(ids) > 1 for ids in lookup.values()) >= 1
    if cap == 2 and who[0] == "Peeters":
        assert skipped  # a key over the cap: its records are not read


@pytest.mark.parametrize("others", [0, 5])
def test_the_intake_searches_the_spocs_data_sets_however_many_its_people(wanted_csv, load, intake, officer, db,
                                                                          others):
    """(On PostgreSQL the data sets are read in the statement indexing the first person when a case
    has a few, else on their own.)"""
    load(wanted_csv({"Nr": "A1", "Name": "Щербаков", "Vorname": "Дмитрий", "Geboren": "04.03.1975", "Land": "UA"}))
    people = [person("Shcherbakov", "Dmitrii", "1975-03-04")]
    people += [person("Peeters", f"Jan{'n' * i}", f"196{i}-01-02") for i in range(others)]
    case_id, _, _ = intake("BE", officer, entities=people)
    db.rollback()
    run = db.scalar(select(CrossCheckRun).where(CrossCheckRun.case_id == case_id))
    assert (run.queries, run.sources) == (1 + others, ["cases", "dataset:wanted"])
    hits = db.scalars(select(CrossCheckHit).where(CrossCheckHit.case_id == case_id)).all()
    assert [(h.source, h.matched_ref, h.level) for h in hits] == [("dataset:wanted", "row:A1", "strong")]
