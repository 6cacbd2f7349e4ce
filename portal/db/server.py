"""The engine of a database server (PostgreSQL): its pool, and when a pooled connection is tested."""

from __future__ import annotations

import time
import weakref

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

PING_AFTER = 5.0  # seconds a pooled server connection may stay unused before its checkout tests it
RECYCLE_AFTER = 1800  # seconds after which a pooled server connection is replaced
# per engine: when a connection was last found dead (those returned to the pool before it are tested)
_DEAD_SINCE: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()


def server_engine(url: str) -> Engine:
    """PostgreSQL: a pool whose connections are tested at checkout only when they sat unused for
    PING_AFTER seconds. `pool_pre_ping` tested every checkout, a round trip each (two an API intake;
    issue 24). A connection that died within those seconds fails its request's first statement: the
    pool is then invalidated (SQLAlchemy's disconnect handling), the API's authentication reads the
    token again on a new connection (portal.api.authenticate_request), and a write that fails is
    answered with an error, never acknowledged (nothing is committed on a dead connection)."""
    from sqlalchemy import exc

    engine = create_engine(url, pool_size=10, max_overflow=20, pool_recycle=RECYCLE_AFTER)
    _DEAD_SINCE[engine] = 0.0  # a connection found dead: those returned to the pool before it are tested too

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn, record, _proxy):
        since = record.info.pop("idle_since", None)
        now = time.monotonic()
        if since is None or (now - since < PING_AFTER and since > _DEAD_SINCE.get(engine, 0.0)):
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as error:  # the pool replaces it and tries another
            _DEAD_SINCE[engine] = now
            raise exc.DisconnectionError() from error

    return engine


def connection_died(engine: Engine) -> None:
    """A connection of `engine`'s pool was found dead outside SQLAlchemy's execution (a statement on
    the driver's cursor, portal.db.prepared): the pool's others returned before now are tested at
    their checkout (PostgreSQL ended them all at once: a restart, a failover), as when a checkout's
    test fails."""
    if engine in _DEAD_SINCE:
        _DEAD_SINCE[engine] = time.monotonic()
