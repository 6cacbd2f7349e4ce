"""A SQLite database of N cases for the benchmarks: the demo data (users, a questionnaire round, cases
registered through the intake service), then N synthetic cases of Belgium's SPOC bulk-inserted with
SQLAlchemy Core. Cached in /tmp by size and schema, so a second run starts at once.

The synthetic cases spread over six years before now: those received in the last 30 days are
open (every open state), older ones are closed or archived but for 0.5 % left open and overdue, as
in a SPOC's real folder. Every case carries a registration number of its own year, a legal
deadline, a priority and, for most, an assignee."""

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


def schema_key() -> str:
    """Changes whenever a migration changes, so a cached file never has an old schema."""
    h = hashlib.sha256()
    for f in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def app_for(path: Path):
    from portal import create_app

    instance = path.parent / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    return create_app({"DATABASE_URL": f"sqlite:///{path}", "INSTANCE_PATH": str(instance), "SECRET_KEY": SECRET,
                       "MAIL_SERVER": "", "DEMO_PASSWORD": PASSWORD})


def _rows(n: int, first_id: int, officers: list[int], now: dt.datetime, rng: random.Random):
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
        yield {
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
        }, year, counters[year]


def _generate(path: Path, n: int) -> None:
    from sqlalchemy import func, insert, select

    from casemgmt.models import Case, CaseCounter
    from portal.accounts.models import User
    from portal.commands import init_database, load_demo_data

    app = app_for(path)
    with app.app_context():
        init_database()
        load_demo_data()
    database = app.extensions["spoc_db"]
    rng = random.Random(n)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with database.write_engine.begin() as conn:
        officers = list(conn.scalars(select(User.id).where(User.country_code == COUNTRY,
                                                           User.role.in_(["officer", "supervisor"]))))
        first_id = (conn.scalar(select(func.max(Case.id))) or 0) + 1
        batch, top = [], {}
        started = time.perf_counter()
        for row, year, count in _rows(n, first_id, officers, now, rng):
            batch.append(row)
            top[year] = count
            if len(batch) == CHUNK:
                conn.execute(insert(Case.__table__), batch)
                batch = []
        if batch:
            conn.execute(insert(Case.__table__), batch)
        for year, count in top.items():
            # the counter stays above the bulk numbers so that a later intake never collides
            updated = conn.execute(CaseCounter.__table__.update()
                                   .where(CaseCounter.country_code == COUNTRY, CaseCounter.year == year)
                                   .values(last_number=func.max(CaseCounter.last_number, 500_000 + count)))
            if updated.rowcount == 0:
                conn.execute(insert(CaseCounter.__table__).values(country_code=COUNTRY, year=year,
                                                                  last_number=500_000 + count))
        print(f"  inserted {n:,} cases in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    database.dispose()
    raw = sqlite3.connect(path)
    raw.execute("ANALYZE")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()


def case_database(n: int, copy_to: Path | None = None) -> Path:
    """The cached database of n cases (built on first use); copied to copy_to when given."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"cases-{n}-{schema_key()}.db"
    if not path.exists():
        print(f"building a database of {n:,} cases in {path} (cached for next time)…", file=sys.stderr)
        partial = path.with_suffix(".partial.db")
        for f in CACHE.glob(partial.name + "*"):
            f.unlink()
        _generate(partial, n)
        partial.rename(path)
    if copy_to is None:
        return path
    shutil.copyfile(path, copy_to)
    return copy_to


if __name__ == "__main__":
    for size in sys.argv[1:] or ["10000"]:
        print(case_database(int(size)))
