"""Database layer: engines, sessions, the declarative Base, UTC datetimes; SQLite's tuning in
portal/db/sqlite.py, prepared statements in portal/db/prepared.py (both part of this API)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from portal.db.prepared import (
    COPY_FROM,
    DRIVER_INTEGRITY_ERRORS,
    Prepared,
    in_pipeline,
    one_of,
    pipelined,
    reserve_ids,
    reserve_ids_many,
)
from portal.db.server import server_engine
from portal.db.sqlite import end_read_transaction, sqlite_engine, yielding_writer

__all__ = ["COPY_FROM", "DRIVER_INTEGRITY_ERRORS", "Base", "Database", "EnumText", "Prepared", "UTCDateTime",
           "end_read_transaction", "get_db", "get_read_session", "get_session", "in_pipeline", "init_app", "new_object",
           "one_of", "pipelined", "reserve_ids", "reserve_ids_many", "utcnow", "yielding_writer"]

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


class Database:
    """One app's engines and session factories: `read` for safe requests, `write` for the others."""

    def __init__(self, url: str, audit_key: str = ""):
        self.url = url
        # the audit chain's sealing key travels with the sessions (portal.audit), never into the database
        info = {"audit_key": audit_key} if audit_key else {}
        self.info = info  # what every session of this database carries in session.info (also: the app's registry)
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = sqlite_engine(url, immediate=False)
            self.write_engine = (
                self.engine if url in ("sqlite://", "sqlite:///:memory:") else sqlite_engine(url, True)
            )
        else:
            self.engine = server_engine(url)
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


