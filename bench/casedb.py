"""A SQLite database of N cases for the benchmarks: the demo data (users, a questionnaire round, cases
registered through the intake service), then N synthetic cases of Belgium's SPOC bulk-inserted with
SQLAlchemy Core (PostgreSQL: COPY). Cached in /tmp by size and schema, so a second run starts at once.

The synthetic cases spread over six years before now: those received in the last 30 days are
open (every open state), older ones are closed or archived but for 0.5 % left open and overdue, as
in a SPOC's real folder. Every case carries a registration number of its own year, a legal
deadline, a priority and, for most, an assignee; each has its exchange, its first message and its
entry in the audit log (as an import writes them), so that a query reading every exchange, message or
log entry of the SPOC shows.

Before the bulk cases, one Belgian case gets the folder of a busy case (`FOLDER_REFERENCE`): 10
exchanges, 30 messages, 20 entities and the cross-check's hits against the demo cases."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# bench/reports.py is named like the `reports` package: the project's packages must win.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))
sys.path.append(str(HERE))

CACHE = Path(os.environ.get("SPOC_BENCH_CACHE", "/tmp/spoc-bench"))  # noqa: S108 - a cache, rebuilt at will
PASSWORD = "bench-demo-password-1"  # noqa: S105 - users of a throwaway benchmark database
SECRET = "bench-secret-key-0123456789abcdef0123456789"  # noqa: S105
COUNTRY = "BE"
CHUNK = 20_000
FOLDER_REFERENCE = "SIENA-BENCH-FOLDER-1"  # the external reference of the case with a busy folder


def schema_key() -> str:
    """Changes whenever a migration changes, so a cached file never has an old schema."""
    h = hashlib.sha256(Path(__file__).read_bytes())  # and whenever what is generated changes
    for f in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def app_for(target: Path | str):
    """The app on a SQLite file (a path) or on a database URL (PostgreSQL)."""
    from portal import create_app

    url = target if isinstance(target, str) else f"sqlite:///{target}"
    instance = (CACHE if isinstance(target, str) else target.parent) / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    return create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": SECRET,
                       "MAIL_SERVER": "", "DEMO_PASSWORD": PASSWORD})


def _rows(n: int, first_id: int, first_exchange: int, first_message: int, officers: list[int], now: dt.datetime,
          rng: random.Random):
    from casemgmt.models import OPEN_STATUSES

    open_states = [s.value for s in OPEN_STATUSES]
    span = 6 * 365 * 86400
    counters: dict[int, int] = {}
    received = sorted(now - dt.timedelta(seconds=rng.randrange(span) + 3600) for _ in range(n))
    for i, at in enumerate(received):
        year = at.year
        counters[year] = counters.get(year, 0) + 1
        seq = 500_000 + counters[year]  # above any number the demo or a test intake gives
        age = (now - at).days
        if age < 30 or rng.random() < 0.005:
            status = rng.choice(open_states)
        else:
            status = "archived" if age > 3 * 365 else "closed"
        urgent = rng.random() < 0.15
        hours = 8 if urgent else 7 * 24
        due = at + dt.timedelta(hours=hours)
        priority = rng.choices([1, 2, 3, 4, 5], [5, 15, 30, 40, 10])[0]
        answered = status not in open_states
        case_id = first_id + i
        exchange = {
            "id": first_exchange + i, "case_id": case_id, "country_code": COUNTRY, "number": 1, "direction": "in",
            "type": "request", "legal_framework": "2023/977", "counterpart_kind": "member_state",
            "counterpart_country": None, "channel": None, "language": "en", "received_at": at, "urgent": urgent,
            "information_access": "direct", "limit_hours": hours, "due_at": at + dt.timedelta(hours=hours),
            "paused_seconds": 0, "answered_at": at + dt.timedelta(hours=hours - 1) if answered else None,
            "answered": answered, "refused": False, "late": False, "art5_2_deviation": False,
            "state": "open" if not answered else "closed",
            "outcome": "information_provided" if answered else None,
            "closed_at": at + dt.timedelta(hours=hours - 1) if answered else None, "possible_duplicates": [],
            "created_at": at}
        message = {
            "id": first_message + i, "case_id": case_id, "exchange_id": first_exchange + i, "country_code": COUNTRY,
            "direction": "in", "type": "request", "channel": None, "counterpart_country": None, "language": "en",
            "at": at, "external_reference": f"BENCH-{case_id}", "subject": f"Request {i} about a person check",
            "body": "Please check the person in your national databases.", "urgent": urgent,
            "information_access": "direct", "refusal_grounds": [], "raw": {}, "created_at": at}
        case = {
            "id": first_id + i, "country_code": COUNTRY, "registration_number": f"{COUNTRY}-{year}-{seq:06d}",
            "year": year, "sequence": seq, "status": status, "subject": f"Request {i} about a person check",
            "direction": "in", "request_type": "request", "channel": rng.choice(["SIENA", "SIENA", "SIENA", "SIRENE"]),
            "counterpart_country": rng.choice(["DE", "FR", "NL", "LU", "PL", "IT"]), "counterpart_type": "spoc",
            "language": "en", "received_at": at, "urgent": urgent, "urgency_ground": None,
            "information_access": "direct", "crime_category": "fraud", "handling_text": "",
            "priority": priority, "priority_computed": priority, "priority_reasons": [],
            "priority_override_reason": "", "limit_hours": hours, "due_at": due, "paused_seconds": 0,
            "judicial_authorisation_pending": False, "art5_2_deviation": False,
            "replied_at": None if status in open_states else due - dt.timedelta(hours=1),
            "answered": status not in open_states, "refused": False,
            "assignee_id": rng.choice(officers) if officers and rng.random() < 0.8 else None,
            "created_at": at, "updated_at": at,
        }
        for row in (exchange, message):
            row["channel"], row["counterpart_country"] = case["channel"], case["counterpart_country"]
        yield case, exchange, message, year, counters[year]


def _busy_folder(database) -> None:
    """One open Belgian case with the folder of a busy case, built through the services as an officer
    would: 10 exchanges, 30 messages, 20 entities, and the cross-check's hits against the demo cases."""
    from sqlalchemy import select

    from casemgmt.crosscheck.services import run_crosscheck
    from casemgmt.schemas import validate_intake
    from casemgmt.services.exchanges import add_message
    from casemgmt.services.intake import register_incoming_message
    from casemgmt.services.requests import send_request
    from portal.accounts.models import User

    people = [("Kowalski", "Jan", "1988-08-01"), ("Schmidt", "Sophie", "1972-10-12"),
              ("Krasniqi", "Besnik", "1990-05-08"), ("Benali", "Karim", "1992-05-23"),
              ("Petrauskas", "Rūta", "2000-01-26"), ("Jansen", "Sanne", "1997-01-01")]
    entities = [{"kind": "person", "surname": a, "given_names": b, "date_of_birth": c, "nationality": "PL"}
                for a, b, c in people]
    entities += [{"kind": "vehicle", "plate": f"1-ABC-{i:03d}", "country": "BE"} for i in range(4)]
    entities += [{"kind": "phone", "number": f"+32 470 12 34 {i:02d}"} for i in range(4)]
    entities += [{"kind": "email", "address": f"contact{i}@example.invalid"} for i in range(3)]
    entities += [{"kind": "company", "name": f"Logistics {i} sp. z o.o.", "country": "PL"} for i in range(3)]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    payload, errors = validate_intake({
        "channel": "SIENA", "external_reference": FOLDER_REFERENCE, "received_at": (now - dt.timedelta(hours=6))
        .isoformat(), "direction": "in", "type": "request", "urgent": False, "information_access": "indirect",
        "counterpart_country": "DE", "counterpart_type": "spoc", "language": "en",
        "subject": "Organised fraud network: persons, vehicles and companies",
        "body": "Please check the persons, vehicles, phones and companies below in your national databases.",
        "crime_category": "fraud", "entities": entities})
    assert not errors, errors
    with database.unit_of_work() as s:
        officer = s.scalar(select(User).where(User.email == f"officer.{COUNTRY.lower()}@demo.invalid"))
        case = register_incoming_message(s, COUNTRY, payload, officer).case
        first = case.exchanges[0]
        add_message(s, case, first, officer, type_="clarification_request", body="Which period is concerned?",
                    sent_at=now - dt.timedelta(hours=5))
        add_message(s, case, first, officer, type_="clarification_reply", body="From January to March.",
                    sent_at=now - dt.timedelta(hours=4, minutes=30))
        for i, country in enumerate(("DE", "FR", "NL", "LU", "PL", "IT", "AT", "CZ", "SK")):
            exchange = send_request(s, case, officer, counterpart={"kind": "member_state", "country": country},
                                    channel="SIENA", language="en", subject=f"Checks of the network in {country}",
                                    content={"information_sought": "Records of the persons named in the case",
                                             "purpose": "Investigation of an organised fraud network",
                                             "objective_reasons": f"Companies of the network are registered in {country}",
                                             "connection": "The persons run those companies", "restrictions": "none"},
                                    europol_copy=False, europol_reason="Benchmark folder",
                                    sent_at=now - dt.timedelta(hours=4, minutes=10 - i))
            for k in range(2):
                add_message(s, case, exchange, officer, type_="reminder", body=f"Reminder {k + 1}.",
                            sent_at=now - dt.timedelta(hours=3 - k, minutes=10 - i))
        s.flush()
        run_crosscheck(s, case, officer, trigger="on_demand")


def _copy(conn, table: str, rows: list[dict]) -> None:
    """PostgreSQL: the rows through COPY in the connection's transaction (a tenth of the INSERTs' time);
    lists and dicts (the JSON columns) as JSON text."""
    import json

    from casemgmt.models import Case

    # what an INSERT through SQLAlchemy adds: the columns' Python-side defaults
    defaults = {}
    for column in Case.metadata.tables[table].columns:
        if column.name not in rows[0] and column.default is not None:
            arg = column.default.arg
            defaults[column.name] = arg(None) if callable(arg) else arg
    columns = [*rows[0], *defaults]
    extra = list(defaults.values())
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(v) if isinstance(v, list | dict) else v for v in [*row.values(), *extra]])


def _generate(target: Path | str, n: int) -> None:
    """The demo data, the busy folder, then n cases bulk-inserted with their exchange, first message and
    log entry (SQLAlchemy Core, in chunks; the log through portal.audit.record_many, chained as ever)."""
    from sqlalchemy import case as when
    from sqlalchemy import func, insert, select, text

    from casemgmt.models import Case, CaseCounter, Exchange, Message
    from portal.accounts.models import User
    from portal.audit import record_many
    from portal.commands import init_database, load_demo_data

    app = app_for(target)
    with app.app_context():
        init_database()
        load_demo_data()
    database = app.extensions["spoc_db"]
    _busy_folder(database)
    rng = random.Random(n)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = time.perf_counter()
    with database.write_engine.begin() as conn:
        officers = list(conn.scalars(select(User.id).where(User.country_code == COUNTRY,
                                                           User.role.in_(["officer", "supervisor"]))))
        first_id = (conn.scalar(select(func.max(Case.id))) or 0) + 1
        first_exchange = (conn.scalar(select(func.max(Exchange.id))) or 0) + 1
        first_message = (conn.scalar(select(func.max(Message.id))) or 0) + 1
        batches: tuple[list, list, list] = ([], [], [])
        top: dict[int, int] = {}

        def flush():
            for table, rows in zip((Case, Exchange, Message), batches, strict=True):
                if rows and conn.dialect.name == "postgresql":
                    _copy(conn, table.__table__.name, rows)
                elif rows:
                    conn.execute(insert(table.__table__), rows)
                rows.clear()

        for case, exchange, message, year, count in _rows(n, first_id, first_exchange, first_message, officers, now,
                                                          rng):
            for rows, row in zip(batches, (case, exchange, message), strict=True):
                rows.append(row)
            top[year] = count
            if len(batches[0]) == CHUNK:
                flush()
        flush()
        for year, count in top.items():
            # the counter stays above the bulk numbers so that a later intake never collides
            last = 500_000 + count
            updated = conn.execute(CaseCounter.__table__.update()
                                   .where(CaseCounter.country_code == COUNTRY, CaseCounter.year == year)
                                   .values(last_number=when((CaseCounter.last_number > last,
                                                             CaseCounter.last_number), else_=last)))
            if updated.rowcount == 0:
                conn.execute(insert(CaseCounter.__table__).values(country_code=COUNTRY, year=year, last_number=last))
        if conn.dialect.name == "postgresql":  # explicit ids: the sequences go past them
            for table in ("cases", "case_exchanges", "case_messages"):
                top_id = f"SELECT max(id) FROM {table}"  # noqa: S608 - our own table names
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), ({top_id}))"))
    print(f"  inserted {n:,} cases, exchanges and messages in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    started = time.perf_counter()
    with database.read_session() as s:
        numbers = list(s.scalars(select(Case.registration_number).where(Case.id >= first_id).order_by(Case.id)))
    for i in range(0, len(numbers), CHUNK):
        with database.unit_of_work() as s:
            record_many(s, [{"area": "casemgmt", "action": "collection", "object_type": "case", "object_id": number,
                             "country_code": COUNTRY, "details": {"what": "case registered (bulk import)"}}
                            for number in numbers[i:i + CHUNK]])
    print(f"  logged them in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    started = time.perf_counter()
    with database.write_engine.begin() as conn:  # the statistics' counts, as migration 0032 fills them
        from casemgmt.services.counts import rebuild

        rows = rebuild(conn)
    print(f"  counted them for the statistics ({rows:,} rows) in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    with database.write_engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    database.dispose()


def case_database(n: int, copy_to: Path | None = None) -> Path:
    """The cached SQLite database of n cases (built on first use); copied to copy_to when given."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"cases-{n}-{schema_key()}.db"
    if not path.exists():
        print(f"building a database of {n:,} cases in {path} (cached for next time)…", file=sys.stderr)
        partial = path.with_suffix(".partial.db")
        for f in CACHE.glob(partial.name + "*"):
            f.unlink()
        _generate(partial, n)
        raw = sqlite3.connect(partial)
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
        partial.rename(path)
    if copy_to is None:
        return path
    shutil.copyfile(path, copy_to)
    return copy_to


def pg_database(n: int, server_url: str) -> str:
    """The URL of a cached PostgreSQL database of n cases on the server of server_url (built on first
    use, as spoc_bench_<n>_<schema key>; a build that did not finish is dropped and made again)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(server_url)
    name = f"spoc_bench_{n}_{schema_key()}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": name})
            if not exists:
                print(f"building a PostgreSQL database of {n:,} cases, {name} (cached for next time)…",
                      file=sys.stderr)
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_partial"'))
                conn.execute(text(f'CREATE DATABASE "{name}_partial"'))
                _generate(base.set(database=f"{name}_partial").render_as_string(hide_password=False), n)
                conn.execute(text(f'ALTER DATABASE "{name}_partial" RENAME TO "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


if __name__ == "__main__":
    for size in sys.argv[1:] or ["10000"]:
        print(case_database(int(size)))
