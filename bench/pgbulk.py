"""The PostgreSQL benchmark databases, built on the server (issue 24): fast enough for 10M exchanges.

bench/casedb.py generates each bulk case in Python and COPYs it (1M cases took ~45 min, with the log
and the counts); here the server generates them: `INSERT … SELECT … FROM generate_series` in chunks of
a million cases (one commit each), with the secondary indexes and the constraints other than the
primary keys dropped during the load and made again after it. The data are those of casedb's generator,
drawn with deterministic expressions (`hashint8extended` of the case's index) instead of Python's
`random`: the same demo data and busy folder (casedb's own functions), then N cases received over six
years before now (evenly spread, so in order of id), open if received in the last 30 days (every open
state) or for 0.5 % of the older ones, else closed (archived after three years); 15 % urgent; priority
1-5 weighted 5/15/30/40/10; 80 % assigned to one of the SPOC's officers; SIENA 3 in 4, else SIRENE; a
counterpart of six Member States; per case its exchange, its first message, its search document (and
its words, written by the documents' trigger) and its LED Art. 25 log entry.

The log entries are chained as portal.audit.record_many chains them (SHA-256 of the previous hash and
the entry's fields), computed here in Python over the registration numbers streamed back from the
server and COPYed; the head is updated and sealed with the app's key: `spoc audit verify` holds.
The statistics' counts are then rebuilt by casemgmt.services.counts.rebuild, as migration 0032 fills
them. Cached on the server as spoc_bench_<n>_<key>, the key covering GENERATION, casedb.py and the
migrations; a build that stops (a chunk, the log, the indexes) resumes where it stopped on the next call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import time

from casedb import COUNTRY, ROOT, _busy_folder, app_for

CHUNK = 1_000_000
SPAN = 6 * 365 * 86400
TABLES = ("cases", "case_exchanges", "case_messages", "case_search_docs", "audit_log")
COUNTERPARTS = ["DE", "FR", "NL", "LU", "PL", "IT"]
# bench/search.py's folders: a crime word of 40, a given name of 20, a surname of 20,000 (three syllables of
# twenty, a fourth for 2,000), so that the same searches find cases on both databases
# (and its two planted surnames, at the same places)
import search  # noqa: E402
from search import COMMON, COMMON_CASES, GIVEN, RARE, SYLLABLES, TOPICS, rare_index  # noqa: E402

GENERATION = 2  # raise it whenever what is generated here changes (the cached databases are then rebuilt)


def schema_key() -> str:
    """Changes with the migrations, casedb.py (the demo data, the busy folder), GENERATION and that of
    bench/search.py's documents."""
    h = hashlib.sha256(f"pgbulk {GENERATION} search {search.GENERATION}".encode())
    for f in (ROOT / "bench" / "casedb.py", *sorted((ROOT / "migrations" / "versions").glob("*.py"))):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def _u(k: int) -> str:
    """A uniform draw in [0, 1) for the generated row `g.i`, the k-th of its draws (deterministic)."""
    return f"((hashint8extended(g.i, {k}) & 2147483647)::float8 / 2147483648.0)"


def _literal(conn, column, value) -> str:
    """A Python-side column default as an SQL literal of the column's type."""
    from sqlalchemy import literal

    if callable(value):
        value = value(None)
    if hasattr(value, "value"):
        value = value.value
    if isinstance(value, list | dict):
        return "'" + json.dumps(value).replace("'", "''") + "'::json"
    if isinstance(value, dt.datetime):
        return "now()"
    return str(literal(value, type_=column.type).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))


def _insert(conn, table: str, exprs: dict[str, str], source: str, params: dict) -> None:
    """INSERT INTO table (the columns given, and those with a Python-side default) SELECT … source."""
    from sqlalchemy import text

    from casemgmt.models import Case

    columns = dict(exprs)
    for column in Case.metadata.tables[table].columns:
        if column.name not in columns and column.default is not None:
            columns[column.name] = _literal(conn, column, column.default.arg)
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns.values())} "  # noqa: S608
           f"{source}")
    conn.execute(text(sql), params)


def _case_exprs(n: int, now: int, officers: list[int]) -> tuple[dict, str]:
    from casemgmt.models import OPEN_STATUSES

    states = "ARRAY[" + ", ".join(f"'{s.value}'" for s in OPEN_STATUSES) + "]"
    seed = n % 1_000_003
    u = {k: _u(seed * 16 + k) for k in range(1, 10)}
    first_at = now - 3600 - SPAN + 1
    source = f"""FROM (SELECT g.i, g.at, g.year, extract(day FROM to_timestamp({now}) - g.at) AS age,
        {u[1]} AS u1, {u[2]} AS u2, {u[3]} AS u3, {u[4]} AS u4, {u[5]} AS u5, {u[6]} AS u6, {u[7]} AS u7,
        {u[8]} AS u8
      FROM (SELECT i, to_timestamp({first_at} + (i * {SPAN}) / {n}) AS at,
                   extract(year FROM to_timestamp({first_at} + (i * {SPAN}) / {n}) AT TIME ZONE 'UTC')::int AS year
            FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint) - 1) AS s(i)) AS g) AS r
      JOIN (SELECT * FROM json_to_recordset(CAST(:firsts AS json)) AS y(year int, first_i bigint)) AS y
        ON y.year = r.year
      CROSS JOIN LATERAL (SELECT
        CASE WHEN r.age < 30 OR r.u1 < 0.005 THEN ({states})[1 + floor(r.u2 * {len(OPEN_STATUSES)})::int]
             WHEN r.age > 3 * 365 THEN 'archived' ELSE 'closed' END AS status,
        r.u3 < 0.15 AS urgent,
        500000 + r.i - y.first_i + 1 AS seq) AS d"""  # noqa: S608 - our own expressions
    officer_pick = (f"CASE WHEN r.u5 < 0.8 THEN (ARRAY{officers}::int[])[1 + floor(r.u6 * {len(officers)})::int] END"
                    if officers else "NULL")
    hours = "CASE WHEN d.urgent THEN 8 ELSE 168 END"
    is_open = "d.status IN (" + ", ".join(f"'{s.value}'" for s in OPEN_STATUSES) + ")"
    exprs = {
        "id": ":first_id + r.i", "country_code": f"'{COUNTRY}'",
        "registration_number": f"'{COUNTRY}-' || r.year || '-' || d.seq", "year": "r.year", "sequence": "d.seq",
        "status": "d.status", "subject": "'Request ' || r.i || ' about a person check'", "direction": "'in'",
        "request_type": "'request'", "channel": "CASE WHEN r.u7 < 0.75 THEN 'SIENA' ELSE 'SIRENE' END",
        "counterpart_country": f"(ARRAY{COUNTERPARTS})[1 + floor(r.u8 * 6)::int]", "counterpart_type": "'spoc'",
        "language": "'en'", "received_at": "r.at", "urgent": "d.urgent", "urgency_ground": "NULL",
        "information_access": "'direct'", "crime_category": "'fraud'", "handling_text": "''",
        "priority": "CASE WHEN r.u4 < 0.05 THEN 1 WHEN r.u4 < 0.20 THEN 2 WHEN r.u4 < 0.50 THEN 3 "
                    "WHEN r.u4 < 0.90 THEN 4 ELSE 5 END",
        "priority_reasons": "'[]'::json", "priority_override_reason": "''", "limit_hours": hours,
        "due_at": f"r.at + make_interval(hours => {hours})", "paused_seconds": "0",
        "judicial_authorisation_pending": "false", "art5_2_deviation": "false",
        "replied_at": f"CASE WHEN {is_open} THEN NULL ELSE r.at + make_interval(hours => {hours} - 1) END",
        "answered": f"NOT ({is_open})", "refused": "false", "assignee_id": officer_pick,
        "created_at": "r.at", "updated_at": "r.at"}
    exprs["priority_computed"] = exprs["priority"]
    return exprs, source


def _year_firsts(n: int, now: int) -> str:
    """For each year the bulk cases span, the index of its first case (they are in order of receipt):
    the per-year sequence numbers count from there, above any number the demo or a test intake gives."""
    first_at = now - 3600 - SPAN + 1
    out = []
    for year in range(dt.datetime.fromtimestamp(first_at, dt.UTC).year, dt.datetime.fromtimestamp(now, dt.UTC).year + 1):
        start = int(dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp())
        out.append({"year": year, "first_i": max(0, -(-(start - first_at) * n // SPAN))})
    return json.dumps(out)


def _chunk(conn, n: int, lo: int, hi: int, now: int, ids: dict, officers: list[int], firsts: str) -> None:
    exprs, source = _case_exprs(n, now, officers)
    _insert(conn, "cases", exprs, source, {"lo": lo, "hi": hi, "first_id": ids["case"], "firsts": firsts})
    rng = "FROM cases c WHERE c.id >= :a AND c.id < :b"
    bounds = {"a": ids["case"] + lo, "b": ids["case"] + hi}
    answered = "c.answered"
    _insert(conn, "case_exchanges", {
        "id": f"{ids['exchange']} - {ids['case']} + c.id", "case_id": "c.id", "country_code": "c.country_code",
        "number": "1", "direction": "'in'", "type": "'request'", "legal_framework": "'2023/977'",
        "counterpart_kind": "'member_state'", "counterpart_country": "c.counterpart_country", "channel": "c.channel",
        "language": "'en'", "received_at": "c.received_at", "urgent": "c.urgent", "information_access": "'direct'",
        "limit_hours": "c.limit_hours", "due_at": "c.due_at", "paused_seconds": "0",
        "answered_at": f"CASE WHEN {answered} THEN c.due_at - interval '1 hour' END", "answered": answered,
        "refused": "false", "late": "false", "art5_2_deviation": "false",
        "state": f"CASE WHEN {answered} THEN 'closed' ELSE 'open' END",
        "outcome": f"CASE WHEN {answered} THEN 'information_provided' END",
        "closed_at": f"CASE WHEN {answered} THEN c.due_at - interval '1 hour' END",
        "possible_duplicates": "'[]'::json", "created_at": "c.received_at"}, rng, bounds)
    _insert(conn, "case_messages", {
        "id": f"{ids['message']} - {ids['case']} + c.id", "case_id": "c.id",
        "exchange_id": f"{ids['exchange']} - {ids['case']} + c.id", "country_code": "c.country_code",
        "direction": "'in'", "type": "'request'", "channel": "c.channel",
        "counterpart_country": "c.counterpart_country", "language": "'en'", "at": "c.received_at",
        "external_reference": "'BENCH-' || c.id", "subject": "c.subject",
        "body": "'Please check the person in your national databases.'", "urgent": "c.urgent",
        "information_access": "'direct'", "refusal_grounds": "'[]'::json", "raw": "'{}'::json",
        "created_at": "c.received_at"}, rng, bounds)
    # the search document: its words as bench/search.py's folders give them (subject, body, a crime word,
    # a person, a passport, the references), lower-cased as casemgmt.services.search_index writes them
    topics = "(ARRAY[" + ", ".join(f"'{t}'" for t in TOPICS) + "])"
    given = "(ARRAY[" + ", ".join(f"'{g.lower()}'" for g in GIVEN) + "])"
    syl = "(ARRAY[" + ", ".join(f"'{s}'" for s in SYLLABLES) + "])"
    k = "((hashint8extended(c.id, 7) & 2147483647) % 20000)::int"
    surname = (f"{syl}[1 + {k} % 20] || {syl}[1 + ({k} / 20) % 20] || {syl}[1 + ({k} / 400) % 20] || "
               f"CASE WHEN {k} >= 8000 THEN {syl}[1 + ({k} / 8000) % 20] ELSE '' END")
    i, step = f"(c.id - {ids['case']})", max(2, n // COMMON_CASES)  # as search.planted plants them
    surname = (f"CASE WHEN {i} % {step} = {step // 2} AND {i} / {step} < {COMMON_CASES} THEN '{COMMON.lower()}' "
               f"WHEN {i} = {rare_index(n)} THEN '{RARE.lower()}' ELSE {surname} END")
    _insert(conn, "case_search_docs", {
        "case_id": "c.id", "country_code": "c.country_code",
        "text": f"lower(replace(c.registration_number, '-', ' ')) || ' ' || lower(c.subject) || ' ' || "
                f"{topics}[1 + ((hashint8extended(c.id, 8) & 2147483647) % 40)::int] || "
                f"' please check the person in your national databases ' || "
                f"{given}[1 + ((hashint8extended(c.id, 9) & 2147483647) % 20)::int] || ' ' || {surname} || ' passport p' || "
                f"lpad(((hashint8extended(c.id, 10) & 2147483647) % 100000000)::text, 8, '0') || ' bench ' || c.id "
                f"|| ' ' || lower(replace(c.registration_number, '-', '')) || ' bench' || c.id", "updated_at": "now()"}, rng, bounds)


def _secondary(conn) -> tuple[list, list]:
    """The bulk tables' constraints but their primary keys (and a unique constraint a foreign key relies
    on) and their indexes but those of constraints: ([(table, name, definition, kind)], [(name, definition)])."""
    from sqlalchemy import text

    tables = ", ".join(f"'{t}'" for t in TABLES)
    constraints = [tuple(r) for r in conn.execute(text(f"""
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c
        WHERE c.conrelid::regclass::text IN ({tables}) AND c.contype IN ('u', 'f')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid
                          AND c.contype = 'u')
        ORDER BY c.conname"""))]  # noqa: S608 - our own table names
    indexes = [tuple(r) for r in conn.execute(text(f"""
        SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename IN ({tables})
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        ORDER BY i.indexname"""))]  # noqa: S608
    return constraints, indexes


def _remake_plan(constraints: list, indexes: list) -> dict:
    """What makes them again: the indexes (a unique constraint's as a unique index), built side by side;
    then the unique constraints over those indexes and the foreign keys NOT VALID (enforced from then on,
    the bulk rows not scanned again: they were generated consistent)."""
    build = [f'CREATE UNIQUE INDEX "{name}" ON {t} {definition.removeprefix("UNIQUE ")}'
             for t, name, definition, kind in constraints if kind == "u"] + [d for _, d in indexes]
    attach = ([f'ALTER TABLE {t} ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"'
               for t, name, _, kind in constraints if kind == "u"]
              + [f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {definition} NOT VALID'
                 for t, name, definition, kind in constraints if kind == "f"])
    return {"build": sorted(build, key=lambda d: " ON cases " not in d), "attach": attach}


def _drop_secondary(conn) -> dict:
    """Drop what `_secondary` lists (the foreign keys first); the plan that makes it again."""
    from sqlalchemy import text

    constraints, indexes = _secondary(conn)
    for table, name, _, _ in sorted(constraints, key=lambda c: c[3]):
        conn.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    for name, _ in indexes:
        conn.execute(text(f'DROP INDEX "{name}"'))
    return _remake_plan(constraints, indexes)


def _remake(url: str, plan: dict, workers: int = 2) -> None:
    """Build the indexes on `workers` connections side by side, then attach the constraints."""
    import queue
    import threading

    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=workers + 1)
    todo: queue.Queue = queue.Queue()
    for statement in plan["build"]:  # those a resumed build made already are kept
        todo.put(statement.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
                 .replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1))
    failed: list = []

    def work():
        with engine.connect() as conn:
            conn.execute(text("SET maintenance_work_mem = '512MB'"))
            while not failed:
                try:
                    statement = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    conn.execute(text(statement))
                except Exception as e:  # noqa: BLE001 - reported below, the build stops
                    failed.append(e)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failed:
        raise failed[0]
    with engine.begin() as conn:
        for statement in plan["attach"]:
            conn.execute(text(statement))
    engine.dispose()


def _state(conn, **values) -> dict:
    """The build's state kept in the database being built (a build stopped midway resumes)."""
    from sqlalchemy import text

    conn.execute(text("CREATE TABLE IF NOT EXISTS bench_build_state (k text PRIMARY KEY, v text)"))
    for k, v in values.items():
        conn.execute(text("INSERT INTO bench_build_state VALUES (:k, :v) ON CONFLICT (k) DO UPDATE SET v = :v"),
                     {"k": k, "v": json.dumps(v)})
    return {k: json.loads(v) for k, v in conn.execute(text("SELECT k, v FROM bench_build_state"))}


def _log_entries(database, first_id: int, now: dt.datetime) -> int:
    """The bulk cases' log entries ("case registered (bulk import)"), chained after the log's head as
    portal.audit.record_many chains them, COPYed; then the head, sealed. Returns their number."""
    from portal.audit import AuditChainHead, entry_hash, seal_of

    at = now.replace(microsecond=0)
    details = {"what": "case registered (bulk import)"}
    with database.unit_of_work() as s:
        head = s.get(AuditChainHead, 1)
        seq, prev = head.seq, head.last_hash
        first_seq = seq + 1
        # the payload record_many hashes (json.dumps, keys sorted, compact), but for the number and the seq
        stem = json.dumps({"action": "collection", "actor_email": "", "actor_id": None, "area": "casemgmt",
                           "at": at.isoformat(), "country_code": COUNTRY, "details": details,
                           "justification": ""}, sort_keys=True, separators=(",", ":"))[:-1]
        copy_head = f"\t{at.isoformat()}\t\\N\t\t{COUNTRY}\tcasemgmt\tcollection\tcase\t"
        copy_tail = "\t\t[]\t" + json.dumps(details) + "\t"
        reader = database.write_engine.raw_connection()
        try:
            numbers = reader.driver_connection.cursor(name="numbers")
            numbers.itersize = 50_000
            numbers.execute("SELECT registration_number FROM cases WHERE id >= %s ORDER BY id", (first_id,))
            raw = s.connection().connection.driver_connection
            with raw.cursor().copy("COPY audit_log (seq, at, actor_id, actor_email, country_code, area, action, "
                                   "object_type, object_id, justification, recipients, details, prev_hash, hash) "
                                   "FROM STDIN") as copy:
                lines = []
                for (number,) in numbers:
                    seq += 1
                    payload = f'{stem},"object_id":"{number}","object_type":"case","recipients":[],"seq":{seq}}}'
                    h = hashlib.sha256((prev + payload).encode()).hexdigest()
                    if seq == first_seq:  # the same hash as the chain's own function gives
                        assert h == entry_hash(prev, {
                            "seq": seq, "at": at, "actor_id": None, "actor_email": "", "country_code": COUNTRY,
                            "area": "casemgmt", "action": "collection", "object_type": "case", "object_id": number,
                            "justification": "", "recipients": [], "details": details}), "hash differs"
                    lines.append(f"{seq}{copy_head}{number}{copy_tail}{prev}\t{h}\n")
                    prev = h
                    if len(lines) == 50_000:
                        copy.write("".join(lines))
                        lines.clear()
                copy.write("".join(lines))
        finally:
            reader.close()
        head.seq, head.last_hash = seq, prev
        head.seal = seal_of(s, seq, prev)
    return seq - first_seq + 1


def _count(conn, first_id: int) -> int:
    """The statistics' counts (case_statistics_counts) from the rows: those before the bulk cases (the demo,
    the busy folder) through casemgmt.services.counts' own functions, as `rebuild` counts them, then the
    bulk cases' and exchanges' by one grouped query following the same rules (counts.case_keys,
    exchange_keys: no bulk exchange is refused, merged or a duplicate). `rebuild` reads 10M cases and
    10M exchanges one by one in Python (~30 min here); tests/hardening/test_bench_pgbulk.py checks that both give
    the same table."""
    from collections import Counter

    from sqlalchemy import delete, insert, select, text

    from casemgmt.models import Case, Exchange, StatisticsCount
    from casemgmt.services.counts import KEYS, _refusal_grounds, case_keys, exchange_keys
    from portal.directory.reference import SPOC_TIME_ZONES

    table = StatisticsCount.__table__
    c, x = Case.__table__.c, Exchange.__table__.c
    conn.execute(delete(table))
    counts: Counter = Counter()
    for row in conn.execute(select(c.country_code, c.received_at, c.merged_into_id, c.channel, c.request_type,
                                   c.counterpart_country, c.urgent, c.information_access, c.direction,
                                   c.replied_at, c.deadline_met).where(c.id < first_id)):
        counts.update(case_keys(row))
    exchanges = list(conn.execute(
        select(x.id, x.country_code, x.received_at, x.legal_framework, x.counterpart_kind, x.type,
               x.duplicate_of_id, x.direction, x.counterpart_country, x.urgent, x.answered, x.art5_2_deviation,
               x.refused).join(Case.__table__, c.id == x.case_id)
        .where(c.id < first_id, c.merged_into_id.is_(None))))
    grounds = _refusal_grounds(conn, [r.id for r in exchanges if r.refused and r.direction == "in"])
    for row in exchanges:
        counts.update(exchange_keys(row, grounds.get(row.id)))
    conn.execute(insert(table), [dict(zip(("country_code", "year", "figure", *KEYS, "value"), key, strict=True),
                                      count=n) for key, n in sorted(counts.items()) if n])
    zone = SPOC_TIME_ZONES.get(COUNTRY, "UTC")
    conn.execute(text("SET LOCAL work_mem = '256MB'"))  # the join of 10M exchanges to their cases in memory
    year = "extract(year FROM c.received_at AT TIME ZONE 'UTC')::int"
    label = ("CASE WHEN NOT c.urgent THEN 'not urgent' WHEN c.information_access = 'direct' THEN 'urgent, direct' "
             "ELSE 'urgent, indirect' END")
    request = "c.direction = 'in' AND c.request_type = 'request' AND c.replied_at IS NOT NULL"
    a18_year = f"extract(year FROM x.received_at AT TIME ZONE '{zone}')::int"
    urgency = "CASE WHEN x.urgent THEN 'urgent' ELSE 'non_urgent' END"
    conn.execute(text(f"""
        INSERT INTO case_statistics_counts (country_code, year, figure, k1, k2, k3, k4, k5, value, count)
        SELECT cc, y, figure, k1, k2, k3, k4, k5, value, count(*) FROM (
          SELECT c.country_code, {year}, 'case', c.channel, c.request_type, coalesce(c.counterpart_country, ''),
                 CASE WHEN c.urgent THEN '1' ELSE '' END,
                 CASE WHEN c.information_access = 'direct' THEN 'direct' ELSE '' END, 0.0::float8
          FROM cases c WHERE c.id >= :first AND c.merged_into_id IS NULL
          UNION ALL
          SELECT c.country_code, {year}, 'compliance', CASE WHEN c.deadline_met THEN 'met' ELSE 'late' END,
                 '', '', '', '', 0.0 FROM cases c WHERE c.id >= :first AND c.merged_into_id IS NULL AND {request}
          UNION ALL
          SELECT c.country_code, {year}, 'reply', {label}, '', '', '', '',
                 round(extract(epoch FROM c.replied_at - c.received_at), 3)::float8
          FROM cases c WHERE c.id >= :first AND c.merged_into_id IS NULL AND {request}
          UNION ALL
          SELECT x.country_code, {a18_year}, f.figure, coalesce(x.counterpart_country, ''), f.k2, '', '', '', 0.0
          FROM case_exchanges x JOIN cases c ON c.id = x.case_id
          CROSS JOIN LATERAL (VALUES ('a18_sent', '', x.direction = 'out'),
                                     ('a18_received', {urgency}, x.direction = 'in'),
                                     ('a18_answered', {urgency}, x.direction = 'in' AND x.answered),
                                     ('a18_dev', '', x.direction = 'in' AND x.art5_2_deviation)) AS f(figure, k2, counted)
          WHERE c.id >= :first AND c.merged_into_id IS NULL AND x.legal_framework = '2023/977'
            AND x.counterpart_kind = 'member_state' AND x.type = 'request' AND x.duplicate_of_id IS NULL
            AND NOT x.refused AND f.counted
        ) AS t(cc, y, figure, k1, k2, k3, k4, k5, value) GROUP BY cc, y, figure, k1, k2, k3, k4, k5, value
        ON CONFLICT (country_code, year, figure, k1, k2, k3, k4, k5, value)
        DO UPDATE SET count = case_statistics_counts.count + excluded.count"""), {"first": first_id})  # noqa: S608
    return conn.scalar(text("SELECT count(*) FROM case_statistics_counts"))


def _counters_and_sequences(conn) -> None:
    from sqlalchemy import text

    # the counter stays above the bulk numbers so that a later intake never collides
    conn.execute(text("""
        INSERT INTO case_counters (country_code, year, last_number)
        SELECT country_code, year, max(sequence) FROM cases WHERE sequence > 500000 GROUP BY country_code, year
        ON CONFLICT (country_code, year) DO UPDATE SET last_number = greatest(case_counters.last_number,
                                                                              excluded.last_number)"""))
    for table in ("cases", "case_exchanges", "case_messages", "audit_log"):  # explicit ids: the sequences go past
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))  # noqa: S608


def _step(what: str, started: float) -> float:
    print(f"  {what} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return time.perf_counter()


def _start(url: str) -> dict:
    """The demo data and the busy folder (as casedb), the secondary indexes dropped; the build's state."""
    from sqlalchemy import func, select

    from casemgmt.models import Case, Exchange, Message
    from portal.accounts.models import User
    from portal.commands import init_database, load_demo_data

    app = app_for(url)
    with app.app_context():
        init_database()
        load_demo_data()
    database = app.extensions["spoc_db"]
    _busy_folder(database)
    with database.write_engine.begin() as conn:
        officers = list(conn.scalars(select(User.id).where(User.country_code == COUNTRY,
                                                           User.role.in_(["officer", "supervisor"])).order_by(User.id)))
        ids = {"case": (conn.scalar(select(func.max(Case.id))) or 0) + 1,
               "exchange": (conn.scalar(select(func.max(Exchange.id))) or 0) + 1,
               "message": (conn.scalar(select(func.max(Message.id))) or 0) + 1}
        plan = _drop_secondary(conn)
        state = _state(conn, now=int(dt.datetime.now(dt.UTC).timestamp()), ids=ids, officers=officers, plan=plan)
    database.dispose()
    return state


def build(url: str, n: int, resume: bool = False) -> None:
    """The demo data and the busy folder, then n bulk cases generated on the server; `resume`: carry on
    a build that stopped (its chunks committed are kept)."""
    from sqlalchemy import text

    started = begun = time.perf_counter()
    app = app_for(url)
    database = app.extensions["spoc_db"]
    with database.write_engine.begin() as conn:
        state = _state(conn) if resume else {}
    if "plan" not in state:
        if resume:
            raise RuntimeError(f"{url.rsplit('/', 1)[-1]} stopped before its bulk load: drop it to build again")
        database.dispose()
        state = _start(url)
        started = _step("demo data and busy folder", started)
    ids, officers, epoch = state["ids"], state["officers"], state["now"]
    firsts = _year_firsts(n, epoch)
    with database.write_engine.begin() as conn:
        done = conn.scalar(text("SELECT count(*) FROM cases WHERE id >= :a"), {"a": ids["case"]})
    for lo in range(done, n, CHUNK):
        with database.write_engine.begin() as conn:
            conn.execute(text("SET LOCAL synchronous_commit = off"))
            _chunk(conn, n, lo, min(n, lo + CHUNK), epoch, ids, officers, firsts)
        started = _step(f"cases {lo:,} to {min(n, lo + CHUNK):,} with their exchange, message and document", started)
    if not state.get("logged"):
        logged = _log_entries(database, ids["case"], dt.datetime.fromtimestamp(epoch, dt.UTC))
        with database.write_engine.begin() as conn:
            _state(conn, logged=True)
        started = _step(f"{logged:,} log entries chained", started)
    with database.write_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # before the indexes: nothing but the tables to visit; the words' table (filled by the documents'
        # trigger, migration 0045) all-visible, so that a search reads it index-only
        conn.execute(text(f"VACUUM {', '.join(TABLES)}, case_search_words"))
    started = _step("vacuumed", started)
    import threading

    counted: list = []

    def count():  # the statistics' counts, beside the index builds
        with database.write_engine.begin() as conn:
            counted.append(_count(conn, ids["case"]))

    counting = threading.Thread(target=count)
    counting.start()
    _remake(url, state["plan"])
    started = _step(f"{len(state['plan']['build'])} indexes built, {len(state['plan']['attach'])} constraints attached",
                    started)
    counting.join()
    if not counted:
        raise RuntimeError("the statistics' counts were not rebuilt (see the error above)")
    started = _step(f"the statistics counted ({counted[0]:,} rows)", started)
    with database.write_engine.begin() as conn:
        _counters_and_sequences(conn)
        conn.execute(text("DROP TABLE bench_build_state"))
    with database.write_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    _step("analysed", started)
    _step(f"{n:,} bulk cases built", begun)
    database.dispose()


def pg_database(n: int, server_url: str) -> str:
    """The URL of the cached PostgreSQL database of n cases on the server of server_url (built on first
    use, as spoc_bench_<n>_<key>; a build that did not finish resumes where it stopped)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(server_url)
    name = f"spoc_bench_{n}_{schema_key()}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": name}):
                print(f"building a PostgreSQL database of {n:,} cases, {name} (cached for next time)…",
                      file=sys.stderr)
                resume = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": f"{name}_partial"})
                if not resume:
                    conn.execute(text(f'CREATE DATABASE "{name}_partial"'))
                build(base.set(database=f"{name}_partial").render_as_string(hide_password=False), n, bool(resume))
                conn.execute(text(f'ALTER DATABASE "{name}_partial" RENAME TO "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


if __name__ == "__main__":
    import os

    server = os.environ.get("SPOC_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    for size in sys.argv[1:] or ["10000"]:
        print(pg_database(int(size), server))
