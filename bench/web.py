"""Benchmark: the portal under gunicorn (2 workers) on a database of 100k cases, under a bounded
load of 16 connections on 127.0.0.1, with /healthz as the reference in the same run.

    python bench/web.py [--cases 100000] [--seconds 10] [--connections 16] [--workers 2] [--slices 5]

1. A copy of the cached SQLite database of CASES cases (bench/casedb.py: demo data, then Belgian
   cases bulk-inserted); the copy takes the audit entries that opening a case writes.
2. `gunicorn -w WORKERS portal.wsgi:app` on a free loopback port.
3. Logged in through the login form as officer.be and respondent.be (session cookies).
4. For SECONDS each, CONNECTIONS connections (wrk when installed, else Python threads): /healthz
   and the officer's case inbox (/cases/) in turns, SLICES slices of each (the ratio of the two is
   the goal: in turns, what else the machine does weighs on both alike; req/s over all slices,
   p50 and p99 the median of the slices'), then a case page (an open case with its folder; every
   opening is written to the access log, LED Art. 25), the respondent's questionnaire page, and
   the supervisor's inbox (with the team's load), after one second of each page to warm every
   worker up. Every answer must be a 200.
Goal: inbox ≥ 20 % of /healthz req/s, inbox p99 ≤ 60 ms. Last line JSON: {"healthz_rps",
"inbox_rps", "inbox_p50_ms", "inbox_p99_ms", "case_rps", "questionnaire_rps", ...}.
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

from casedb import PASSWORD, SECRET, case_database  # noqa: E402
from loadgen import Gunicorn, load, log_in, request  # noqa: E402


def targets(db: Path) -> tuple[str, str]:
    """An open Belgian case with a folder (registered by the demo through the intake service) and
    the Belgian response of the open questionnaire round."""
    with sqlite3.connect(db) as c:
        number = c.execute("SELECT c.registration_number FROM cases c JOIN case_messages m ON m.case_id = c.id "
                           "WHERE c.country_code = 'BE' AND c.status NOT IN ('closed', 'archived') "
                           "AND c.merged_into_id IS NULL ORDER BY c.id LIMIT 1").fetchone()[0]
        round_id = c.execute("SELECT r.id FROM questionnaire_rounds r JOIN questionnaire_responses p "
                             "ON p.round_id = r.id WHERE r.status = 'open' AND p.country_code = 'BE' "
                             "ORDER BY r.id DESC LIMIT 1").fetchone()[0]
    return f"/cases/{number}", f"/questionnaires/rounds/{round_id}/responses/BE"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--slices", type=int, default=5, help="turns of /healthz and the inbox")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="spoc-web-bench-") as tmp:
        tmp = Path(tmp)
        db = case_database(args.cases, copy_to=tmp / "web.db")
        case_url, questionnaire_url = targets(db)
        env = {"SPOC_DATABASE_URL": f"sqlite:///{db}", "SPOC_INSTANCE_PATH": str(tmp / "instance"),
               "SPOC_SECRET_KEY": SECRET, "SPOC_MAIL_SERVER": ""}
        with Gunicorn(env, workers=args.workers, log=tmp / "gunicorn.log") as server:
            officer = {"Cookie": log_in(server.port, "officer.be@demo.invalid", PASSWORD)}
            respondent = {"Cookie": log_in(server.port, "respondent.be@demo.invalid", PASSWORD)}
            supervisor = {"Cookie": log_in(server.port, "supervisor.be@demo.invalid", PASSWORD)}
            plan = [("healthz", "/healthz", {}), ("inbox", "/cases/", officer), ("case", case_url, officer),
                    ("questionnaire", questionnaire_url, respondent), ("supervisor_inbox", "/cases/", supervisor)]
            for name, path, headers in plan:
                status, _, body = request(server.port, "GET", path, headers=headers)
                if status != 200:
                    raise SystemExit(f"{name} {path} answered {status}, not 200: {body[:300]!r}")
            for _, path, headers in plan:  # every worker process has served every page before the clock
                load(server.port, path, headers, 1, args.connections)
            results = {}
            # the reference and the inbox in turns, in short slices: what else the machine does
            # at a given moment then weighs on both alike (their ratio is the goal)
            slices = {"healthz": [], "inbox": []}
            for _ in range(args.slices):
                for name, path, headers in plan[:2]:
                    slices[name].append(load(server.port, path, headers, args.seconds / args.slices,
                                             args.connections))
            for name, path, _ in plan[:2]:
                parts = slices[name]
                r = results[name] = {
                    "rps": round(sum(x["requests"] for x in parts) / sum(x["requests"] / x["rps"] for x in parts), 1),
                    "p50_ms": round(statistics.median(x["p50_ms"] for x in parts), 2),
                    "p99_ms": round(statistics.median(x["p99_ms"] for x in parts), 2),
                    "p99_ms_slices": [x["p99_ms"] for x in parts],
                    "requests": sum(x["requests"] for x in parts), "errors": sum(x["errors"] for x in parts),
                    "tool": parts[0]["tool"]}
                print(f"{name:>17} {path:<45} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.2f} ms  "
                      f"p99 {r['p99_ms']:7.2f} ms  ({r['requests']} requests, {r['errors']} errors, {r['tool']}; "
                      f"p99 of each slice {r['p99_ms_slices']})")
            for name, path, headers in plan[2:]:
                r = load(server.port, path, headers, args.seconds, args.connections)
                results[name] = r
                print(f"{name:>17} {path:<45} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.2f} ms  "
                      f"p99 {r['p99_ms']:7.2f} ms  ({r['requests']} requests, {r['errors']} errors, {r['tool']})")
    h, i = results["healthz"], results["inbox"]
    ratio = i["rps"] / h["rps"] if h["rps"] else 0
    print(f"inbox at {ratio:.0%} of /healthz req/s (goal ≥ 20 %), inbox p99 {i['p99_ms']} ms (goal ≤ 60 ms); "
          f"{args.cases:,} cases, gunicorn -w {args.workers}, {args.connections} connections")
    out = {"healthz_rps": h["rps"], "inbox_rps": i["rps"], "inbox_p50_ms": i["p50_ms"], "inbox_p99_ms": i["p99_ms"],
           "case_rps": results["case"]["rps"], "questionnaire_rps": results["questionnaire"]["rps"],
           "inbox_ratio": round(ratio, 3), "cases": args.cases}
    for name, r in results.items():
        out[f"{name}_p50_ms"], out[f"{name}_p99_ms"] = r["p50_ms"], r["p99_ms"]
        out[f"{name}_errors"] = r["errors"]
    out["supervisor_inbox_rps"] = results["supervisor_inbox"]["rps"]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
