"""Registration numbers CC-YYYY-NNNNNN: one counter row per country and year, incremented in the
intake's own transaction with UPDATE … RETURNING (the row lock serialises concurrent intakes on
PostgreSQL, the write lock on SQLite), and a unique constraint on the number behind it."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casemgmt.models import CaseCounter
from portal.db import Prepared


def format_number(country_code: str, year: int, sequence: int) -> str:
    return f"{country_code}-{year:04d}-{sequence:06d}"


_COUNTERS = CaseCounter.__table__
# on the table, not the mapped class: the statement skips the ORM's bookkeeping (it runs under the write lock)
_INCREMENT = Prepared(update(_COUNTERS).where(_COUNTERS.c.country_code == bindparam("cc"), _COUNTERS.c.year == bindparam("y"))
              .values(last_number=_COUNTERS.c.last_number + 1).returning(_COUNTERS.c.last_number))


_RESERVE = Prepared(update(_COUNTERS).where(_COUNTERS.c.country_code == bindparam("cc"), _COUNTERS.c.year == bindparam("y"))
            .values(last_number=_COUNTERS.c.last_number + bindparam("n")).returning(_COUNTERS.c.last_number))


def _increment(session: Session, country_code: str, year: int, n: int = 1) -> int | None:
    if n == 1:
        return _INCREMENT.scalar(session.connection(), {"cc": country_code, "y": year})
    return _RESERVE.scalar(session.connection(), {"cc": country_code, "y": year, "n": n})


def reserve_sequences(session: Session, country_code: str, year: int, n: int) -> int:
    """N consecutive numbers of the country's year in one update of its counter (the file import's
    batch); the first of them. Kept only if the caller's transaction commits."""
    return next_sequence(session, country_code, year, n) - n + 1


def next_sequence(session: Session, country_code: str, year: int, n: int = 1) -> int:
    """The next number of the country's year (with `n`, the last of the next n); kept only if the
    caller's transaction commits."""
    value = _increment(session, country_code, year, n)
    if value is None:
        # The first case of the year: create the row; a concurrent intake may win the race, which
        # the unique constraint turns into an IntegrityError we step over.
        try:
            with session.begin_nested():
                session.execute(insert(CaseCounter).values(country_code=country_code, year=year, last_number=0))
        except IntegrityError:
            pass
        value = _increment(session, country_code, year, n)
    if value is None:  # pragma: no cover - the row exists by now
        raise RuntimeError("case counter row missing")
    return value


def next_registration_number(session: Session, country_code: str, year: int) -> tuple[int, str]:
    seq = next_sequence(session, country_code, year)
    return seq, format_number(country_code, year, seq)
