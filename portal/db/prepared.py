"""Prepared statements (`Prepared`: a Core statement compiled once per dialect and run on the
driver's own cursor), an index-friendly `IN` (`one_of`) and ids reserved ahead (`reserve_ids`)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Insert
from sqlalchemy.orm import Session

VALUES_PER = 500  # rows a statement of Prepared.values_many (PostgreSQL takes up to 65,535 parameters)
_NAMED = re.compile(r"%\((\w+)\)s")
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
        self._templates: dict = {}  # values_many's cut of each plan's SQL
        self._loaders: dict = {}  # load_one's plan, per dialect and mapped class

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
        driver's cursor, with the RETURNING or selected rows. A connection the server had ended
        raises SQLAlchemy's error, as a statement run through SQLAlchemy would (`disconnected`)."""
        sql, values = self._bind(conn.dialect, params or {})
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute(sql, values)
        except conn.dialect.loaded_dbapi.Error as error:
            disconnected(conn, error, sql, values)
            raise
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
        if conn.dialect.name != "postgresql" or len(rows) < COPY_FROM or in_pipeline(conn):
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

    def values_many(self, conn, rows: list[dict], per: int = VALUES_PER) -> Iterator[tuple[str, list]]:
        """An INSERT … VALUES (…) (with its ON CONFLICT, if any) for many rows in few statements, on
        PostgreSQL: its one row of VALUES repeated for each of up to `per` rows. Yields (sql,
        parameters) for each chunk of rows, in PostgreSQL's numbered placeholders ($1) for a
        `raw_cursor` (psycopg parses a query written with %s again at every execution once it is longer
        than 4 kB or has more than 50 parameters: 0.25 s for a batch of 5,000 audit entries), to run
        (`execute_values`) or to wrap in a larger statement (portal.audit: the entries and the chain
        head's update in one). The rows keep their order (an upsert locks its keys in that order)
        and all have the same keys, bound as executemany binds them."""
        plan = self._get(conn.dialect, rows[0])
        template = self._templates.get(plan[0])
        if template is None:
            template = self._templates[plan[0]] = self._values_template(plan)
        head, pieces, tail, names = template
        width = len(names)
        for start in range(0, len(rows), per):
            chunk = rows[start:start + per]
            params = []
            for row in chunk:
                values = self._values(row, plan)
                params.extend(values[name] for name in names)
            key = (plan[0], len(chunk))
            sql = self._templates.get(key)
            if sql is None:
                sql = head + ", ".join(
                    "".join(f"{piece}${r * width + i + 1}" for i, piece in enumerate(pieces[:-1])) + pieces[-1]
                    for r in range(len(chunk))) + tail
                if len(chunk) <= 4:  # the intake's few rows: kept
                    self._templates[key] = sql
            yield sql, params

    def execute_values(self, conn, rows: list[dict]) -> None:
        """values_many's statements run: one execution for every `VALUES_PER` rows (executemany runs
        one per row, each a statement for the server to bind, plan and run)."""
        if not rows:
            return
        cursor = raw_cursor(conn)
        try:
            for sql, params in self.values_many(conn, rows):
                cursor.execute(sql, params)
        finally:
            cursor.close()

    @staticmethod
    def _values_template(plan) -> tuple[str, list[str], str, list[str]]:
        """The compiled INSERT cut around its one row of VALUES, that row's text between its
        placeholders (any casts kept), and the parameters' names in their order."""
        sql, order, _, _, _, escaped = plan
        if order is not None:
            raise TypeError("values_many takes a statement compiled with named parameters (psycopg)")
        start = sql.index(" VALUES (") + len(" VALUES ")
        depth, end = 0, start
        for end in range(start, len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            if depth == 0:
                break
        if _NAMED.search(sql[:start]) or _NAMED.search(sql[end + 1:]):
            raise TypeError("values_many takes parameters in the VALUES only")
        unescaped = {v: k for k, v in escaped.items()}
        parts = _NAMED.split(sql[start:end + 1])  # text, name, text, name, …, text
        names = [unescaped.get(name, name) for name in parts[1::2]]
        raw = [text.replace("%%", "%") for text in (sql[:start], *parts[0::2], sql[end + 1:])]  # %s-style escapes undone
        return raw[0], raw[1:-1], raw[-1], names

    def first(self, conn, params: dict | None = None):
        cursor = self.execute(conn, params)
        row = cursor.fetchone()
        cursor.close()
        return row

    def load_one(self, session: Session, entity, params: dict | None = None):
        """The one instance of `entity` (a mapped class) the statement finds, or None: the statement
        selects the columns of the entity's table, in their order (`select(*Entity.__table__.c)`,
        with `raw=True`). The instance is made as a query of the session's would load it (each
        column's type converting its value, no change pending) and is persistent in the session;
        one the session already holds is returned as it is. It costs a fifth of SQLAlchemy's ORM
        query (its compiled cache, execution context and loading, some 0.4 ms of CPU on a slow
        host), which the API's token read paid on every request (issue 24)."""
        from sqlalchemy import inspect
        from sqlalchemy.orm import make_transient_to_detached
        from sqlalchemy.orm.attributes import set_committed_value

        conn = session.connection()
        row = self.first(conn, params)
        if row is None:
            return None
        mapper = inspect(entity)
        loader = self._loaders.get((conn.dialect.name, mapper))
        if loader is None:
            loader = self._loaders[(conn.dialect.name, mapper)] = self._loader(conn.dialect, mapper)
        attributes, primary = loader
        values = [process(value) if process else value for (_, process), value in zip(attributes, row, strict=True)]
        held = session.identity_map.get(mapper.identity_key_from_primary_key([values[i] for i in primary]))
        if held is not None:
            return held
        instance = mapper.class_manager.new_instance()
        for (key, _), value in zip(attributes, values, strict=True):
            set_committed_value(instance, key, value)
        make_transient_to_detached(instance)
        session.add(instance)
        return instance

    def _loader(self, dialect, mapper) -> tuple[list, list[int]]:
        """For load_one: each selected column's (attribute, result processor), and the primary key's
        positions. The mappers are configured first (a fresh process's first request may come before
        anything else has: the instance's attributes would not be instrumented yet)."""
        from sqlalchemy.orm import configure_mappers

        configure_mappers()
        table = mapper.local_table
        selected = list(self.statement.selected_columns)
        if [c.key for c in selected] != [c.key for c in table.c] or any(c.table is not table for c in selected):
            raise TypeError(f"load_one takes a statement selecting {table.name}'s columns, in their order")
        attributes = [(mapper.get_property_by_column(column).key,
                       column.type.dialect_impl(dialect).result_processor(dialect, None)) for column in table.c]
        primary = [list(table.c).index(column) for column in mapper.primary_key]
        return attributes, primary

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


def disconnected(conn, error: Exception, sql: str, values) -> None:
    """If the driver's `error`, raised by a statement on `conn`'s connection (a Connection), says the
    server had ended that connection: the connection is invalidated (the pool replaces it), the
    pool's others returned before now are tested at their checkout (portal.db.server), and
    SQLAlchemy's DBAPIError is raised with `connection_invalidated`, as for a statement run through
    SQLAlchemy: a read may then be made again (portal.api.authenticate_request). Otherwise nothing."""
    from sqlalchemy.exc import DBAPIError

    from portal.db.server import connection_died

    dialect = conn.dialect
    if conn.invalidated or not dialect.is_disconnect(error, conn.connection.dbapi_connection, None):
        return
    conn.invalidate(error)
    connection_died(conn.engine)
    raise DBAPIError.instance(sql, values, error, dialect.loaded_dbapi.Error,
                              connection_invalidated=True, dialect=dialect) from error


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


def raw_cursor(conn):
    """A cursor of `conn`'s (a Connection's) psycopg connection taking PostgreSQL's numbered
    placeholders ($1) as they are: nothing to parse in the query (Prepared.values_many)."""
    from psycopg import RawCursor

    return RawCursor(conn.connection.driver_connection)


def in_pipeline(conn) -> bool:
    """Whether `conn` (a Connection) is in psycopg's pipeline mode (`pipelined`): statements are
    sent without waiting for the server, and COPY cannot be used."""
    return conn.dialect.name == "postgresql" and bool(conn.connection.driver_connection.info.pipeline_status)


@contextmanager
def pipelined(session: Session) -> Iterator[None]:
    """On PostgreSQL, the block's statements on the session's connection sent in psycopg's pipeline
    mode: a statement whose result is not read costs no wait for the server, a read (or the end of
    the block) sends what is queued and waits once for all (issue 25: the file import writes a
    group of cases' dozen tables in one round trip instead of one or two a table). Run only
    statements on the driver's cursor inside (Prepared, reserve_ids, raw cursors), never through
    SQLAlchemy's execution (it reads a result's columns before the server has answered); a
    failure is raised at the next read or at the block's end. Elsewhere, nothing changes."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        yield
        return
    with conn.connection.driver_connection.pipeline():
        yield


def _driver_integrity_errors() -> tuple[type[Exception], ...]:
    errors: list[type[Exception]] = [sqlite3.IntegrityError]
    try:
        import psycopg
    except ImportError:  # pragma: no cover - SQLite only
        pass
    else:
        errors.append(psycopg.IntegrityError)
    return tuple(errors)


# a constraint violated by a statement run on the driver's cursor (Prepared, COPY, a pipeline):
# SQLAlchemy does not wrap these in its IntegrityError
DRIVER_INTEGRITY_ERRORS = _driver_integrity_errors()


def reserve_ids_many(conn, wanted: dict) -> dict:
    """reserve_ids for several tables ({table: n}) at once: one statement on PostgreSQL; the ids of
    each table, in the order asked."""
    wanted = {table: n for table, n in wanted.items() if n > 0}
    if conn.dialect.name != "postgresql" or len(wanted) < 2:
        return {table: reserve_ids(conn, table, n) for table, n in wanted.items()}
    parts, params = [], []
    for table, n in wanted.items():
        parts.append("array(SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s) ORDER BY 1)")
        params += [table.name, n]
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute("SELECT " + ", ".join(parts), params)  # noqa: S608 (placeholders only)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return {table: list(ids) for table, ids in zip(wanted, row, strict=True)}


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
