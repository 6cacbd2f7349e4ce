"""The PostgreSQL benchmark database built on the server (bench/pgbulk.py, a tiny size) is what the app
would have written: the statistics' counts equal `counts.rebuild`'s, the log's chain verifies, every
index and constraint is back, the documents' words table holds their words, the bulk cases are open or closed as casedb's generator makes them and
the search finds them. No figure is timed here."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ.get("SPOC_TEST_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(not URL.startswith("postgresql"), reason="builds a PostgreSQL database")


@pytest.fixture
def bulk_database():
    sys.path.append(str(ROOT / "bench"))
    import pgbulk

    name = f"spoc_pgbulk_test_{os.getpid()}"
    admin = create_engine(make_url(URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(URL).set(database=name).render_as_string(hide_password=False)
    try:
        pgbulk.build(url, 3000)
        yield pgbulk, url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_bulk_database_counts_log_indexes_and_search(bulk_database, app):
    from casedb import app_for
    from sqlalchemy import select

    from casemgmt.models import Case
    from casemgmt.services.counts import rebuild
    from casemgmt.services.search import Criteria, search
    from portal.accounts.models import User
    from portal.audit import verify

    pgbulk, url = bulk_database
    database = app_for(url).extensions["spoc_db"]
    try:
        with database.write_engine.connect() as conn:
            q = text("SELECT country_code, year, figure, k1, k2, k3, k4, k5, value, count FROM case_statistics_counts "
                     "ORDER BY country_code, year, figure, k1, k2, k3, k4, k5, value")
            built = list(conn.execute(q))
            rebuild(conn)
            assert list(conn.execute(q)) == built and len(built) > 20
            conn.rollback()
            # every index and constraint dropped for the load is back: as on a database the migrations made
            schema = _indexes_and_constraints(conn, pgbulk.TABLES)
            with app.extensions["spoc_db"].write_engine.connect() as fresh:
                assert schema == _indexes_and_constraints(fresh, pgbulk.TABLES)
            assert sum(len(indexes) for indexes, _, _ in schema.values()) >= 20
            assert any(u for _, u, _ in schema.values()) and any(f for _, _, f in schema.values())
            assert not conn.scalar(text("SELECT count(*) FROM pg_tables WHERE tablename = 'bench_build_state'"))
            # the documents' words (migration 0045's table, written by the documents' trigger) are theirs
            words = "SELECT country_code, word, case_id FROM case_search_words"
            said = "SELECT country_code, unnest(tsvector_to_array(document)), case_id FROM case_search_docs"
            for a, b in ((words, said), (said, words)):
                assert conn.scalar(text(f"SELECT count(*) FROM ({a} EXCEPT ALL {b}) x")) == 0  # noqa: S608
            assert conn.scalar(text("SELECT count(*) FROM case_search_words")) > 10 * 3000
        with database.read_session() as s:
            assert verify(s) == []
            bulk = list(s.execute(select(Case.received_at, Case.status, Case.registration_number)
                                  .where(Case.sequence > 500_000).order_by(Case.id)))
            assert len(bulk) == 3000
            now = dt.datetime.now(dt.UTC)
            closed = ("closed", "archived")
            assert all(status not in closed for at, status, _ in bulk if (now - at).days < 29)
            older = [status for at, status, _ in bulk if (now - at).days > 31]
            assert sum(status not in closed for status in older) <= 0.02 * len(older)
            officer = s.scalar(select(User).where(User.email == "officer.be@demo.invalid"))
            newest = bulk[-1][2]
            page = search(s, officer, Criteria(q=newest), log=False)
            assert [r.registration_number for r in page.rows] == [newest]
            assert search(s, officer, Criteria(q="heroin"), log=False).rows
            # the surnames planted where bench/search.py plants them: the same page at every size
            from search import COMMON, COMMON_CASES, RARE, planted

            first = s.scalar(select(Case.id).where(Case.sequence > 500_000).order_by(Case.id).limit(1))
            for name, many in ((RARE, 1), (COMMON, COMMON_CASES)):
                page = search(s, officer, Criteria(q=name), log=False, limit=100)
                want = [first + i for i in reversed(range(3000)) if planted(i, 3000) == name]
                assert [r.id for r in page.rows] == want and page.count == many == len(want)
    finally:
        database.dispose()


def _indexes_and_constraints(conn, tables) -> dict:
    """Each table's index, unique constraint and foreign key names."""
    from sqlalchemy import inspect

    inspector = inspect(conn)
    return {t: (sorted(i["name"] for i in inspector.get_indexes(t)),
                sorted(c["name"] for c in inspector.get_unique_constraints(t)),
                sorted(c["name"] for c in inspector.get_foreign_keys(t))) for t in tables}
