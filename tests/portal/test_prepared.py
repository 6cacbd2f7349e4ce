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


def _user_for(app, make_user):
    """An officer with a login and a token: the rows load_one reads (the API's token read)."""
    from portal.accounts import services as accounts
    from portal.accounts.models import User

    user = make_user("officer", "BE")
    with app.extensions["spoc_db"].unit_of_work() as s:
        held = s.get(User, user.id)
        held.last_login_at = dt.datetime(2026, 3, 1, 21, 30, tzinfo=dt.UTC)
        token = accounts.create_token(s, held, "load_one")
    return user.id, token


def test_load_one_makes_the_user_the_orm_loads(app, make_user):
    """The token's user as load_one makes it: every attribute equal to the ORM's load of that row (the
    times aware, in UTC, as UTCDateTime gives them), nothing pending, persistent in the session, its
    relationships loading as the ORM's do; an unknown or revoked token finds nobody."""
    from sqlalchemy import inspect

    from portal.accounts import services as accounts
    from portal.accounts.models import User

    user_id, token = _user_for(app, make_user)
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        made = accounts.user_for_token(s, token)
        assert made is not None and made.id == user_id
        state = inspect(made)
        assert state.persistent and not s.dirty and not s.new and not state.modified
        made_values = {c.key: getattr(made, c.key) for c in User.__table__.c}
        assert [t.name for t in made.tokens] == ["load_one"]
        assert made.last_login_at == dt.datetime(2026, 3, 1, 21, 30, tzinfo=dt.UTC)
        assert made.last_login_at.utcoffset() == dt.timedelta(0) and made.created_at.tzinfo is not None
        assert accounts.user_for_token(s, token + "x") is None
    with database.unit_of_work() as s:
        loaded = s.get(User, user_id)
        assert made_values == {c.key: getattr(loaded, c.key) for c in User.__table__.c}
        token_id = loaded.tokens[0].id
        assert accounts.revoke_token(s, loaded, token_id)
    with database.unit_of_work() as s:
        assert accounts.user_for_token(s, token) is None


def test_load_one_gives_the_instance_the_session_holds(app, make_user):
    """A user the session already holds, with a change not yet written, comes back as it is: the same
    object, the change kept (the row read does not overwrite it); and a change made to what load_one
    gave is written at commit as any loaded object's is."""
    from portal.accounts import services as accounts
    from portal.accounts.models import User

    user_id, token = _user_for(app, make_user)
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        held = s.get(User, user_id)
        held.name = "Changed, not yet written"
        assert accounts.user_for_token(s, token) is held and held.name == "Changed, not yet written"
        s.rollback()
    with database.unit_of_work() as s:
        made = accounts.user_for_token(s, token)
        made.name = "Written through load_one"
    with database.unit_of_work() as s:
        assert s.get(User, user_id).name == "Written through load_one"


def test_load_one_refuses_a_statement_not_selecting_the_tables_columns(app, make_user):
    from portal.accounts.models import User

    user_id, _ = _user_for(app, make_user)
    columns = list(User.__table__.c)
    wrong = [columns[1:], [*columns[1:], columns[0]]]  # one left out; all, out of order
    with app.extensions["spoc_db"].unit_of_work() as s:
        for selected in wrong:
            statement = Prepared(select(*selected).where(User.id == bindparam("id")), raw=True)
            with pytest.raises(TypeError, match="users's columns"):
                statement.load_one(s, User, {"id": user_id})


def test_a_read_on_a_connection_the_server_ended(app, make_user, monkeypatch):
    """PostgreSQL ended every connection of the pool (a restart): a statement on the driver's cursor
    raises SQLAlchemy's error saying the connection was invalidated (the API reads the token again),
    and the pool's other connections, returned before, are tested at their checkout, so that the
    read made again succeeds on a new one rather than on the next dead connection."""
    from sqlalchemy.exc import DBAPIError

    from portal.accounts import services as accounts
    from portal.db import server
    from tests.conftest import end_every_connection

    database = app.extensions["spoc_db"]
    url = app.config["DATABASE_URL"]
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL's pooled connections (SQLite has no server to lose)")
    _, token = _user_for(app, make_user)
    monkeypatch.setattr(server, "PING_AFTER", 3600.0)  # no checkout would test them otherwise
    database.engine.dispose()
    pooled = [database.engine.connect() for _ in range(3)]
    for c in pooled:
        c.exec_driver_sql("SELECT 1")
    for c in pooled:
        c.close()
    assert database.engine.pool.checkedin() == 3
    assert end_every_connection(url) >= 3
    with database.read_session() as s:
        with pytest.raises(DBAPIError) as raised:
            accounts.user_for_token(s, token)
        assert raised.value.connection_invalidated
    with database.read_session() as s:
        assert accounts.user_for_token(s, token) is not None
