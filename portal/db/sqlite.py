"""SQLite's tuning: its engines (write-ahead log, pragmas, BEGIN emitted by SQLAlchemy), a writer's
BEGIN IMMEDIATE waiting for the write lock in fine steps, a request's read snapshot let go as a
writer begins, and index hints written into its FROM clause."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool


def _sqlite_index_hints() -> None:
    """`select(...).with_hint(table, "INDEXED BY ix_name", "sqlite")` written into SQLite's FROM clause
    (SQLAlchemy's SQLite compiler drops FROM hints): where SQLite's planner prefers an index that reads
    every row to a covering partial one (casemgmt/dashboard.py). Other databases ignore a sqlite hint."""
    from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

    SQLiteCompiler.get_from_hint_text = lambda self, table, text: text


_sqlite_index_hints()


def sqlite_engine(url: str, immediate: bool) -> Engine:
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
            _begin_immediate(conn.connection.dbapi_connection, patient=getattr(_yielding, "on", False))
        else:  # on the driver: SQLAlchemy's execution path costs more than SQLite's BEGIN, on every request
            conn.connection.dbapi_connection.execute("BEGIN")

    return engine


WRITE_LOCK_WAIT = 30.0  # seconds a writer waits for SQLite's write lock before giving up
WRITE_LOCK_POLL = 0.00025  # the longest step while the wait is short: an intake holds the lock ~2 ms


YIELDING_STEP = 0.01  # a yielding writer's step while the lock is taken: longer than any other writer's


_yielding = threading.local()


@contextmanager
def yielding_writer() -> Iterator[None]:
    """The block's SQLite write transactions (on this thread) let every other writer go first: when
    the write lock is taken they try again only every YIELDING_STEP, longer than the steps of a
    writer waiting in `_begin_immediate` (at most 5 ms), so each officer's intake waiting for the
    lock gets it before them. The file import runs so (issue 25): a transaction of it that found an
    intake holding the lock used to get it back first (its steps were a quarter millisecond) and a
    second waiting intake then waited a whole batch more."""
    before = getattr(_yielding, "on", False)
    _yielding.on = True
    try:
        yield
    finally:
        _yielding.on = before


def _begin_immediate(raw, patient: bool = False) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock in steps of a quarter millisecond at first. SQLite's own
    busy handler sleeps 1, 2, 5, 10 … 100 ms between attempts: with many short write transactions
    (the intake holds the lock ~2 ms) the lock then stands free while every waiter sleeps, and
    throughput falls by half (bench/intake.py). `patient` (yielding_writer): steps of YIELDING_STEP."""
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
            time.sleep(YIELDING_STEP if patient else delay)
    finally:
        raw.execute("PRAGMA busy_timeout=30000")


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
