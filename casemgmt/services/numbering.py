"""Registration numbers CC-YYYY-NNNNNN: one counter row per country and year, incremented in the
intake's own transaction with UPDATE … RETURNING (the row lock serialises concurrent intakes on
PostgreSQL, the write lock on SQLite), and a unique constraint on the number behind it.

The numbers have no gaps (a number is kept only if its case is), so the counter's row stays locked
from the increment to the commit. On PostgreSQL a new case is therefore written with a provisional
number and given its own as the last thing before the commit (`begin_numbering`, `finish_numbering`):
the next intake waits for that commit only, not for all of this one's work (issue 24, item 3)."""

from __future__ import annotations

from sqlalchemy import String, bindparam, cast, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casemgmt.models import Case, CaseCounter
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


_CASES = Case.__table__


def _numbered_case():
    """PostgreSQL: the counter's increment and the case's number in one statement (one round trip
    while the counter's row is locked). updated_at is left as it was (no onupdate)."""
    n = (update(_COUNTERS).where(_COUNTERS.c.country_code == bindparam("cc"), _COUNTERS.c.year == bindparam("y"))
         .values(last_number=_COUNTERS.c.last_number + 1).returning(_COUNTERS.c.last_number).cte("n"))
    digits = cast(n.c.last_number, String)
    number = bindparam("prefix", type_=String) + func.lpad(digits, func.greatest(6, func.length(digits)), "0")
    return Prepared(update(_CASES).where(_CASES.c.id == bindparam("id"))
                    .values(sequence=n.c.last_number, registration_number=number, updated_at=_CASES.c.updated_at)
                    .returning(_CASES.c.sequence, _CASES.c.registration_number))


_NUMBER_CASE = _numbered_case()


def _late(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def begin_numbering(session: Session, case) -> None:
    """Before a new case (not yet written) is inserted: its number. On SQLite the real one, as the
    write lock taken at BEGIN serialises intakes whatever the order. On PostgreSQL a provisional one
    (`CC-YYYY-P<pid>`, sequence -pid: unique among the transactions in progress, as the database
    session's process id is, so concurrent intakes never wait on each other's unique index entries),
    replaced by `finish_numbering` before the commit."""
    if not _late(session):
        case.sequence, case.registration_number = next_registration_number(session, case.country_code, case.year)
        return
    pid = session.connection().connection.driver_connection.info.backend_pid
    case.sequence, case.registration_number = -pid, f"{case.country_code}-{case.year:04d}-P{pid}"


def finish_numbering(session: Session, case) -> None:
    """After everything else the intake writes, just before its audit entries and the commit: the
    case (written with `begin_numbering`'s number) takes the counter's next number (PostgreSQL; on
    SQLite it has it already). The counter's row lock is held from here to the commit only."""
    if not _late(session):
        return
    conn = session.connection()
    params = {"cc": case.country_code, "y": case.year, "id": case.id, "prefix": f"{case.country_code}-{case.year:04d}-"}
    row = _NUMBER_CASE.first(conn, params)
    if row is None:  # the first case of the year: create the counter's row (next_sequence's race), then again
        next_sequence(session, case.country_code, case.year, 0)
        row = _NUMBER_CASE.first(conn, params)
    if row is None:  # pragma: no cover - the case was inserted in this transaction
        raise RuntimeError(f"case {case.id} is missing")
    case.sequence, case.registration_number = row
