"""PostgreSQL's table of the search documents' words (migration 0045, issue 24 item 1): it holds what the
documents say after the intake, an edit, the import and the erasure (an erased case's words leave it), its
backfill on a copy of the demo database gives the same rows, and a one-word search read from it gives the
page and count the full-text index gives (on SQLite, FTS5 answers; the table is PostgreSQL's only)."""

from __future__ import annotations

import importlib.util

import pytest
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from casemgmt.services import retention, workflow
from casemgmt.services import search as service
from casemgmt.services import search_paths as paths
from casemgmt.services.importing import import_rows
from casemgmt.services.search_criteria import read_criteria
from portal.demo import load_demo
from portal.migrate import MIGRATIONS
from tests.casemgmt.test_import_set_based import rows

DOCUMENTS = ("SELECT d.country_code, unnest(tsvector_to_array(d.document)), d.case_id FROM case_search_docs d")


def _postgresql(db) -> None:
    if db.bind.dialect.name != "postgresql":
        assert "case_search_words" not in inspect(db.connection()).get_table_names()
        pytest.skip("the words table is PostgreSQL's: SQLite's FTS5 reads its matches newest first already")


def _held(db) -> set:
    db.rollback()
    return {tuple(r) for r in db.execute(text("SELECT country_code, word, case_id FROM case_search_words"))}


def _said(db) -> set:
    return {tuple(r) for r in db.execute(text(DOCUMENTS))}


def test_the_words_are_what_the_documents_say_after_intake_edit_import_and_erasure(
        app, intake, work, officer, make_user, db, uploads):
    _postgresql(db)
    case_id, number, _ = intake("BE", officer, subject="Quarrelsome Zbigniew", body="Seen in Ghent.",
                                entities=[{"kind": "person", "surname": "Wrzeszcz", "given_names": "Zbigniew"}])
    intake("NL", make_user("officer", "NL"), subject="Quarrelsome neighbour")
    assert _held(db) == _said(db) and ("BE", "wrzeszcz", case_id) in _held(db)
    work(case_id, lambda s, c: workflow.add_note(s, c, officer, "Kruszwil called back"))  # an edit
    assert _held(db) == _said(db) and ("BE", "kruszwil", case_id) in _held(db)
    database = app.extensions["spoc_db"]
    with database.read_session() as reader, database.unit_of_work() as session:
        report = import_rows(session, "BE", rows("IMPBE"), session.merge(officer), read_session=reader,
                             batch_size=4, batch_seconds=60, set_based=True)
    held = _held(db)
    assert len(report.created) == 9 and held == _said(db)
    assert len({i for c, w, i in held if (c, w) == ("BE", "novak")}) == 4  # Anna Novak's imported cases
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information"))
    work(case_id, lambda s, c: retention.erase(s, c, officer, "No longer needed", uploads.folder))
    held = _held(db)
    assert held == _said(db)
    assert not {w for c, w, i in held if i == case_id} & {"wrzeszcz", "zbigniew", "ghent", "quarrelsome", "kruszwil"}
    assert ("NL", "quarrelsome") in {(c, w) for c, w, _ in held}  # another case's words stay


def _migration():
    spec = importlib.util.spec_from_file_location("m0045", MIGRATIONS / "versions" / "0045_case_search_words.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_on_the_demo_database_writes_what_the_documents_say(app, db):
    """PostgreSQL: the backfill gives the rows the triggers wrote; SQLite: the migration changes nothing."""
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        load_demo(s, "demo-password-1", app)
    db.rollback()
    if db.bind.dialect.name != "postgresql":
        tables = set(inspect(db.connection()).get_table_names())
        db.rollback()
        with database.write_engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
            _migration().upgrade()
        assert set(inspect(db.connection()).get_table_names()) == tables and "case_search_words" not in tables
        return
    expected = _held(db)
    assert expected == _said(db) and len(expected) > 1000
    db.rollback()
    with database.write_engine.begin() as connection:
        connection.execute(text("DELETE FROM case_search_words"))  # the documents as before the migration
    with database.write_engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        _migration().backfill()
    assert _held(db) == expected


def _pages(db, user, q, limit=2, **params):
    c, errors = read_criteria({"q": q, **params})
    assert not errors
    pages = [service.search(db, user, c, limit=limit, log=False)]
    while pages[-1].next_after:
        pages.append(service.search(db, user, c, limit=limit, after=pages[-1].next_after, log=False))
    return [r.registration_number for p in pages for r in p.rows], pages[0].count_text


@pytest.mark.parametrize("cap", [1000, 3])
def test_a_one_word_search_gives_what_the_full_text_index_gives(intake, officer, make_user, db, monkeypatch, cap):
    monkeypatch.setattr(service, "COUNT_CAP", cap)
    for i in range(6):
        intake("BE", officer, subject=f"Probe {i}" + (" lonely" if i == 2 else ""))
    intake("NL", make_user("officer", "NL"), subject="Probe lonely")
    db.rollback()
    queries = ["probe", "lonely", "absent", "PROBE", "probe lonely", "Иванов"]
    read = {q: _pages(db, officer, q) for q in queries}
    monkeypatch.setattr(paths, "pg_one_word", lambda query: None)  # the full-text index alone
    assert read == {q: _pages(db, officer, q) for q in queries}
    assert len(read["probe"][0]) == 6 and read["probe"][1] == ("6" if cap == 1000 else "more than 3")
    assert len(read["lonely"][0]) == 1 and read["absent"] == ([], "0")


def test_only_a_plain_single_word_is_read_from_the_words_table():
    def one(q):
        return paths.pg_one_word(service.parse_query(q, "BE"))

    assert one("Heroin") == "heroin" and one("BENCH-123") == "bench123" and one("muller") == "muller"
    assert one("heroin cocaine") is None and one('"check the"') is None and one("Иванов") is None
