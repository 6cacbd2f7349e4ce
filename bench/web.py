"""Benchmark: every main page of the portal under gunicorn (2 workers) on a database of 100k cases,
under a bounded load of 16 connections on 127.0.0.1, each against /healthz in turns in the same run.

    python bench/web.py [--cases 100000] [--seconds 10] [--page-seconds 4] [--connections 16] [--workers 2]

1. A copy of the cached SQLite database of CASES cases (bench/casedb.py: demo data, a busy case folder
   of 10 exchanges, 30 messages, 20 entities and cross-check hits, then Belgian cases bulk-inserted with
   their exchange, message and log entry); the copy takes the audit entries that opening a case writes.
2. `gunicorn -w WORKERS portal.wsgi:app` on a free loopback port.
3. Logged in through the login form as each demo role (session cookies); an API token of the officer.
4. Every page after one second of each to warm every worker up, then each in turns with /healthz
   (CONNECTIONS connections, wrk when installed, else Python threads; the inbox for SECONDS in 5
   slices, every other page for PAGE_SECONDS in 2, and /healthz as long between them): the officer's
   inbox, the busy case page (every opening is written to the access log, LED Art. 25), the API's
   open-case list, the respondent's questionnaire page (the shipped questionnaire), the closed round's
   report, a held meeting (head of SPOC), a training activity (trainer), the supervisor's inbox (with
   the team's load) and the dashboard of each role. Every answer must be a 200.
5. Then, with the server stopped, the CPU each page costs in this process against /healthz's in turns
   (bench/pagecpu.py, the Flask test client and time.process_time(): CPU-REQUESTS requests a turn, 3
   turns), which the other load of a shared machine does not change; with gunicorn's sync workers a
   page's share of /healthz's rate is about /healthz's CPU over the page's.
Goals: inbox ≥ 20 % of /healthz req/s with p99 ≤ 60 ms; every other page ≥ 10 % with p99 ≤ 250 ms
(a page's ratio is against the /healthz slices measured in turns with it; `dashboard` is the slowest
role's). Last line JSON: {"healthz_rps", "healthz_p50_ms", "healthz_p99_ms", "inbox_rps", "inbox_p50_ms", "inbox_p99_ms", "<page>_rps",
"<page>_p99_ms", "<page>_ratio" for case, api_cases, questionnaire, report, meeting, training, dashboard,
dashboard_<role>…, "missed"}, and "healthz_cpu_ms", "<page>_cpu_ms", "<page>_cpu_ratio" (step 5).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]  # bench/reports.py vs the package
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))

from casedb import FOLDER_REFERENCE, PASSWORD, SECRET, app_for, case_database  # noqa: E402
from loadgen import Gunicorn, load, log_in, request  # noqa: E402

ROLES = ("admin", "secretariat", "head_of_spoc", "respondent", "officer", "supervisor", "dpo", "trainer", "observer")
EMAILS = {"admin": "admin@demo.invalid", "secretariat": "secretariat@demo.invalid",
          "head_of_spoc": "head.be@demo.invalid", "respondent": "respondent.be@demo.invalid",
          "officer": "officer.be@demo.invalid", "supervisor": "supervisor.be@demo.invalid",
          "dpo": "dpo.be@demo.invalid", "trainer": "trainer.be@demo.invalid",
          "observer": "observer.europol@demo.invalid"}


def targets(db: Path) -> dict[str, str]:
    """The pages' addresses in this database: the busy case (casedb.FOLDER_REFERENCE), the Belgian
    response of the open round of the shipped questionnaire, the report of the closed round, a held
    meeting and a training activity of the demo."""
    with sqlite3.connect(db) as c:
        number = c.execute("SELECT c.registration_number FROM cases c JOIN case_messages m ON m.case_id = c.id "
                           "WHERE m.external_reference = ?", (FOLDER_REFERENCE,)).fetchone()[0]
        round_id = c.execute("SELECT r.id FROM questionnaire_rounds r JOIN questionnaire_responses p "
                             "ON p.round_id = r.id WHERE r.status = 'open' AND p.country_code = 'BE' "
                             "ORDER BY r.id DESC LIMIT 1").fetchone()[0]
        report_id = c.execute("SELECT id FROM questionnaire_rounds WHERE status = 'closed' "
                              "ORDER BY id DESC LIMIT 1").fetchone()[0]
        meeting_id = c.execute("SELECT id FROM meetings WHERE status = 'held' ORDER BY id DESC LIMIT 1").fetchone()[0]
        activity_id = c.execute("SELECT id FROM training_activities ORDER BY id LIMIT 1").fetchone()[0]
    return {"case": f"/cases/{number}", "questionnaire": f"/questionnaires/rounds/{round_id}/responses/BE",
            "report": f"/reports/rounds/{report_id}", "meeting": f"/meetings/{meeting_id}",
            "training": f"/training/activities/{activity_id}"}


def api_token(db: Path) -> str:
    """A bearer token of the Belgian officer, written into the copy before the server starts."""
    from sqlalchemy import select

    from portal.accounts import services as accounts
    from portal.accounts.models import User

    database = app_for(db).extensions["spoc_db"]
    try:
        with database.unit_of_work() as s:
            user = s.scalar(select(User).where(User.email == EMAILS["officer"]))
            return accounts.create_token(s, user, "bench/web.py")
    finally:
        database.dispose()


def in_process(db: Path, url: dict, token: str, requests: int) -> dict:
    """Step 5: CPU per request of every page in this process, against /healthz in turns (bench/pagecpu.py)."""
    import pagecpu

    print("CPU per request in this process (the Flask test client), each page against /healthz in turns:")
    app = app_for(db)
    try:
        clients = {role: pagecpu.logged_in(app, email) for role, email in EMAILS.items()}
        clients["api"] = app.test_client()
        return pagecpu.measure(app, pagecpu.page_plan(url, token, clients, ROLES), requests, 3)
    finally:
        app.extensions["spoc_db"].dispose()


def merged(parts: list[dict]) -> dict:
    """Slices of one page: req/s over all of them, p50 and p99 the median of the slices'."""
    spent = sum(x["requests"] / x["rps"] for x in parts if x["rps"])
    return {"rps": round(sum(x["requests"] for x in parts) / spent, 1) if spent else 0.0,
            "p50_ms": round(statistics.median(x["p50_ms"] for x in parts), 2),
            "p99_ms": round(statistics.median(x["p99_ms"] for x in parts), 2),
            "p99_ms_slices": [x["p99_ms"] for x in parts],
            "requests": sum(x["requests"] for x in parts), "errors": sum(x["errors"] for x in parts),
            "tool": parts[0]["tool"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=10, help="the inbox's time (and as long for /healthz)")
    ap.add_argument("--page-seconds", type=float, default=4, help="every other page's time (as long for /healthz)")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--slices", type=int, default=5, help="turns of /healthz and the inbox")
    ap.add_argument("--page-slices", type=int, default=2, help="turns of /healthz and every other page")
    ap.add_argument("--cpu-requests", type=int, default=20, help="step 5's requests a turn (0: no step 5)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="spoc-web-bench-") as tmp:
        tmp = Path(tmp)
        db = case_database(args.cases, copy_to=tmp / "web.db")
        url = targets(db)
        token = api_token(db)
        env = {"SPOC_DATABASE_URL": f"sqlite:///{db}", "SPOC_INSTANCE_PATH": str(tmp / "instance"),
               "SPOC_SECRET_KEY": SECRET, "SPOC_MAIL_SERVER": ""}
        with Gunicorn(env, workers=args.workers, log=tmp / "gunicorn.log") as server:
            cookie = {role: {"Cookie": log_in(server.port, email, PASSWORD)} for role, email in EMAILS.items()}
            # (name, path, headers, role-of-the-dashboard or None)
            plan = [("inbox", "/cases/", cookie["officer"]), ("case", url["case"], cookie["officer"]),
                    ("api_cases", "/api/v1/cases?status=open", {"Authorization": f"Bearer {token}"}),
                    ("questionnaire", url["questionnaire"], cookie["respondent"]),
                    ("report", url["report"], cookie["secretariat"]),
                    ("meeting", url["meeting"], cookie["head_of_spoc"]),
                    ("training", url["training"], cookie["trainer"]),
                    ("supervisor_inbox", "/cases/", cookie["supervisor"])]
            plan += [(f"dashboard_{role}", "/", cookie[role]) for role in ROLES]
            for name, path, headers in [("healthz", "/healthz", {}), *plan]:
                status, _, body = request(server.port, "GET", path, headers=headers)
                if status != 200:
                    raise SystemExit(f"{name} {path} answered {status}, not 200: {body[:300]!r}")
            for _, path, headers in [("healthz", "/healthz", {}), *plan]:  # every worker has served every page
                load(server.port, path, headers, 1, args.connections)
            results, reference = {}, {}
            healthz_parts: list[dict] = []
            # each page and /healthz in turns, in short slices: what else the machine does at a given
            # moment then weighs on both alike (their ratio is the goal)
            for name, path, headers in plan:
                seconds, turns = ((args.seconds, args.slices) if name == "inbox"
                                  else (args.page_seconds, args.page_slices))
                ref, mine = [], []
                for _ in range(turns):
                    ref.append(load(server.port, "/healthz", {}, seconds / turns, args.connections))
                    mine.append(load(server.port, path, headers, seconds / turns, args.connections))
                healthz_parts += ref
                reference[name], r = merged(ref), merged(mine)
                results[name] = r
                r["ratio"] = round(r["rps"] / reference[name]["rps"], 3) if reference[name]["rps"] else 0
                print(f"{name:>22} {path[:40]:<40} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.2f} ms  "
                      f"p99 {r['p99_ms']:7.2f} ms  = {r['ratio']:.0%} of /healthz {reference[name]['rps']:.0f} "
                      f"req/s in turns ({r['requests']} requests, {r['errors']} errors, {r['tool']})")
        cpu = in_process(db, url, token, args.cpu_requests) if args.cpu_requests else {}
    h = merged(healthz_parts)
    dashboards = [results[f"dashboard_{role}"] for role in ROLES]
    slowest = min(dashboards, key=lambda r: r["ratio"])
    results["dashboard"] = {**slowest, "p99_ms": max(r["p99_ms"] for r in dashboards),
                            "errors": sum(r["errors"] for r in dashboards)}
    i = results["inbox"]
    ratio = i["ratio"]
    print(f"/healthz over all turns {h['rps']} req/s; inbox at {ratio:.0%} of /healthz (goal ≥ 20 %), inbox p99 "
          f"{i['p99_ms']} ms (goal ≤ 60 ms); every other page goal ≥ 10 %, p99 ≤ 250 ms; {args.cases:,} cases, "
          f"gunicorn -w {args.workers}, {args.connections} connections")
    missed = [name for name in ("case", "api_cases", "questionnaire", "report", "meeting", "training", "dashboard")
              if results[name]["ratio"] < 0.10 or results[name]["p99_ms"] > 250]
    print("pages under their goal: " + (", ".join(missed) if missed else "none"))
    out = {"healthz_rps": h["rps"], "healthz_p50_ms": h["p50_ms"], "healthz_p99_ms": h["p99_ms"], "inbox_rps": i["rps"], "inbox_p50_ms": i["p50_ms"], "inbox_p99_ms": i["p99_ms"],
           "inbox_ratio": ratio, "cases": args.cases}
    for name, r in results.items():
        out[f"{name}_rps"], out[f"{name}_p50_ms"], out[f"{name}_p99_ms"] = r["rps"], r["p50_ms"], r["p99_ms"]
        out[f"{name}_ratio"], out[f"{name}_errors"] = r["ratio"], r["errors"]
    out["missed"] = missed
    out.update(cpu)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
