"""Benchmark: the portal's writers of many rows, on PostgreSQL (issue 25, point 5): how long each
runs, in how many transactions, the longest transaction, and how often one row (the audit chain's
head, a case counter) is updated inside one transaction.

    python bench/bulk.py [--database-url URL] [--cases 2000] [--reference-rows 100000]

URL: --database-url or SPOC_BENCH_DATABASE_URL (postgresql+psycopg://…; its public schema is
DROPPED and made again). The writers, in this order on one fresh database:
1. the demo loader (`spoc demo`);
2. the case import (`spoc cases import`) of CASES generated messages: CASES open cases.
   Then the inbox of another officer of that SPOC (GET /cases/, gunicorn -w 2) loaded one load
   after the other while nothing runs, while IMPORT_ROWS more messages are imported, while nothing
   runs again, and while REFERENCE_IMPORT_ROWS are imported row by row as before the set-based
   import (the reference): `slowdown` is its median during the import over its quiet median;
3. a reference data set of REFERENCE_ROWS persons (bench/crosscheck_data.py) loaded with
   `spoc crosscheck load … --queue-only` (the re-runs of the open cases queued);
4. the cross-check re-run after it: every queued run finished in batches, as `spoc crosscheck load`
   does without --queue-only (casemgmt.crosscheck.rerun.run_pending_in_batches);
5. a questionnaire round opened for the 31 countries, prefilled from the demo's submitted
   answers, with the invitations (`spoc round open spoc_structures --prefill`);
6. retention decisions: every closed demo case kept (casemgmt.services.retention.keep), one
   decision a transaction as the case page makes them (there is no bulk decision).
The statements are counted at the driver (psycopg), a transaction from its first statement to its
commit. Each writer's line, and the last line JSON: {"writers": {name: {"seconds", "rows_per_s",
"transactions", "longest_transaction_s", "max_head_updates_per_transaction",
"max_counter_updates_per_transaction"}}} (the inbox's step: {"inbox", "slowdown",
"reference_slowdown_row_by_row", ...}). --only-inbox: the demo, the case import and the inbox
step only. bench/import.py measures the import at scale.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


crosscheck_data = _load("crosscheck_data")
bench_import = _load("import")
loadgen = _load("loadgen")

SECRET = "bench-secret-key-0123456789abcdef0123456789"  # noqa: S105
OTHER = "officer.other@bench.invalid"  # an officer of the importing SPOC who works in the inbox meanwhile
OTHER_PASSWORD = "Bench-password-12345"  # noqa: S105
INBOX_PAUSE = 0.05  # seconds between two inbox loads of that officer


class Inbox:
    """The other officer loading the inbox (GET /cases/) one load after the other, INBOX_PAUSE apart,
    in a thread, through gunicorn; each load's milliseconds, by phase."""

    def __init__(self, port: int, cookie: str):
        import threading

        self.port, self.cookie = port, cookie
        self.phase: str | None = None
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            t0 = time.perf_counter()
            try:
                status, _, body = loadgen.request(self.port, "GET", "/cases/", headers={"Cookie": self.cookie})
            except OSError as exc:
                status, body = 0, repr(exc).encode()
            took = (time.perf_counter() - t0) * 1000
            phase = self.phase
            if phase:
                self.times.setdefault(phase, []).append(took)
                if status != 200:
                    self.errors.append(f"{phase}: {status} {body[:120]!r}")
            time.sleep(INBOX_PAUSE)

    def during(self, phase: str, work) -> None:
        self.phase = phase
        try:
            work()
        finally:
            self.phase = None

    def summary(self, phase: str) -> dict:
        ordered = sorted(self.times.get(phase, []))
        if not ordered:
            return {"loads": 0}
        return {"loads": len(ordered), "p50_ms": round(ordered[len(ordered) // 2], 1),
                "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
                "max_ms": round(ordered[-1], 1)}


class Transactions:
    """Per transaction of every psycopg connection: when it began, its UPDATEs of the audit chain
    head and of the case counters; what finished, by phase."""

    def __init__(self):
        import psycopg

        self.open: dict[int, dict] = {}
        self.done: list[dict] = []
        watcher = self
        original_execute, original_many = psycopg.Cursor.execute, psycopg.Cursor.executemany
        original_commit = psycopg.Connection.commit

        def note(cursor, query, n=1):
            txn = watcher.open.setdefault(id(cursor.connection), {"began": time.monotonic(), "head": 0,
                                                                   "counter": 0, "statements": 0})
            text = query if isinstance(query, str) else str(query)
            txn["statements"] += n
            if re.match(r"\s*UPDATE audit_chain_head SET seq", text):
                txn["head"] += n
            elif re.match(r"\s*UPDATE case_counters", text):
                txn["counter"] += n

        def execute(self, query, *args, **kw):
            note(self, query)
            return original_execute(self, query, *args, **kw)

        def executemany(self, query, params, *args, **kw):
            params = list(params)
            note(self, query, len(params))
            return original_many(self, query, params, *args, **kw)

        def commit(self):
            txn = watcher.open.pop(id(self), None)
            result = original_commit(self)
            if txn is not None:
                txn["seconds"] = time.monotonic() - txn["began"]
                watcher.done.append(txn)
            return result

        psycopg.Cursor.execute, psycopg.Cursor.executemany = execute, executemany
        psycopg.Connection.commit = commit

    def measure(self, name: str, rows: int, work) -> dict:
        self.done.clear()
        started = time.monotonic()
        work()
        seconds = time.monotonic() - started
        done = [t for t in self.done if t["statements"] > 1]
        result = {"seconds": round(seconds, 2), "rows": rows, "rows_per_s": round(rows / seconds, 1) if rows else None,
                  "transactions": len(done),
                  "longest_transaction_s": round(max((t["seconds"] for t in done), default=0), 3),
                  "max_head_updates_per_transaction": max((t["head"] for t in done), default=0),
                  "max_counter_updates_per_transaction": max((t["counter"] for t in done), default=0)}
        print(f"{name}: {json.dumps(result)}", flush=True)
        return result


def inbox_beside_import(app, database, args, tmp: Path, watch: Transactions) -> dict:
    """Another officer of the importing SPOC loads the inbox while nothing runs, while IMPORT_ROWS
    messages are imported (set-based, batches of 500, 0.2 s a transaction), while nothing runs
    again, and, as the reference in the same run, while REFERENCE_ROWS are imported row by row as
    before. `slowdown`: the inbox's median during the import over its median when nothing runs
    after it (the same cases and more; against the quiet phase before it too)."""
    from portal.accounts import services as accounts

    with database.unit_of_work() as s:
        for email in (OTHER, bench_import.OFFICER):
            accounts.create_user(s, email=email, role="officer", country_code="BE", name="Bench officer",
                                 password=OTHER_PASSWORD)
    env = {"SPOC_DATABASE_URL": args.database_url, "SPOC_INSTANCE_PATH": str(tmp / "instance"),
           "SPOC_SECRET_KEY": SECRET, "SPOC_MAIL_SERVER": ""}
    rows = bench_import.messages(args.import_rows, "SIENA-INBOX", seed=31)
    old = bench_import.messages(args.reference_import_rows, "SIENA-INBOX-OLD", seed=32)
    quiet = args.quiet_seconds
    result: dict = {}
    with loadgen.Gunicorn(env, workers=2, log=tmp / "gunicorn-bulk.log") as server:
        inbox = Inbox(server.port, loadgen.log_in(server.port, OTHER, OTHER_PASSWORD))
        inbox.thread.start()
        try:
            time.sleep(2)  # both workers warm
            inbox.during("quiet before", lambda: time.sleep(quiet))
            imported = watch.measure("import beside the inbox (set-based)", len(rows), lambda: inbox.during(
                "during the import", lambda: bench_import.run_import(app, rows, 500)))
            inbox.during("quiet after", lambda: time.sleep(quiet))
            old_import = watch.measure("reference: import beside the inbox (row by row)", len(old),
                                       lambda: inbox.during("during the row-by-row import", lambda: bench_import.run_import(
                                           app, old, 500, set_based=False)))
        finally:
            inbox.stop.set()
            inbox.thread.join(timeout=60)
    phases = {phase: inbox.summary(phase) for phase in ("quiet before", "during the import", "quiet after",
                                                         "during the row-by-row import")}

    def ratio(phase, quiet="quiet after"):
        p50, idle = phases[phase].get("p50_ms"), phases[quiet].get("p50_ms")
        return round(p50 / idle, 2) if p50 and idle else None

    result = {"inbox": phases, "slowdown": ratio("during the import"),
              "slowdown_against_quiet_before": ratio("during the import", "quiet before"),
              "reference_slowdown_row_by_row": ratio("during the row-by-row import"), "inbox_errors": inbox.errors[:3],
              "import": imported, "reference_import": old_import, "load": os.getloadavg()[0]}
    print(f"inbox beside an import: {json.dumps(result)}", flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", default=os.environ.get("SPOC_BENCH_DATABASE_URL"))
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--reference-rows", type=int, default=100_000)
    ap.add_argument("--import-rows", type=int, default=4000, help="imported beside the other officer's inbox")
    ap.add_argument("--reference-import-rows", type=int, default=1000, help="... and row by row, the reference")
    ap.add_argument("--quiet-seconds", type=float, default=15, help="the inbox measured with nothing running")
    ap.add_argument("--only-inbox", action="store_true", help="the demo, the case import and the inbox only")
    args = ap.parse_args()
    if not args.database_url or not args.database_url.startswith("postgresql"):
        ap.error("give a PostgreSQL URL: --database-url or SPOC_BENCH_DATABASE_URL")
    watch = Transactions()
    bench_import.reset_postgres(args.database_url)

    from sqlalchemy import select

    from casemgmt.models import Case
    from casemgmt.services.retention import keep
    from portal import audit, create_app
    from portal.accounts.services import find_user
    from portal.commands import init_database
    from portal.db import utcnow

    writers: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="spoc-bulk-bench-") as tmp:
        tmp = Path(tmp)
        app = create_app({"DATABASE_URL": args.database_url, "INSTANCE_PATH": str(tmp / "instance"),
                          "SECRET_KEY": SECRET, "MAIL_SERVER": "", "DEMO_PASSWORD": "bench-demo-password-1"})
        with app.app_context():
            init_database()
        cli = app.test_cli_runner()
        database = app.extensions["spoc_db"]

        def invoke(*command):
            result = cli.invoke(args=list(command))
            if result.exit_code != 0:
                raise RuntimeError(f"{' '.join(command)}: {result.output[-1500:]}")
            return result.output

        writers["demo loader"] = watch.measure("demo loader", 0, lambda: invoke("demo"))

        messages = bench_import.messages(args.cases, "SIENA-BULK", seed=5)
        path = tmp / "cases.json"
        path.write_text(json.dumps(messages))
        officer = "officer.be@demo.invalid"
        writers["case import"] = watch.measure("case import", args.cases, lambda: invoke(
            "cases", "import", str(path), "--country", "BE", "--user", officer))

        writers["inbox beside an import"] = inbox_beside_import(app, database, args, tmp, watch)

        if not args.only_inbox:
            rnd = random.Random(977)
            reference = tmp / "reference.csv"
            with reference.open("w", newline="", encoding="utf-8") as fh:
                out = csv.writer(fh)
                out.writerow(["id", "surname", "given_names", "dob", "nationality", "document"])
                for pid in range(1, args.reference_rows + 1):
                    p = crosscheck_data.person(rnd, pid)
                    out.writerow([p["id"], p["surname"], p["given_names"], p["dob"], p["nationality"], p["document"]])
            mapping = ("ref=id,surname=surname,given_names=given_names,date_of_birth=dob,nationality=nationality,"
                       "document_number=document")
            writers["reference data set load"] = watch.measure(
                "reference data set load", args.reference_rows,
                lambda: invoke("crosscheck", "load", "wanted", str(reference), "--country", "BE", "--map", mapping,
                               "--legal-basis", "Police Act, persons sought (benchmark)", "--owner", "Federal Police",
                               "--extract-date", dt.date.today().isoformat(), "--refresh-days", "30",
                               "--expires", (dt.date.today() + dt.timedelta(days=60)).isoformat(), "--queue-only"))

            def rerun():
                from casemgmt.crosscheck.rerun import run_pending_in_batches

                with app.app_context():
                    rerun.done = run_pending_in_batches(database.unit_of_work, country="BE")
            rerun.done = 0
            writers["cross-check re-run"] = watch.measure("cross-check re-run", 0, rerun)
            writers["cross-check re-run"]["runs"] = rerun.done
            writers["cross-check re-run"]["rows_per_s"] = round(rerun.done / writers["cross-check re-run"]["seconds"], 1)

            writers["round opening (31 countries, prefill)"] = watch.measure(
                "round opening (31 countries, prefill)", 31, lambda: invoke(
                    "round", "open", "spoc_structures", "--title", "Bench round", "--deadline", "2099-12-31", "--prefill"))

            def decide():
                with app.app_context(), database.read_session() as s:
                    ids = list(s.scalars(select(Case.id).where(Case.status.in_(["closed", "archived"]),
                                                               Case.erased_at.is_(None))))
                decide.n = len(ids)
                for case_id in ids:
                    with database.unit_of_work() as s:
                        case = s.get(Case, case_id)
                        actor = find_user(s, "supervisor.be@demo.invalid") if case.country_code == "BE" else \
                            find_user(s, "supervisor.nl@demo.invalid")
                        try:
                            keep(s, case, actor, "Still needed for the investigation (bench).",
                                 (utcnow().date().replace(year=utcnow().year + 1)))
                        except Exception:  # noqa: BLE001 - a case not reviewable yet is left alone
                            s.rollback()
            decide.n = 0
            writers["retention decisions"] = watch.measure("retention decisions", 0, decide)
            writers["retention decisions"]["decisions"] = decide.n

        with database.read_session() as s:
            problems = audit.verify(s)
        database.dispose()
    print(json.dumps({"writers": writers, "audit_verify": problems[:3] or "ok"}))


if __name__ == "__main__":
    main()
