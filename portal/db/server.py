"""The engine of a database server (PostgreSQL): its pool, and when a pooled connection is tested."""

from __future__ import annotations

import time

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

PING_AFTER = 5.0  # seconds a pooled server connection may stay unused before its checkout tests it
RECYCLE_AFTER = 1800  # seconds after which a pooled server connection is replaced


def server_engine(url: str) -> Engine:
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
