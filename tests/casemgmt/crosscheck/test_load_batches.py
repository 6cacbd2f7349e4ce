"""`spoc crosscheck load` in batches (issue 25): officers register cases while a data set is written,
and a data set is searched whole or not at all; a replaced one is searched until its successor is in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casemgmt.crosscheck.models import CrossCheckHit, IndexedSubject, ReferenceDataset
from casemgmt.crosscheck.reference import LoadError, load_dataset_in_batches
from portal import audit
from tests.casemgmt.crosscheck.conftest import MAP
from tests.casemgmt.crosscheck.test_rerun import STRANGER, WANTED, courier_case


def filler(n: int) -> list[dict]:
    return [{"Nr": f"F-{k}", "Name": f"Filler{k}", "Vorname": "Ana", "Geboren": "01.01.1990", "Land": "PT"}
            for k in range(n)]


def hits_on(db, case_id: int, source: str = "dataset:wanted") -> int:
    db.rollback()
    return db.scalar(select(func.count(CrossCheckHit.id)).where(CrossCheckHit.case_id == case_id,
                                                                CrossCheckHit.source == source))


def test_a_data_set_being_loaded_is_not_searched_until_it_is_whole(app, intake, officer, db, wanted_csv):
    database = app.extensions["spoc_db"]
    path = wanted_csv(WANTED, *filler(5))  # the wanted person is in the first batch of two rows
    during: list[int] = []

    def after_batch(n):
        if not during:  # a case registered while the load is under way: the intake is not held up
            during.append(courier_case(intake, officer)[0])

    report = load_dataset_in_batches(database.unit_of_work, country="BE", name="wanted", path=path,
                                     mapping_text=MAP, rows_per_transaction=2, on_rows=after_batch)
    assert report.loaded == 6 and report.dataset.ready
    assert hits_on(db, during[0]) == 0  # the first batch was committed, but not searched
    after, _, _ = courier_case(intake, officer)
    assert hits_on(db, after) == 1
    (dataset,) = db.scalars(select(ReferenceDataset))
    assert (dataset.name, dataset.row_count, dataset.ready) == ("wanted", 6, True)
    with database.read_session() as s:
        assert audit.verify(s) == []


def test_a_replaced_data_set_is_searched_until_its_successor_is_in(app, intake, officer, db, wanted_csv, load):
    database = app.extensions["spoc_db"]
    load(wanted_csv(WANTED))
    during: list[int] = []

    def after_batch(n):
        if not during:
            during.append(courier_case(intake, officer)[0])

    load_dataset_in_batches(database.unit_of_work, country="BE", name="wanted", path=wanted_csv(STRANGER, *filler(3)),
                            mapping_text=MAP, replace=True, rows_per_transaction=1, on_rows=after_batch)
    assert hits_on(db, during[0]) == 1  # still found in the old data set meanwhile
    assert hits_on(db, courier_case(intake, officer)[0]) == 0  # gone with it
    db.rollback()
    (dataset,) = db.scalars(select(ReferenceDataset))  # the old one deleted, its rows too
    assert (dataset.name, dataset.row_count) == ("wanted", 4)
    assert db.scalar(select(func.count(IndexedSubject.id)).where(IndexedSubject.origin == "dataset")) == 4


def test_a_load_that_fails_midway_leaves_nothing_searched(app, db, wanted_csv):
    database = app.extensions["spoc_db"]
    path = wanted_csv(*filler(4), {"Nr": "BAD", "Name": "X", "Vorname": "Y", "Geboren": "99.99.1999", "Land": "PT"})
    with pytest.raises(LoadError, match="line 6"):
        load_dataset_in_batches(database.unit_of_work, country="BE", name="wanted", path=path, mapping_text=MAP,
                                strict=True, rows_per_transaction=2)
    db.rollback()
    assert db.scalar(select(func.count(ReferenceDataset.id))) == 0
    assert db.scalar(select(func.count(IndexedSubject.id)).where(IndexedSubject.origin == "dataset")) == 0
