"""The key index in the database: writing subjects with their keys in bulk, and the two reads the
matcher needs (records under keys, capped per key; records by id), as plain indexed queries that
run the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from casemgmt.crosscheck.birthdates import BirthDate
from casemgmt.crosscheck.keys import Identifier, Subject, record_keys
from casemgmt.crosscheck.models import IndexedSubject, MatchKey
from casemgmt.crosscheck.normalise import NameForm

CHUNK = 5000
MMAP_BYTES = 4 << 30


def encode_identifiers(identifiers: Sequence[Identifier]) -> str:
    return ";".join(f"{i.type}={i.value}:{i.country or ''}" for i in identifiers)


def decode_identifiers(text: str | None) -> tuple[Identifier, ...]:
    out = []
    for part in (text or "").split(";"):
        if not part:
            continue
        kind, _, rest = part.partition("=")
        value, _, country = rest.rpartition(":")
        out.append(Identifier(kind, value, country or None))
    return tuple(out)


def subject_row(subject: Subject, *, country: str, origin: str, dataset_id=None, case_id=None,
                raw: dict | None = None) -> dict:
    """The column values of one subject (without id)."""
    return {
        "country_code": country,
        "origin": origin,
        "dataset_id": dataset_id,
        "case_id": case_id,
        "ref": subject.ref,
        "display": subject.display[:300],
        "names": subject.name.encode() if subject.name else None,
        "birth": subject.birth.key() if subject.birth else None,
        "birth_placeholder": bool(subject.birth and subject.birth.placeholder),
        "nationality": subject.nationality,
        "identifiers": encode_identifiers(subject.identifiers),
        "raw": raw or {},
    }


def subject_from_columns(id_, ref, display, names, birth, placeholder, nationality, identifiers,
                         origin=None, dataset_id=None, case_id=None) -> Subject:
    return Subject(
        name=NameForm.decode(names) if names else None,
        birth=BirthDate.from_key(birth, bool(placeholder)),
        nationality=nationality,
        identifiers=decode_identifiers(identifiers),
        display=display or "",
        ref=ref,
        id=id_,
        extra={"origin": origin, "dataset_id": dataset_id, "case_id": case_id},
    )


def canonical_words(names: str | None) -> list[str]:
    """The ICAO spelling of each word of an encoded name (NameForm.encode), without decoding it."""
    if not names:
        return []
    return [w.partition("|")[0] for w in names.replace("/", " ").split(" ") if w]


class _Raw:
    """The session's DBAPI connection with the driver's parameter style (? for SQLite, %s for psycopg)."""

    def __init__(self, session: Session):
        connection = session.connection()
        self.dialect = connection.dialect.name
        self.dbapi = connection.connection.dbapi_connection
        self.mark = "?" if self.dialect == "sqlite" else "%s"

    def marks(self, n: int) -> str:
        return ", ".join([self.mark] * n)


def _next_ids(raw: _Raw, session: Session, n: int) -> Iterator[int]:
    """n fresh subject ids: from the sequence on PostgreSQL; on SQLite the writer holds the lock."""
    if raw.dialect == "postgresql":
        cur = raw.dbapi.cursor()
        cur.execute("SELECT nextval(pg_get_serial_sequence('xc_subjects', 'id')) FROM generate_series(1, %s)",
                    (n,))
        ids = [r[0] for r in cur.fetchall()]
        cur.close()
        return iter(ids)
    cur = raw.dbapi.cursor()
    start = (cur.execute("SELECT max(id) FROM xc_subjects").fetchone()[0] or 0) + 1
    cur.close()
    return iter(range(start, start + n))


_SUBJECT_COLUMNS = ("id", "country_code", "origin", "dataset_id", "case_id", "ref", "display", "names", "birth",
                    "birth_placeholder", "nationality", "identifiers", "raw")


def write_subjects(session: Session, rows: Iterable[tuple[Subject, dict]], *, country: str, origin: str,
                   dataset_id: int | None = None, case_id: int | None = None,
                   on_chunk=None, keys_of=record_keys, case_id_of=None, ids_out: list | None = None,
                   ids: Iterator[int] | None = None, read: tuple[str, list] | None = None,
                   read_out: list | None = None) -> int:
    """Insert subjects and their keys in chunks (executemany; COPY on PostgreSQL). Returns the count.

    `rows` yields (subject, raw values); `on_chunk(n)` is called after each chunk (progress bars);
    `keys_of(subject)` gives its keys (the intake works them out before it takes the write lock);
    `case_id_of(subject)`: each subject's case, when they belong to several (a batch of imported
    cases); `ids_out` receives the new subjects' ids, in order; `ids`, ids reserved for them
    already (portal.db.reserve_ids_many), taken in order (else they are taken here). `read`, on
    PostgreSQL only: a SELECT (text, parameters) whose rows are appended to `read_out`, run in the
    statement writing the first subject when they are few (the intake: one round trip less; issue
    24), else on its own."""
    raw = _Raw(session)
    session.flush()
    total = 0
    buffer: list[tuple[Subject, dict]] = []

    def flush_buffer():
        nonlocal total, read
        if not buffer:
            return
        # a handful on PostgreSQL (an intake): one statement a subject; else ids reserved, then in bulk
        few = ids is None and raw.dialect == "postgresql" and len(buffer) <= FEW
        new_ids = iter(()) if few else iter(ids if ids is not None else _next_ids(raw, session, len(buffer)))
        subject_rows = []
        key_rows = []
        for subject, values in buffer:
            row = subject_row(subject, country=country, origin=origin, dataset_id=dataset_id,
                              case_id=case_id if case_id_of is None else case_id_of(subject), raw=values)
            row["raw"] = json.dumps(row["raw"], ensure_ascii=False, separators=(",", ":"))
            if few:
                new_id = _insert_subject_pg(raw, row, sorted(keys_of(subject)), read, read_out)
                read = None
            else:
                row["id"] = new_id = next(new_ids)
                subject_rows.append(tuple(row[c] for c in _SUBJECT_COLUMNS))
                key_rows.extend((country, kt, kv, new_id) for kt, kv in keys_of(subject))
            if ids_out is not None:
                ids_out.append(new_id)
        key_rows.sort()
        _insert(raw, "xc_subjects", _SUBJECT_COLUMNS, subject_rows)
        _insert(raw, "xc_keys", ("country_code", "key_type", "key_value", "subject_id"), key_rows)
        total += len(buffer)
        if on_chunk:
            on_chunk(len(buffer))
        buffer.clear()

    for item in rows:
        buffer.append(item)
        if len(buffer) >= CHUNK:
            flush_buffer()
    flush_buffer()
    if read is not None:  # not run along a subject's statement
        read_out.extend(_read_alone(raw, read))
    return total


def _read_alone(raw: _Raw, read: tuple[str, list]) -> list[tuple]:
    cur = raw.dbapi.cursor()
    try:
        cur.execute(*read)
        return cur.fetchall()
    finally:
        cur.close()


FEW = 4  # subjects from which a chunk is copied (a case's intake has one or two)
_PG_SUBJECT_AND_KEYS = (
    f"WITH s AS (INSERT INTO xc_subjects ({', '.join(_SUBJECT_COLUMNS[1:])}) "  # noqa: S608 (constants only)
    f"VALUES ({', '.join(['%s'] * (len(_SUBJECT_COLUMNS) - 2))}, %s::json) RETURNING id), "
    "k AS (INSERT INTO xc_keys (country_code, key_type, key_value, subject_id) "
    "SELECT %s, q.kt, q.kv, s.id FROM s, unnest(%s::text[], %s::text[]) AS q(kt, kv)) ")


def _insert_subject_pg(raw: _Raw, row: dict, keys: list[tuple[str, str]], read: tuple[str, list] | None = None,
                       read_out: list | None = None) -> int:
    """PostgreSQL: one subject and its keys in one statement, its id from the column's default: one
    round trip where the id's `nextval` and two COPYs took five (the intake's cross-check; issue 24).
    With `read` (SQL, parameters), that SELECT's rows too (into `read_out`), each beside the id:
    the subject's row joined to them, alone with NULLs when they have none."""
    params = [*(row[c] for c in _SUBJECT_COLUMNS[1:]), row["country_code"], [k[0] for k in keys],
              [k[1] for k in keys]]
    if read is None:
        sql = _PG_SUBJECT_AND_KEYS + "SELECT id FROM s"  # noqa: S608 (constants only)
    else:
        # the caller's SELECT: a constant of its module, its values as parameters
        sql = f"{_PG_SUBJECT_AND_KEYS}SELECT s.id, r.* FROM s LEFT JOIN ({read[0]}) AS r ON true"  # noqa: S608
        params += read[1]
    cur = raw.dbapi.cursor()
    try:
        cur.execute(sql, params)
        rows = cur.fetchall()
    finally:
        cur.close()
    if read is not None:  # the subject's row alone, its columns NULL, when the SELECT has none
        read_out.extend(r[1:] for r in rows if any(v is not None for v in r[1:]))
    return rows[0][0]


def _insert(raw: _Raw, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    if not rows:
        return
    cur = raw.dbapi.cursor()
    try:
        if raw.dialect == "postgresql" and not raw.dbapi.info.pipeline_status:  # COPY: not in a pipeline
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # table and columns are this module's constants, never input
            cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({raw.marks(len(columns))})",  # noqa: S608
                            rows)
    finally:
        cur.close()


def delete_subjects(session: Session, subject_ids: Sequence[int]) -> None:
    """Delete a few subjects and their keys (the keys found again from the stored record)."""
    if not subject_ids:
        return
    for sid in subject_ids:
        row = session.get(IndexedSubject, sid)
        if row is None:
            continue
        subject = subject_from_columns(row.id, row.ref, row.display, row.names, row.birth, row.birth_placeholder,
                                       row.nationality, row.identifiers)
        for kt, kv in record_keys(subject):
            session.execute(delete(MatchKey).where(MatchKey.country_code == row.country_code,
                                                   MatchKey.key_type == kt, MatchKey.key_value == kv,
                                                   MatchKey.subject_id == sid))
        session.delete(row)
    session.flush()


def delete_dataset_subjects(session: Session, dataset_id: int) -> None:
    """Delete every subject of a data set and its keys (one scan of the key table)."""
    ids = select(IndexedSubject.id).where(IndexedSubject.dataset_id == dataset_id)
    session.execute(delete(MatchKey).where(MatchKey.subject_id.in_(ids)))
    session.execute(delete(IndexedSubject).where(IndexedSubject.dataset_id == dataset_id))


_PG_LOOKUP = """
SELECT k.key_type, k.key_value, k.subject_id
FROM unnest(%(types)s::text[], %(values)s::text[]) AS q(kt, kv)
CROSS JOIN LATERAL (
    SELECT key_type, key_value, subject_id FROM xc_keys
    WHERE country_code = %(country)s AND key_type = q.kt AND key_value = q.kv LIMIT %(limit)s
) AS k"""
_SUBJECT_COLUMNS_READ = ("id, ref, display, names, birth, birth_placeholder, nationality, identifiers, origin, "
                         "dataset_id, case_id")
_SUBJECT_SELECT = f"SELECT {_SUBJECT_COLUMNS_READ} FROM xc_subjects"  # noqa: S608 (constants only)
# _PG_LOOKUP (in its order) with the columns of each record `fetch` will read, once (on the first
# row naming it under a key of at most `limit` - 1 records, search's cap; matching._candidates),
# NULL on the other rows. Each join a LATERAL with its own LIMIT: an index lookup whatever the
# planner's estimates.
_PG_LOOKUP_READ = f"""
SELECT k.kt, k.kv, k.subject_id, s.*
FROM (SELECT q.i, q.kt, q.kv, x.subject_id, x.n < %(limit)s AND row_number() OVER (
          PARTITION BY x.subject_id, x.n < %(limit)s ORDER BY q.i) = 1 AS first_read
      FROM unnest(%(types)s::text[], %(values)s::text[]) WITH ORDINALITY AS q(kt, kv, i)
      CROSS JOIN LATERAL (
          SELECT subject_id, count(*) OVER () AS n FROM (
              SELECT subject_id FROM xc_keys
              WHERE country_code = %(country)s AND key_type = q.kt AND key_value = q.kv
              ORDER BY subject_id LIMIT %(limit)s) AS y
      ) AS x) AS k
LEFT JOIN LATERAL (
    SELECT {_SUBJECT_COLUMNS_READ} FROM xc_subjects WHERE id = k.subject_id AND k.first_read LIMIT 1
) AS s ON true
ORDER BY k.i, k.subject_id"""  # noqa: S608 (constants only)


class SqlIndex:
    """The CandidateIndex over the database tables (see matching.search)."""

    def __init__(self, session: Session, *, origins: Sequence[str] | None = None,
                 skip_datasets: set[int] | frozenset[int] = frozenset(), read_ahead: bool = False):
        """For the session's current transaction (it keeps the driver's connection); the records of
        `skip_datasets` (expired reference data sets) are never returned. `read_ahead`: on
        PostgreSQL a lookup brings the columns of the records under its keys of at most `cap`
        records, and `fetch` reads those from it: one statement a search instead of two (the
        intake's cross-check; issue 24)."""
        self.session = session
        self.origins = origins
        self.skip_datasets = skip_datasets
        self.read_ahead = read_ahead
        self._ahead: dict[int, tuple] = {}  # a lookup's records read ahead, by id
        raw = self._raw = _Raw(session)
        info = session.connection().connection.info  # lives as long as the driver's connection
        if raw.dialect == "sqlite" and not info.get("xc_mmap"):
            # Read the index through memory-mapped pages: a lookup is a handful of B-tree pages,
            # and without the map each page is a read() call. Once per connection.
            cur = raw.dbapi.cursor()
            cur.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            cur.close()
            info["xc_mmap"] = True

    def lookup(self, country: str, keys: Sequence[tuple[str, str]], cap: int) -> dict[tuple[str, str], list[int]]:
        if not keys:
            return {}
        raw = self._raw
        if raw.dialect == "postgresql":
            return self._lookup_pg(raw, country, keys, cap)
        self._ahead = {}
        m = raw.mark
        part = (f"SELECT * FROM (SELECT key_type, key_value, subject_id FROM xc_keys WHERE country_code = {m} "  # noqa: S608 (placeholders only)
                f"AND key_type = {m} AND key_value = {m} LIMIT {int(cap) + 1}) AS k")
        sql = " UNION ALL ".join([part] * len(keys))
        params: list = []
        for kt, kv in keys:
            params += [country, kt, kv]
        cur = raw.dbapi.cursor()
        cur.execute(sql, params)
        found: dict[tuple[str, str], list[int]] = {}
        for kt, kv, sid in cur.fetchall():
            found.setdefault((kt, kv), []).append(sid)
        cur.close()
        return found

    def _lookup_pg(self, raw: _Raw, country: str, keys, cap: int) -> dict[tuple[str, str], list[int]]:
        """One statement whatever the number of keys (the driver prepares it once): the keys as two
        arrays, each looked up with its own LIMIT (and, read ahead, the records' columns)."""
        cur = raw.dbapi.cursor()
        cur.execute(_PG_LOOKUP_READ if self.read_ahead else _PG_LOOKUP,
                    {"country": country, "limit": int(cap) + 1, "types": [k[0] for k in keys],
                     "values": [k[1] for k in keys]})
        found: dict[tuple[str, str], list[int]] = {}
        ahead = self._ahead = {}
        for row in cur.fetchall():
            found.setdefault((row[0], row[1]), []).append(row[2])
            if len(row) > 3 and row[3] is not None:
                ahead[row[3]] = row[3:]
        cur.close()
        return found

    def fetch(self, ids: Sequence[int], plausible=None) -> dict[int, Subject]:
        """The records of `ids` (of the last lookup's), as `rows` and `subjects`; those the lookup
        read ahead are not read again."""
        ahead = self._ahead
        missing = [i for i in ids if i not in ahead]
        if len(missing) == len(ids):
            return self.subjects(self.rows(ids), plausible)
        rows = [ahead[i] for i in ids if i in ahead] + self.rows(missing)
        return self.subjects(sorted(rows, key=lambda row: row[0]), plausible)

    def rows(self, ids: Sequence[int]) -> list[tuple]:
        """The stored columns of these subjects (_SUBJECT_SELECT), in one statement."""
        if not ids:
            return []
        raw = self._raw
        if raw.dialect == "postgresql":
            sql, params = f"{_SUBJECT_SELECT} WHERE id = ANY(%s)", [list(ids)]
        else:
            sql, params = f"{_SUBJECT_SELECT} WHERE id IN ({raw.marks(len(ids))})", list(ids)
        cur = raw.dbapi.cursor()
        cur.execute(sql, params)
        rows = cur.fetchall()
        cur.close()
        return rows

    def subjects(self, rows: Sequence[tuple], plausible=None) -> dict[int, Subject]:
        """The subjects of stored rows (rows) that may be returned: not of another origin or of an
        expired data set, and plausible (see matching.search)."""
        out = {}
        for row in rows:
            if self.origins is not None and row[8] not in self.origins:
                continue
            if row[9] is not None and row[9] in self.skip_datasets:
                continue
            if plausible is not None and not plausible(row[0], row[4], canonical_words(row[3]), bool(row[7])):
                continue
            out[row[0]] = subject_from_columns(*row)
        return out


__all__ = ["write_subjects", "delete_subjects", "delete_dataset_subjects", "SqlIndex", "subject_row",
           "encode_identifiers", "decode_identifiers", "subject_from_columns"]
