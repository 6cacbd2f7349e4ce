"""Benchmark: importing a SPOC's existing cases (`spoc cases import`) on SQLite and on PostgreSQL,
with four officers registering cases through the API beside it (issue 25).

    python bench/import.py [--messages 100000] [--writers 4] [--batch 500] [--reference 4000]
                           [--postgresql-url URL | --no-postgresql]

PostgreSQL: --postgresql-url, or SPOC_BENCH_DATABASE_URL (e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/bench); its public schema is DROPPED and made again.
Without either, only SQLite is measured.

For each database:
1. A fresh database (migrated; one Belgian officer with an API token) and MESSAGES generated
   SIENA requests of 2025, as a SPOC's former system would export them: each its own reference
   and a person of bench/crosscheck_data.py (names in six scripts and cultures, dates of birth of
   every precision, 1 % common names), a third with a vehicle or a phone; a deterministic seed.
2. The portal under gunicorn (2 sync workers) on a free loopback port; WRITERS threads POST
   /api/v1/cases/intake (new cases of today) one after the other, WRITER_PAUSE (0.25 s) apart,
   while the import runs. Their
   latency is measured from the import's start to its end; an answer other than 201 is an error.
3. The import as `spoc cases import` runs it (casemgmt.services.importing.import_rows: batches of
   BATCH rows, a read session for the preparation, the CLI's progress callback), timed per row:
   `per_s` over the whole file, `first_per_s` over the first 10,000 rows (a tenth of the file when
   smaller), `last_per_s` over the last as many; `slowdown` = first_per_s / last_per_s.
   The import registers a batch's plain new cases set-based (casemgmt.services.import_batch).
4. The reference, in the same run, on the same database (after the import: as many cases more):
   REFERENCE messages of another file imported as before the set-based import, each row through
   the intake in its own savepoint (batches of BATCH rows), with no writers. Then `spoc audit
   verify` must pass.
The CPU each row cost, in the bench's process (the import, its preparing thread, and the four
writers' client threads) and in the import's two PostgreSQL server processes, is printed with the
machine's load average: on a shared machine the rate is the machine's, the CPU a row costs is the
import's.
Goal: ≥ 300/s on both, slowdown ≤ 1.3, writer_p99_ms ≤ 1000, writer_errors 0. Last line JSON:
{"sqlite_per_s", "postgresql_per_s", "slowdown", "writer_p99_ms", "writer_errors", ...} (slowdown and
writer_p99_ms: the worse of the two databases; writer_errors: the sum).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import re
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]  # bench/reports.py vs the package
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))

from casedb import SECRET  # noqa: E402
from loadgen import Gunicorn  # noqa: E402

_spec = importlib.util.spec_from_file_location("crosscheck_data", HERE / "crosscheck_data.py")
crosscheck_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(crosscheck_data)

COUNTRY = "BE"
OFFICER = "officer.import-bench@bench.invalid"


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def messages(n: int, prefix: str, seed: int) -> list[dict]:
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1, 8, tzinfo=dt.UTC)
    out = []
    for k in range(n):
        p = crosscheck_data.person(rng, k)  # the cross-check benchmark's population: six scripts and cultures
        person = {"kind": "person", "surname": p["surname"], "given_names": p["given_names"]}
        birth = {"day": f"{p['year']}-{p['month']:02d}-{p['day']:02d}", "month": f"{p['year']}-{p['month']:02d}",
                 "year": f"{p['year']}", "placeholder": f"{p['year']}-01-01"}.get(p["precision"])
        if birth:
            person["date_of_birth"] = birth
        if p["nationality"]:
            person["nationality"] = p["nationality"]
        entities = [person]
        if k % 3 == 1:
            entities.append({"kind": "vehicle", "plate": f"{rng.randint(1, 9)}-ABC-{rng.randint(100, 999)}",
                             "country": "BE"})
        elif k % 3 == 2:
            entities.append({"kind": "phone", "number": f"+32 4{rng.randint(10, 99)} {rng.randint(100000, 999999)}"})
        out.append({"channel": "SIENA", "type": "request", "direction": "in", "external_reference": f"{prefix}-{k:07d}",
                    "received_at": (start + dt.timedelta(minutes=5 * k)).isoformat(), "urgent": False,
                    "counterpart_country": rng.choice(["DE", "NL", "FR", "PL", "IT", "ES"]), "language": "en",
                    "subject": "Check of a person", "body": f"Please check the person below (file {k}).",
                    "information_access": "direct", "crime_category": rng.choice(["fraud", "drugs", "theft"]),
                    "entities": entities})
    return out


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def prepare(url: str, instance: Path):
    from portal import create_app
    from portal.accounts import services as accounts
    from portal.commands import init_database

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": SECRET, "MAIL_SERVER": ""})
    with app.app_context():
        init_database()
    with app.extensions["spoc_db"].unit_of_work() as s:
        user = accounts.create_user(s, email=OFFICER, role="officer", country_code=COUNTRY, name="Import officer",
                                    password="Bench-password-12345")  # noqa: S106
        token = accounts.create_token(s, user, "bench")
    return app, token


def run_import(app, rows: list[dict], batch: int, seconds: float = 0.2, set_based: bool = True) -> tuple[list[float], object]:
    """The rows imported as `spoc cases import` does; the moment each row was done (monotonic)."""
    from casemgmt.services.importing import import_rows
    from casemgmt.services.intake import Uploads
    from portal.accounts.services import find_user

    database = app.extensions["spoc_db"]
    uploads = Uploads(app.config["UPLOAD_FOLDER"], 10 * 1024 * 1024)
    marks: list[float] = []

    def progress(n: int) -> None:
        now = time.monotonic()
        marks.extend([now] * n)

    with app.app_context(), database.read_session() as reader:
        actor = find_user(reader, OFFICER)
        backends = [_backend(reader)]
        reader.commit()
        with database.unit_of_work() as session:
            backends.append(_backend(session))
            session.commit()
            cpu = time.process_time(), _cpu_of(backends)
            started = time.monotonic()
            report = import_rows(session, COUNTRY, rows, actor, uploads, read_session=reader, batch_size=batch,
                                 batch_seconds=seconds, progress=progress, set_based=set_based)
            report.cpu = {"import_cpu_ms_per_row": round((time.process_time() - cpu[0]) * 1000 / max(len(rows), 1), 2)}
            if backends[0] is not None:
                report.cpu["server_cpu_ms_per_row"] = round((_cpu_of(backends) - cpu[1]) * 1000 / max(len(rows), 1), 2)
    return [started, *marks], report


def _backend(session) -> int | None:
    """The PostgreSQL server process of the session's connection (None on SQLite)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    from sqlalchemy import text

    return session.execute(text("SELECT pg_backend_pid()")).scalar()


def _cpu_of(pids: list) -> float:
    """CPU seconds (user + system) of these local server processes so far (0 when not readable)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, TypeError, IndexError, ValueError):
            pass
    return total


def rates(marks: list[float]) -> dict:
    """per_s over all; first and last tenth (at most 10,000 rows each) and their quotient."""
    started, done = marks[0], marks[1:]
    n = len(done)
    window = min(10_000, max(1, n // 10))
    total = done[-1] - started
    first = done[window - 1] - started
    last = done[-1] - done[n - window - 1] if n > window else total
    first_rate, last_rate = window / first, window / last
    return {"rows": n, "seconds": round(total, 1), "per_s": round(n / total, 1), "first_per_s": round(first_rate, 1),
            "last_per_s": round(last_rate, 1), "slowdown": round(first_rate / last_rate, 2)}


class Writers:
    """WRITERS threads registering new cases through the API, one request after the other."""

    def __init__(self, port: int, token: str, writers: int, pause: float):
        self.port, self.token, self.n, self.pause = port, token, writers, pause
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.measuring = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(w,), daemon=True) for w in range(writers)]

    def _post(self, body: bytes) -> tuple[int, bytes]:
        request = (b"POST /api/v1/cases/intake HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                   b"Authorization: Bearer " + self.token.encode() + b"\r\nContent-Type: application/json\r\n"
                   b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        with socket.create_connection(("127.0.0.1", self.port), timeout=120) as sock:
            sock.sendall(request)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        head, _, rest = b"".join(chunks).partition(b"\r\n\r\n")
        return int(head.split(b" ", 2)[1]), rest

    def _run(self, w: int) -> None:
        k = 0
        received = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(microsecond=0).isoformat()
        while not self.stop.is_set():
            k += 1
            msg = messages(1, f"SIENA-LIVE-{w}-{k:06d}", seed=w * 1_000_000 + k)[0]
            msg["external_reference"] = f"SIENA-LIVE-{w}-{k:06d}"
            msg["received_at"] = received
            t0 = time.perf_counter()
            try:
                status, body = self._post(json.dumps(msg).encode())
                error = None if status == 201 else f"{status} {body[:200]!r}"
            except OSError as exc:
                error = repr(exc)
            took = (time.perf_counter() - t0) * 1000
            if self.measuring.is_set():
                with self.lock:
                    self.latencies.append(took)
                    if error:
                        self.errors.append(error)
            time.sleep(self.pause)  # between two messages of one writer (--writer-pause)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=150)

    def summary(self) -> dict:
        ordered = sorted(self.latencies)
        p = (lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)) if ordered else (lambda q: None)
        return {"writer_requests": len(ordered), "writer_p50_ms": p(0.5), "writer_p99_ms": p(0.99),
                "writer_max_ms": round(ordered[-1], 1) if ordered else None, "writer_errors": len(self.errors),
                "writer_error_sample": self.errors[:3]}


def bench(name: str, url: str, folder: Path, args) -> dict:
    from portal import audit

    log(f"[{name}] preparing the database and {args.messages} messages")
    app, token = prepare(url, folder / "instance")
    rows = messages(args.messages, "SIENA-IMP", seed=25)
    env = {"SPOC_DATABASE_URL": url, "SPOC_INSTANCE_PATH": str(folder / "instance"), "SPOC_SECRET_KEY": SECRET,
           "SPOC_MAIL_SERVER": ""}
    with Gunicorn(env, workers=2, log=folder / f"gunicorn-{name}.log") as server, \
            Writers(server.port, token, args.writers, args.writer_pause) as writers:
        time.sleep(2)  # the workers have served a few requests: measure from now
        writers.measuring.set()
        log(f"[{name}] importing {len(rows)} messages (batches of {args.batch}) beside {args.writers} API writers")
        load_before = os.getloadavg()[0]
        marks, report = run_import(app, rows, args.batch)
        load_after = os.getloadavg()[0]
        writers.measuring.clear()
    result = {**rates(marks), **writers.summary(), "created": len(report.created), "rejected": len(report.rejected),
              "transactions": report.transactions, **report.cpu, "load_before": load_before,
              "load_after": load_after}
    log(f"[{name}] {json.dumps(result)}")
    if args.reference:
        old = messages(args.reference, "SIENA-OLD", seed=977)
        log(f"[{name}] reference: {len(old)} messages through the intake one by one (batches of {args.batch}, "
            "as before the set-based import), no writers")
        ref_marks, ref_report = run_import(app, old, args.batch, set_based=False)
        ref = {**rates(ref_marks), **ref_report.cpu, "load": os.getloadavg()[0]}
        result["reference_row_by_row"] = ref
        log(f"[{name}] reference {json.dumps(ref)}")
    with app.app_context(), app.extensions["spoc_db"].read_session() as s:
        problems = audit.verify(s)
    result["audit_verify"] = "ok" if not problems else problems[:3]
    app.extensions["spoc_db"].dispose()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--writer-pause", type=float, default=0.25, help="seconds between two messages of a writer")
    ap.add_argument("--reference", type=int, default=4000, help="messages imported row by row (0: none)")
    ap.add_argument("--postgresql-url", default=os.environ.get("SPOC_BENCH_DATABASE_URL"))
    ap.add_argument("--no-postgresql", action="store_true")
    ap.add_argument("--no-sqlite", action="store_true")
    args = ap.parse_args()
    if args.postgresql_url and not re.match(r"postgresql(\+\w+)?://", args.postgresql_url):
        ap.error("--postgresql-url must be a postgresql:// URL")

    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="spoc-import-bench-") as tmp:
        tmp = Path(tmp)
        if not args.no_sqlite:
            (tmp / "sqlite").mkdir()
            results["sqlite"] = bench("sqlite", f"sqlite:///{tmp / 'sqlite' / 'import.db'}", tmp / "sqlite", args)
        if args.postgresql_url and not args.no_postgresql:
            (tmp / "pg").mkdir()
            reset_postgres(args.postgresql_url)
            results["postgresql"] = bench("postgresql", args.postgresql_url, tmp / "pg", args)
    done = list(results.values())
    summary = {
        "sqlite_per_s": results.get("sqlite", {}).get("per_s"),
        "postgresql_per_s": results.get("postgresql", {}).get("per_s"),
        "slowdown": max(r["slowdown"] for r in done) if done else None,
        "writer_p99_ms": max((r["writer_p99_ms"] or 0) for r in done) if done else None,
        "writer_errors": sum(r["writer_errors"] for r in done),
        "messages": args.messages, "batch": args.batch,
        "reference_per_s": {k: r.get("reference_row_by_row", {}).get("per_s") for k, r in results.items()},
        "cpu_ms_per_row": {k: [r.get("import_cpu_ms_per_row"), r.get("server_cpu_ms_per_row")] for k, r in results.items()},
        "reference_cpu_ms_per_row": {k: [r.get("reference_row_by_row", {}).get("import_cpu_ms_per_row"),
                                         r.get("reference_row_by_row", {}).get("server_cpu_ms_per_row")]
                                     for k, r in results.items()},
        "audit_verify": {k: r["audit_verify"] for k, r in results.items()},
    }
    print(json.dumps(results, indent=1))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
