"""Benchmark: the portal's writers of many rows, on PostgreSQL (issue 25, point 5): how long each
runs, in how many transactions, the longest transaction, and how often one row (the audit chain's
head, a case counter) is updated inside one transaction.

    python bench/bulk.py [--database-url URL] [--cases 2000] [--reference-rows 100000]

URL: --database-url or SPOC_BENCH_DATABASE_URL (postgresql+psycopg://…; its public schema is
DROPPED and made again). The writers, in this order on one fresh database:
1. the demo loader (`spoc demo`);
2. the case import (`spoc cases import`) of CASES generated messages: CASES open cases;
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
"max_counter_updates_per_transaction"}}}. The reference: the same import in ONE transaction
(bench/import.py measures it at scale).
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

SECRET = "bench-secret-key-0123456789abcdef0123456789"  # noqa: S105


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", default=os.environ.get("SPOC_BENCH_DATABASE_URL"))
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--reference-rows", type=int, default=100_000)
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
