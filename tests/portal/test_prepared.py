"""portal.db.Prepared: statements run on the driver's cursor bind and default exactly as SQLAlchemy does."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    select,
    text,
    update,
)

from portal.db import COPY_FROM, Prepared, UTCDateTime, utcnow

probe = Table(
    "prepared_probe", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime),
    Column("day", Date),
    Column("flag", Boolean, default=False),
    Column("data", JSON, default=dict),
    Column("label", String(20), default="none"),
    Column("made", UTCDateTime, default=utcnow),
    Column("kept", String(20), server_default=text("'server'")),
    Column("hits", Integer, default=0),
)


@pytest.fixture
def conn(app):
    database = app.extensions["spoc_db"]
    probe.create(database.write_engine, checkfirst=True)
    try:
        with database.write_engine.begin() as connection:
            yield connection
    finally:
        probe.drop(database.write_engine)


def _rows(conn):
    return [dict(r._mapping) for r in conn.execute(select(probe).order_by(probe.c.id))]


def test_an_insert_stores_what_sqlalchemy_stores(conn):
    at = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    values = dict(at=at, day=dt.date(1980, 4, 3), flag=True, data={"name": "Éva", "n": [1, 2]})
    conn.execute(probe.insert(), values)
    new_id = Prepared(probe.insert().returning(probe.c.id)).scalar(conn, values)
    first, second = _rows(conn)
    assert new_id == second["id"] == first["id"] + 1
    for row in (first, second):
        assert row["at"] == at and row["at"].tzinfo == dt.UTC  # stored in UTC, read back aware
        assert row["day"] == dt.date(1980, 4, 3) and row["flag"] is True and row["data"] == {"name": "Éva", "n": [1, 2]}
        # the columns not given: Python defaults (scalar and callable) and the server's own
        assert row["label"] == "none" and row["hits"] == 0 and row["kept"] == "server"
        assert abs(row["made"] - utcnow()) < dt.timedelta(minutes=1)


def test_many_rows_at_once_and_a_literal_of_the_statement(conn):
    Prepared(probe.insert()).executemany(conn, [dict(label=f"row {i}", data={"i": i}) for i in range(3)])
    bump = Prepared(update(probe).where(probe.c.label == bindparam("which"))
                    .values(hits=probe.c.hits + 1).returning(probe.c.hits))
    assert bump.scalar(conn, {"which": "row 1"}) == 1
    assert bump.scalar(conn, {"which": "row 1"}) == 2
    assert bump.scalar(conn, {"which": "no such row"}) is None
    rows = _rows(conn)
    assert [(r["label"], r["hits"], r["data"], r["flag"]) for r in rows] == [
        ("row 0", 0, {"i": 0}, False), ("row 1", 2, {"i": 1}, False), ("row 2", 0, {"i": 2}, False)]
    found = Prepared(select(probe.c.id, probe.c.label).where(probe.c.hits == bindparam("h"))).execute(conn, {"h": 0})
    assert sorted(label for _, label in found.fetchall()) == ["row 0", "row 2"]


def test_statements_whose_results_need_converting_are_refused(conn):
    with pytest.raises(TypeError, match="unconverted"):
        Prepared(select(probe.c.made)).execute(conn)
    with pytest.raises(TypeError, match="expanding"):
        Prepared(select(probe.c.id).where(probe.c.label.in_(bindparam("labels", expanding=True)))).execute(
            conn, {"labels": ["a"]})
    assert _rows(conn) == []


def test_insert_many_stores_what_an_insert_of_each_row_stores(conn):
    """Many rows (a COPY on PostgreSQL) and a few (executemany): the same values, defaults and
    conversions as SQLAlchemy's own insert; text that COPY would read as its escapes kept as written."""
    at = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    awkward = "tab\there, new\nline, back\\slash, \\N, ünïcødé"
    rows = [dict(at=at, day=dt.date(1980, 4, 3), flag=bool(i % 2), data={"name": awkward, "i": i}, label=f"r{i}")
            for i in range(COPY_FROM + 5)]
    rows[3]["label"] = None
    Prepared(probe.insert()).insert_many(conn, rows)
    Prepared(probe.insert()).insert_many(conn, [dict(label="few", data={"name": awkward})])
    conn.execute(probe.insert(), [{k: v for k, v in r.items() if k != "label"} | {"label": "reference"}
                                  for r in rows[:1]])
    stored = _rows(conn)
    assert len(stored) == COPY_FROM + 7
    reference = stored[-1]
    for i, row in enumerate(stored[:COPY_FROM + 5]):
        assert row["at"] == reference["at"] == at and row["at"].tzinfo == dt.UTC
        assert row["day"] == dt.date(1980, 4, 3) and row["flag"] is bool(i % 2)
        assert row["data"] == {"name": awkward, "i": i} and row["label"] == (None if i == 3 else f"r{i}")
        assert row["hits"] == 0 and row["kept"] == "server" and abs(row["made"] - utcnow()) < dt.timedelta(minutes=1)
    few = stored[COPY_FROM + 5]
    assert few["data"] == {"name": awkward} and few["flag"] is False and few["label"] == "few"


def test_an_api_call_as_a_fresh_processs_first_request(app, make_user, database_url, tmp_path):
    """A new server process whose first request is an API call, before anything has configured the ORM's
    mappers (a token read that bypassed the ORM answered 500 under gunicorn in such a process)."""
    import subprocess
    import sys

    from portal.accounts import services as accounts

    user = make_user("officer", "BE")
    with app.extensions["spoc_db"].unit_of_work() as s:
        token = accounts.create_token(s, s.get(type(user), user.id), "fresh process")
    script = (
        "import sys\n"
        "from portal import create_app\n"
        "app = create_app({'DATABASE_URL': sys.argv[1], 'INSTANCE_PATH': sys.argv[2], 'MAIL_SERVER': '',"
        " 'SECRET_KEY': 'fresh-process-secret-0123456789abcdef', 'AUDIT_KEY': sys.argv[4]})\n"
        "r = app.test_client().get('/api/v1/cases?status=open', headers={'Authorization': 'Bearer ' + sys.argv[3]})\n"
        "print(r.status_code)\n")
    from tests.conftest import AUDIT_KEY

    done = subprocess.run([sys.executable, "-c", script, database_url, str(tmp_path), token, AUDIT_KEY],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "200", done.stderr[-2000:]
