"""Benchmark: cases registered per second through the JSON API by 16 concurrent writers, on SQLite,
counting duplicate registration numbers and acknowledged cases missing from the database.

    python bench/intake.py [--cases 3000] [--writers 16] [--server gunicorn|waitress] [--workers 2]
                           [--threads 1] [--warmup 4]
    SPOC_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \
    python bench/intake.py --postgresql --app-servers 1,2     # issue 24, item 3

1. A fresh SQLite file (migrated; one Belgian officer with an API token).
2. The portal under gunicorn (WORKERS sync processes; --threads N for gthread) or waitress
   (`spoc run`, 8 threads), on a free loopback port.
3. WRITERS threads, each with the bearer token, POST /api/v1/cases/intake: WARMUP messages each
   first (so that every server process has loaded what it needs), then, timed from a common start,
   CASES messages in all. Every message is a new case: its own SIENA reference and a person of its
   own, as the cross-check compares every person with those already held. The messages are made
   before the clock starts; bounded by count and by a 300 s ceiling. Each 201 is an acknowledged
   registration number.
4. Then every acknowledged number, warm-up included, is looked up in the database: `lost` are
   those missing, `duplicates` the numbers acknowledged twice; `spoc audit verify` must pass.
Goal: ≥ 300 cases/s, 0 duplicates, 0 lost. Last line JSON: {"cases_per_s", "duplicates", "lost", ...}.

With --postgresql the database is a fresh PostgreSQL database on the server of SPOC_BENCH_DATABASE_URL
(dropped afterwards). --app-servers 1,2 runs the same intake once per count, each on a fresh database:
with 2, two gunicorn masters (on their own ports, as two hosts behind a load balancer) share the one
database and writer w posts to server w mod 2. WORKERS is the number of workers in all, shared among
the masters (2 app servers: one worker each), so both runs put as many processes on the machine's
cores: two masters of two workers each (--workers-each 2) cost ~15-25 % more CPU a case on two
cores, for the four workers, not for the second master (issue 24 item 3). The database's name does
not start with spoc_bench_ (the cached scale databases, whose backends another session may renice).
The rates are printed side by side; the JSON line is the last count's, with "by_app_servers" holding
every count's figures.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]  # bench/reports.py vs the package
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))

from casedb import SECRET  # noqa: E402
from loadgen import Gunicorn, free_port, request  # noqa: E402

MESSAGE = {
    "channel": "SIENA", "type": "request", "direction": "in", "urgent": False, "counterpart_country": "DE",
    "language": "en", "subject": "Check of a person", "body": "Please check the person below.",
    "information_access": "direct", "crime_category": "fraud",
    "entities": [{"kind": "person", "surname": "Kowalski", "given_names": "Jan", "date_of_birth": "1980-04-03",
                  "nationality": "PL"}],
}


def machine_busy() -> float | None:
    """CPU seconds the whole machine has been busy (server, load generator, kernel; /proc/stat),
    or None where there is no /proc: with the cores saturated, the CPU a case costs says more
    than the rate, which moves with the speed a shared machine lends us."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle and waiting for I/O
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def process_cpu(pids) -> float:
    """CPU seconds (user and system) these processes have used (/proc/<pid>/stat); 0 for one gone."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def server_processes(leaders: list[int], url: str) -> dict[str, list[int]]:
    """The app servers' processes (those of the masters' process groups) and, on PostgreSQL, the
    database's backends serving this run's database: whose CPU a case costs, apart from the other
    work on a shared machine (`machine_busy` counts that too)."""
    app = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) in leaders:
                app.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    database = []
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                database = list(conn.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                                  "AND pid <> pg_backend_pid()")))
        finally:
            engine.dispose()
    return {"app": app, "database": database}


def prepare(url: str, instance: Path) -> str:
    """Migrates a fresh database and returns an officer's bearer token."""
    from portal import create_app
    from portal.accounts import services as accounts
    from portal.commands import init_database

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": SECRET,
                      "MAIL_SERVER": ""})
    with app.app_context():
        init_database()
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        user = accounts.create_user(s, email="officer.bench@bench.invalid", role="officer", country_code="BE",
                                    name="Bench officer", password="Bench-password-12345")  # noqa: S106
        token = accounts.create_token(s, user, "bench")
    database.dispose()
    return token


class Waitress:
    def __init__(self, env: dict, threads: int = 8):
        self.env, self.threads, self.port = {**os.environ, **env}, threads, free_port()

    def __enter__(self):
        spoc = str(Path(sys.executable).with_name("spoc"))
        self.proc = subprocess.Popen([spoc, "run", "--host", "127.0.0.1", "--port", str(self.port), "--threads",
                                      str(self.threads)], env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True, cwd=str(HERE.parent))
        for _ in range(300):
            if self.proc.poll() is not None:
                raise RuntimeError("spoc run exited")
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("waitress did not answer")

    def __exit__(self, *exc):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


def workers_each(args, app_servers: int) -> int:
    """Each master's workers: --workers in all, shared among the app servers (at least one each), so
    that one and two app servers run as many workers on the machine's cores; --workers-each sets it."""
    return args.workers_each or max(1, args.workers // app_servers)


class Servers:
    """COUNT app servers (gunicorn masters, or waitress) on one database, each on its own port."""

    def __init__(self, args, env: dict, count: int):
        self.servers = [Gunicorn(env, workers=workers_each(args, count), threads=args.threads)
                        if args.server == "gunicorn" else Waitress(env) for _ in range(count)]
        self.ports: list[int] = []

    def __enter__(self):
        for server in self.servers:
            server.__enter__()
        self.ports = [s.port for s in self.servers]
        return self

    def __exit__(self, *exc):
        for server in self.servers:
            server.__exit__(*exc)


class Database:
    """A fresh database for one run: a SQLite file in `tmp`, or a PostgreSQL database of its own."""

    def __init__(self, tmp: Path, postgresql: str | None):
        self.tmp, self.server, self.name = tmp, postgresql, None

    def __enter__(self) -> str:
        if not self.server:
            return f"sqlite:///{self.tmp / 'intake.db'}"
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        base = make_url(self.server)
        self.name = f"spoc_intake_bench_{os.getpid()}_{self.tmp.name[-6:].lower().replace('-', '_')}"
        self.admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}"'))
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        return base.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc):
        if self.server:
            from sqlalchemy import text

            with self.admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self.admin.dispose()


def stored_numbers(url: str) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [r[0] for r in conn.execute(text("SELECT registration_number FROM cases"))]
    finally:
        engine.dispose()


def run(args, app_servers: int) -> dict:
    """One intake run on a fresh database through `app_servers` app servers: its figures."""
    with tempfile.TemporaryDirectory(prefix="spoc-intake-bench-") as tmp, \
            Database(Path(tmp), os.environ.get("SPOC_BENCH_DATABASE_URL") if args.postgresql else None) as url:
        tmp = Path(tmp)
        token = prepare(url, tmp / "instance")
        env = {"SPOC_DATABASE_URL": url, "SPOC_INSTANCE_PATH": str(tmp / "instance"),
               "SPOC_SECRET_KEY": SECRET, "SPOC_MAIL_SERVER": ""}
        received = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1)
        acknowledged: list[str] = []
        failures: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + 300
        def post(port: int, request: bytes) -> tuple[int, bytes]:
            """One request on its own connection, as a sync gunicorn worker serves it (`Connection:
            close`): the whole request in one send, the answer read until the server closes. A
            lean client: http.client parses headers with the email package, a tenth of the
            server's time per request, on the cores the server needs."""
            with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
                sock.sendall(request)
                chunks = []
                while chunk := sock.recv(65536):
                    chunks.append(chunk)
            head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if length is None or len(body) != int(length.group(1)):
                raise ValueError(f"incomplete answer: {head[:200]!r}")
            return status, body

        def bodies(w: int, count: int) -> list[bytes]:
            """The writer's messages, made before the clock starts: the load generator shares the
            machine's two cores with the server and should take as little of them as it can."""
            out = []
            for k in range(count):
                msg = copy.deepcopy(MESSAGE)
                msg["external_reference"] = f"SIENA-BENCH-{w:02d}-{k:06d}"
                msg["received_at"] = received.isoformat()
                # a different person in every message, as in real traffic (the cross-check compares them)
                rng = random.Random(w * 1_000_000 + k)
                person = msg["entities"][0]
                person["surname"] = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4))
                person["given_names"] = rng.choice(["Jan", "Anna", "Piet", "Marie", "Luca", "Eva", "Tomas", "Ines"])
                person["date_of_birth"] = f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                body = json.dumps(msg).encode()
                out.append(b"POST /api/v1/cases/intake HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                           b"Authorization: Bearer " + token.encode() + b"\r\nContent-Type: application/json\r\n"
                           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            return out

        measured: list[str] = []
        start_line = threading.Barrier(args.writers + 1, timeout=120)

        def writer(messages: list[bytes], port: int):
            mine, bad = [], []
            for k, message in enumerate(messages):
                if k == args.warmup:  # every worker process has served a few: the clock starts now
                    start_line.wait()
                    warm = len(mine)
                if time.monotonic() > deadline:
                    break
                try:
                    status, body = post(port, message)
                except (OSError, ValueError) as exc:
                    bad.append(repr(exc))
                    continue
                if status == 201:
                    mine.append(json.loads(body)["registration_number"])
                else:
                    bad.append(f"{status} {body[:200]!r}")
            with lock:
                acknowledged.extend(mine)
                measured.extend(mine[warm:])
                failures.extend(bad)

        with Servers(args, env, app_servers) as servers:
            per = [args.cases // args.writers + (1 if w < args.cases % args.writers else 0)
                   for w in range(args.writers)]
            threads = [threading.Thread(target=writer, args=(bodies(w, args.warmup + per[w]),
                                                             servers.ports[w % len(servers.ports)]))
                       for w in range(args.writers)]
            for t in threads:
                t.start()
            start_line.wait()
            started, busy, own = time.perf_counter(), machine_busy(), time.process_time()
            leaders = [s.proc.pid for s in servers.servers]
            before = {k: process_cpu(v) for k, v in server_processes(leaders, url).items()}
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            busy = machine_busy() - busy if busy is not None else None
            spent = {k: process_cpu(v) - before[k] for k, v in server_processes(leaders, url).items()}
            spent["writers"] = time.process_time() - own

        stored = stored_numbers(url)
        duplicates = sum(k - 1 for k in Counter(acknowledged).values() if k > 1) + (len(stored) - len(set(stored)))
        lost = len(set(acknowledged) - set(stored))
        spoc = str(Path(sys.executable).with_name("spoc"))
        verify = subprocess.run([spoc, "audit", "verify"], env={**os.environ, **env}, capture_output=True, text=True)
    rate = round(len(measured) / elapsed, 1)
    each = workers_each(args, app_servers)
    label = (f"gunicorn -w {each} " + (f"(gthread, {args.threads} threads)" if args.threads > 1 else "(sync)")) if args.server == "gunicorn" else "waitress, 8 threads"
    if app_servers > 1:
        label = f"{app_servers} x {label}"
        if args.server == "gunicorn":
            label += f", {app_servers * each} workers in all"
    kind = "PostgreSQL" if args.postgresql else "SQLite"
    print(f"{len(measured)} cases acknowledged in {elapsed:.1f} s by {args.writers} writers (after "
          f"{args.writers * args.warmup} to warm up): {rate} cases/s "
          f"({label}, {kind}); {duplicates} duplicates, {lost} lost, {len(failures)} failed requests")
    if busy is not None and measured:
        print(f"the machine's {os.cpu_count()} cores were busy {busy:.1f} s: {busy * 1000 / len(measured):.2f} ms "
              f"of CPU a case (server, writers and kernel)")
    per_case = {k: round(v * 1000 / len(measured), 2) for k, v in spent.items()} if measured else {}
    if per_case:
        database = f"database {per_case['database']} ms, " if args.postgresql else ""
        print(f"CPU a case: app servers {per_case['app']} ms, {database}"
              f"writers {per_case['writers']} ms (their own processes; 1-min load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    if failures:
        print("first failures:", failures[:3])
    print(f"spoc audit verify: {'intact' if verify.returncode == 0 else 'FAILED ' + verify.stdout[-300:]}")
    return {"cases_per_s": rate, "duplicates": duplicates, "lost": lost, "acknowledged": len(acknowledged),
            "measured": len(measured), "failed_requests": len(failures), "seconds": round(elapsed, 2),
            "writers": args.writers, "server": label, "audit_intact": verify.returncode == 0,
            "cpu_ms_per_case": round(busy * 1000 / len(measured), 2) if busy and measured else None,
            "database": kind, "app_servers": app_servers, "cpu_ms_per_case_by_process": per_case,
            "load_average": round(os.getloadavg()[0], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--writers", type=int, default=16)
    ap.add_argument("--server", choices=["gunicorn", "waitress"], default="gunicorn")
    ap.add_argument("--workers", type=int, default=2,
                    help="gunicorn workers in all, shared among the app servers (2 app servers: 1 each)")
    ap.add_argument("--workers-each", type=int, default=0,
                    help="gunicorn workers of each app server instead (2 app servers of 2: 4 workers)")
    ap.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (1: sync workers)")
    ap.add_argument("--warmup", type=int, default=4, help="messages each writer sends before the clock starts")
    ap.add_argument("--postgresql", action="store_true", help="a fresh database on SPOC_BENCH_DATABASE_URL's server")
    ap.add_argument("--app-servers", default="1", help="app servers sharing the database, e.g. 1,2 (one run each)")
    args = ap.parse_args()
    if args.postgresql and not os.environ.get("SPOC_BENCH_DATABASE_URL"):
        ap.error("--postgresql needs SPOC_BENCH_DATABASE_URL (a PostgreSQL server URL)")
    counts = [int(c) for c in args.app_servers.split(",") if c.strip()]
    results = [run(args, count) for count in counts]
    if len(results) > 1:
        print("side by side: " + "; ".join(f"{r['app_servers']} app server(s) {r['cases_per_s']} cases/s, "
                                           f"{r['duplicates']} duplicates, {r['lost']} lost" for r in results))
    print(json.dumps({**results[-1], "by_app_servers": {str(r["app_servers"]): {
        k: r[k] for k in ("cases_per_s", "duplicates", "lost", "failed_requests", "cpu_ms_per_case",
                          "cpu_ms_per_case_by_process", "load_average")}
        for r in results}}))


if __name__ == "__main__":
    main()
