"""Registration numbers CC-YYYY-NNNNNN: one counter row per country and year, incremented in the
intake's own transaction with UPDATE … RETURNING (the row lock serialises concurrent intakes on
PostgreSQL, the write lock on SQLite), and a unique constraint on the number behind it.

The numbers have no gaps (a number is kept only if its case is), so the counter's row stays locked
from the increment to the commit. On PostgreSQL a new case is therefore written with a provisional
number and given its own as the last thing before the commit (`begin_numbering`, `number_with_document`):
the next intake waits for that commit only, not for all of this one's work (issue 24, item 3)."""

from __future__ import annotations

from sqlalchemy import (
    DateTime,
    Integer,
    String,
    bindparam,
    cast,
    exists,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casemgmt.models import Case, CaseCounter, CaseSearchDoc
from casemgmt.services.search_index import number_parts
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


def _numbered_case_with_document():
    """PostgreSQL: the counter's increment, the case's number and the new case's search document in
    one statement (updated_at is left as it was: no onupdate). The document (search_index.number_parts)
    is completed with the number's digits by the database, so that the intake's tail sends it in the
    round trip that numbers the case and reserves the audit chain's numbers (casemgmt/services/
    intake.py). The year's first case makes the counter's row (m): if another intake makes it at the
    same moment, this one waits for that one's commit there, holding no other row of the tail."""
    where = (_COUNTERS.c.country_code == bindparam("cc"), _COUNTERS.c.year == bindparam("y"))
    n = update(_COUNTERS).where(*where).values(last_number=_COUNTERS.c.last_number + 1).returning(
        _COUNTERS.c.last_number).cte("n")
    made = pg_insert(_COUNTERS).from_select(
        ["country_code", "year", "last_number"],
        select(bindparam("cc", type_=String), bindparam("y", type_=Integer), literal(1, Integer))
        .where(~exists(select(n.c.last_number))))
    m = made.on_conflict_do_update(index_elements=["country_code", "year"],
                                   set_={"last_number": _COUNTERS.c.last_number + 1}).returning(
        _COUNTERS.c.last_number).cte("m")
    taken = union_all(select(n.c.last_number), select(m.c.last_number)).cte("taken")
    digits = cast(taken.c.last_number, String)
    number = bindparam("prefix", type_=String) + func.lpad(digits, func.greatest(6, func.length(digits)), "0")
    c = (update(_CASES).where(_CASES.c.id == bindparam("id"))
         .values(sequence=taken.c.last_number, registration_number=number, updated_at=_CASES.c.updated_at)
         .returning(_CASES.c.id, _CASES.c.country_code, _CASES.c.sequence, _CASES.c.registration_number).cte("c"))
    own = func.substr(c.c.registration_number, func.length(bindparam("prefix", type_=String)) + 1)  # its digits
    key = bindparam("key", type_=String) + own
    text = func.concat_ws(" ", bindparam("head", type_=String) + own, func.nullif(bindparam("body", type_=String), ""), key,
                          func.nullif(func.array_to_string(func.array_remove(
                              bindparam("extra", type_=ARRAY(String)), key), " "), ""))
    docs = CaseSearchDoc.__table__
    document = (insert(docs).from_select(["case_id", "country_code", "text", "updated_at"],
                                         select(c.c.id, c.c.country_code, text,
                                                bindparam("at", type_=DateTime(timezone=True))))
                .cte("d"))
    return Prepared(select(c.c.sequence, c.c.registration_number).add_cte(document))


_NUMBER_CASE_WITH_DOCUMENT = _numbered_case_with_document()


def _late(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def begin_numbering(session: Session, case) -> None:
    """Before a new case (not yet written) is inserted: its number. On SQLite the real one, as the
    write lock taken at BEGIN serialises intakes whatever the order. On PostgreSQL a provisional one
    (`CC-YYYY-P<pid>`, sequence -pid: unique among the transactions in progress, as the database
    session's process id is, so concurrent intakes never wait on each other's unique index entries),
    replaced by `number_with_document` before the commit."""
    if not _late(session):
        case.sequence, case.registration_number = next_registration_number(session, case.country_code, case.year)
        return
    pid = session.connection().connection.driver_connection.info.backend_pid
    case.sequence, case.registration_number = -pid, f"{case.country_code}-{case.year:04d}-P{pid}"


def number_with_document(session: Session, case, document: tuple):
    """PostgreSQL, after everything else the intake writes but its audit entries, in a pipeline
    (portal.db.prepared.pipelined): the case (written with `begin_numbering`'s number) takes the
    counter's next number, and its search document (`document`: search_index.document_parts) is
    written with it, in one statement sent and not waited for; `read_number` reads it. The
    counter's row is locked from here to the commit."""
    params = {"cc": case.country_code, "y": case.year, "id": case.id, "prefix": _prefix(case),
              "at": case.created_at, **number_parts(_prefix(case), document)}
    return _NUMBER_CASE_WITH_DOCUMENT.execute(session.connection(), params)


def read_number(session: Session, case, cursor) -> None:
    """The number `number_with_document` gave the case (its cursor), set on it."""
    row = cursor.fetchone()
    cursor.close()
    if row is None:  # pragma: no cover - the case was inserted in this transaction
        raise RuntimeError(f"case {case.id} is missing")
    case.sequence, case.registration_number = row


def _prefix(case) -> str:
    return f"{case.country_code}-{case.year:04d}-"
