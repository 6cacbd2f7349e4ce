"""Database layer: engines, sessions, the declarative Base, SQLite pragmas, UTC datetimes."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import DateTime, Insert, MetaData, String, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_COLUMN_KEYS: dict[type, frozenset[str]] = {}


def new_object(cls, **values):
    """`cls(**values)` for a new object of a mapped class, its column values put in place without
    an attribute event each (SQLAlchemy's instrumented constructor costs some 2 µs a value; the
    file import makes five objects of twenty values a row). What is no column (a relationship) is
    set as the constructor sets it. As for the constructor, defaults apply when it is written."""
    keys = _COLUMN_KEYS.get(cls)
    if keys is None:
        from sqlalchemy.orm import class_mapper

        keys = _COLUMN_KEYS[cls] = frozenset(p.key for p in class_mapper(cls).column_attrs)
    obj = cls._sa_class_manager.new_instance()
    state = obj.__dict__
    for key, value in values.items():
        if key in keys:
            state[key] = value
        elif hasattr(cls, key):
            setattr(obj, key, value)
        else:
            raise TypeError(f"{key!r} is an invalid keyword argument for {cls.__name__}")
    return obj


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class EnumText(TypeDecorator):
    """A status column typed by its enumeration (portal.enums.LabelledEnum): stored as the value's text
    (no schema change from a String column), read back as the member; a value outside the enumeration
    is refused when bound, so a misspelt state never reaches the database."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class, length: int = 30):
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)


def _sqlite_index_hints() -> None:
    """`select(...).with_hint(table, "INDEXED BY ix_name", "sqlite")` written into SQLite's FROM clause
    (SQLAlchemy's SQLite compiler drops FROM hints): where SQLite's planner prefers an index that reads
    every row to a covering partial one (casemgmt/dashboard.py). Other databases ignore a sqlite hint."""
    from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

    SQLiteCompiler.get_from_hint_text = lambda self, table, text: text


_sqlite_index_hints()


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    memory = url in ("sqlite://", "sqlite:///:memory:")
    kwargs: dict = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the driver, emit BEGIN (so writers can ask for BEGIN IMMEDIATE).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A writer takes the write lock up front: a deferred transaction that read first and
        # writes later fails with SQLITE_BUSY_SNAPSHOT when another writer got in between.
        if immediate:
            end_read_transaction()  # this request's read snapshot would keep the log from starting over
            _begin_immediate(conn.connection.dbapi_connection)
        else:  # on the driver: SQLAlchemy's execution path costs more than SQLite's BEGIN, on every request
            conn.connection.dbapi_connection.execute("BEGIN")

    return engine


WRITE_LOCK_WAIT = 30.0  # seconds a writer waits for SQLite's write lock before giving up
WRITE_LOCK_POLL = 0.00025  # the longest step while the wait is short: an intake holds the lock ~2 ms


def _begin_immediate(raw) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock in steps of a quarter millisecond at first. SQLite's own
    busy handler sleeps 1, 2, 5, 10 … 100 ms between attempts: with many short write transactions
    (the intake holds the lock ~2 ms) the lock then stands free while every waiter sleeps, and
    throughput falls by half (bench/intake.py)."""
    raw.execute("PRAGMA busy_timeout=0")
    try:
        started = time.monotonic()
        delay = 0.00005
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - started
                if "locked" not in str(exc) or waited > WRITE_LOCK_WAIT:
                    raise
            # fine steps while the wait is about one transaction long; coarser ones when many
            # writers queue (16 threads of one process polling every 0.25 ms would starve the holder)
            delay = min(delay * 2, WRITE_LOCK_POLL if waited < 0.005 else 0.001 if waited < 0.05 else 0.005)
            time.sleep(delay)
    finally:
        raw.execute("PRAGMA busy_timeout=30000")


COPY_FROM = 20  # rows from which Prepared.insert_many copies (a COPY waits for the server twice, a pipeline once)


class Prepared:
    """A Core statement compiled once per dialect and run on the driver's own cursor.

    SQLAlchemy spends some 80 µs getting each execution ready (cache lookup, parameters, result
    set-up), more than SQLite takes to run a small statement, and the intake runs a dozen of them
    while it holds SQLite's write lock (bench/intake.py). This binds as SQLAlchemy would (each
    type's bind processor, an INSERT's column defaults for the columns not given) from a plan made
    once per dialect and set of columns. Rows come back as the driver's tuples, so the result
    columns must be ones the dialect converts nothing for (integers, text): checked when planned.
    No events fire for these statements and the session's objects do not see them. With `raw=True`
    any column may be selected and comes back as the driver gives it, unconverted (for a fragment's
    key, portal/fragments.py, which only compares values)."""

    def __init__(self, statement, raw: bool = False):
        self.statement = statement
        self.raw = raw
        self._by_columns = isinstance(statement, Insert)  # an INSERT's plan depends on the columns given
        self._plans: dict = {}

    def _plan(self, dialect, keys: tuple[str, ...] | None):
        compiled = self.statement.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
        if any(bp.expanding or bp.literal_execute for bp in compiled.binds.values()):
            raise TypeError("Prepared does not take expanding (IN) or literal-execute parameters")
        for column in () if self.raw else getattr(self.statement, "exported_columns", ()):
            if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None:
                raise TypeError(f"Prepared returns {column} unconverted: run it through SQLAlchemy")
        defaults = []  # (name, column default) the statement takes from the columns
        for column in (*compiled.insert_prefetch, *compiled.update_prefetch):
            default = column.default if column in compiled.insert_prefetch else column.onupdate
            defaults.append((column.key, default))
        processors = {}
        fixed = {}
        for name, bp in compiled.binds.items():
            process = bp.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors[name] = process
            if not bp.required and bp.value is not None and not bp.callable:
                fixed[name] = bp.value  # a literal of the statement (`count + 1`)
        escaped = getattr(compiled, "escaped_bind_names", None) or {}
        order = list(compiled.positiontup) if compiled.positional else None
        return compiled.string, order, processors, fixed, defaults, escaped

    def _bind(self, dialect, params: dict, plan=None):
        sql, order, _, _, _, escaped = plan = plan or self._get(dialect, params)
        values = self._values(params, plan)
        if order is not None:
            return sql, tuple(values[name] for name in order)
        return sql, {escaped.get(k, k): v for k, v in values.items()}

    @staticmethod
    def _values(params: dict, plan) -> dict:
        """The statement's parameters by name: given, literal, defaulted, each through its type."""
        _, _, processors, fixed, defaults, _ = plan
        values = {**fixed, **params} if fixed else dict(params)
        for name, default in defaults:
            if name not in values:
                values[name] = default.arg(None) if default.is_callable else default.arg
        for name, process in processors.items():
            if name in values:
                values[name] = process(values[name])
        return values

    def _get(self, dialect, params: dict):
        keys = tuple(sorted(params)) if self._by_columns else None
        plan = self._plans.get((dialect.name, keys))
        if plan is None:
            plan = self._plans[(dialect.name, keys)] = self._plan(dialect, keys)
        return plan

    def execute(self, conn, params: dict | None = None):
        """Runs the statement on `conn` (a Connection, as `session.connection()` gives); the
        driver's cursor, with the RETURNING or selected rows."""
        sql, values = self._bind(conn.dialect, params or {})
        cursor = conn.connection.driver_connection.cursor()
        cursor.execute(sql, values)
        return cursor

    def executemany(self, conn, rows: list[dict]) -> None:
        """Runs the statement once for each row (all with the same keys); returns nothing."""
        if not rows:
            return
        plan = self._get(conn.dialect, rows[0])
        sql = plan[0]
        cursor = conn.connection.driver_connection.cursor()
        if len(rows) == 1:  # psycopg's executemany sets up a pipeline, for one row a cost of its own
            cursor.execute(sql, self._bind(conn.dialect, rows[0], plan)[1])
        else:
            cursor.executemany(sql, [self._bind(conn.dialect, row, plan)[1] for row in rows])
        cursor.close()

    def insert_many(self, conn, rows: list[dict]) -> None:
        """A plain INSERT (no RETURNING) of many rows, all with the same keys: on PostgreSQL one COPY
        (no statement to bind and run for each row, on either side), elsewhere executemany. The
        values are bound as executemany binds them, the same defaults and type conversions."""
        if not rows:
            return
        if conn.dialect.name != "postgresql" or len(rows) < COPY_FROM:
            self.executemany(conn, rows)
            return
        from psycopg import sql

        plan = self._get(conn.dialect, rows[0])
        table = self.statement.table
        first = self._values(rows[0], plan)
        names = list(first)
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(table.c[k].name) for k in names))
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(statement) as copy:
            copy.write_row([first[k] for k in names])
            for row in rows[1:]:
                values = self._values(row, plan)
                copy.write_row([values[k] for k in names])
        cursor.close()

    def first(self, conn, params: dict | None = None):
        cursor = self.execute(conn, params)
        row = cursor.fetchone()
        cursor.close()
        return row

    def scalar(self, conn, params: dict | None = None):
        row = self.first(conn, params)
        return row[0] if row is not None else None

    def all(self, conn, params: dict | None = None) -> list:
        cursor = self.execute(conn, params)
        rows = cursor.fetchall()
        cursor.close()
        return rows

    def key_rows(self, conn, params: dict | None = None) -> tuple:
        """The rows as one hashable value, for a fragment's key (portal/fragments.py): the driver's
        tuples, JSON values (dicts and lists from PostgreSQL) as their sorted JSON text."""
        rows = tuple(self.all(conn, params))
        try:
            hash(rows)
            return rows
        except TypeError:
            import json

            return tuple(tuple(json.dumps(v, sort_keys=True, default=str) if isinstance(v, dict | list) else v
                               for v in row) for row in rows)


def one_of(conn, column, values):
    """`column IN values` as a condition that keeps using an index once the driver has prepared
    the statement: on PostgreSQL `column = ANY(:array)`, one parameter. (An IN list of 500
    parameters, prepared by psycopg after five runs, got a generic plan that filtered the SPOC's
    every reference instead of looking each up: 3.6 s a batch at 35,000 references; issue 25.)"""
    if conn.dialect.name == "postgresql":
        from sqlalchemy import String, any_, bindparam
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(None, list(values), type_=ARRAY(String)))
    return column.in_(list(values))


def reserve_ids(conn, table, n: int) -> list[int]:
    """N new ids of TABLE's integer primary key `id`, for rows inserted with their ids given (many
    rows a statement, no RETURNING): from its sequence on PostgreSQL; on SQLite after the largest,
    which only the writer, holding the write lock, may do."""
    if n <= 0:
        return []
    cursor = conn.connection.driver_connection.cursor()
    try:
        if conn.dialect.name == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           (table.name, n))
            return [row[0] for row in cursor.fetchall()]
        # the table's name is the model's, never input
        cursor.execute(f"SELECT max(id) FROM {table.name}")  # noqa: S608
        start = (cursor.fetchone()[0] or 0) + 1
        return list(range(start, start + n))
    finally:
        cursor.close()


PING_AFTER = 5.0  # seconds a pooled server connection may stay unused before its checkout tests it
RECYCLE_AFTER = 1800  # seconds after which a pooled server connection is replaced


def _server_engine(url: str) -> Engine:
    """PostgreSQL: a pool whose connections are tested at checkout only when they sat unused for
    PING_AFTER seconds. `pool_pre_ping` tested every checkout, a round trip each (two an API intake;
    issue 24). A connection that died within those seconds fails its request's first statement: the
    pool is then invalidated (SQLAlchemy's disconnect handling), the API's authentication reads the
    token again on a new connection (portal.api.authenticate_request), and a write that fails is
    answered with an error, never acknowledged (nothing is committed on a dead connection)."""
    from sqlalchemy import exc

    engine = create_engine(url, pool_size=10, max_overflow=20, pool_recycle=RECYCLE_AFTER)
    dead_before = [0.0]  # a connection found dead: those returned to the pool before it are tested too

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn, record, _proxy):
        since = record.info.pop("idle_since", None)
        now = time.monotonic()
        if since is None or (now - since < PING_AFTER and since > dead_before[0]):
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as error:  # the pool replaces it and tries another
            dead_before[0] = now
            raise exc.DisconnectionError() from error

    return engine


class Database:
    """One app's engines and session factories: `read` for safe requests, `write` for the others."""

    def __init__(self, url: str, audit_key: str = ""):
        self.url = url
        # the audit chain's sealing key travels with the sessions (portal.audit), never into the database
        info = {"audit_key": audit_key} if audit_key else {}
        self.info = info  # what every session of this database carries in session.info (also: the app's registry)
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, immediate=False)
            self.write_engine = (
                self.engine if url in ("sqlite://", "sqlite:///:memory:") else _sqlite_engine(url, True)
            )
        else:
            self.engine = _server_engine(url)
            self.write_engine = self.engine
        self.read_session = sessionmaker(self.engine, expire_on_commit=False, info=info)
        self.write_session = sessionmaker(self.write_engine, expire_on_commit=False, info=info)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A writing session committed at the end (CLI batches, background work, and the writes a
        safe request makes, such as the access log of a case page)."""
        with self.write_session() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()


def init_app(app) -> Database:
    from flask import g

    database = Database(app.config["DATABASE_URL"], app.config.get("AUDIT_KEY") or app.config["SECRET_KEY"])
    app.extensions["spoc_db"] = database

    @app.teardown_appcontext
    def _close_session(exc):
        for key in ("db_session", "db_read_session"):
            session = g.pop(key, None)
            if session is not None:
                if exc is not None:
                    session.rollback()
                session.close()

    return database


def get_db():
    from flask import current_app

    return current_app.extensions["spoc_db"]


def get_session() -> Session:
    """The request's session: one per request, writing requests on the write engine."""
    from flask import g, has_request_context, request

    session = g.get("db_session")
    if session is None:
        database = get_db()
        writes = not has_request_context() or request.method not in ("GET", "HEAD", "OPTIONS")
        session = (database.write_session if writes else database.read_session)()
        g.db_session = session
    return session


def get_read_session() -> Session:
    """A session for reading only: the request's own session in a safe request; in a writing one a
    second session on the read engine, so that what a writer reads before it writes (who sent the
    request, the settings) is read without holding SQLite's write lock."""
    from flask import g, has_request_context, request

    if not has_request_context() or request.method in ("GET", "HEAD", "OPTIONS") or not get_db().is_sqlite:
        return get_session()  # PostgreSQL: reading takes no write lock; one connection a request (issue 24)
    session = g.get("db_read_session")
    if session is None:
        session = g.db_read_session = get_db().read_session()
    return session


def end_read_transaction() -> None:
    """Let go of the request's read snapshot; SQLite's writers call it as they begin. An open read
    transaction keeps SQLite's write-ahead log from starting over: it grows, and every commit then
    tries a checkpoint and syncs the disk (bench/intake.py: a third of the intake's time). The
    session stays usable: it does not expire what it loaded, and its next query starts a new
    snapshot."""
    from flask import g, has_request_context, request

    if not has_request_context():
        return
    session = g.get("db_read_session")
    if session is None and request.method in ("GET", "HEAD", "OPTIONS"):
        session = g.get("db_session")  # a safe request's own session reads only
    if session is not None:
        session.commit()
