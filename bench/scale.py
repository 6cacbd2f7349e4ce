"""Benchmark: the case inbox's query time as a SPOC's folder grows from 10k to 1M cases.

    python bench/scale.py [--sizes 10000,100000,1000000] [--repeat 30] [--rounds 300]

For each size, a SQLite database of that many cases (bench/casedb.py: the demo data, then cases
bulk-inserted, 1-2 % of them open; cached in /tmp by size), then the very call the inbox page
makes, `casemgmt.services.inbox.inbox(session, "BE")` (open cases by priority then deadline, first
keyset page of 50), timed ROUNDS times per size in turns (10k, 100k, 1M, 10k, …, so that what
else the machine is doing weighs on every size alike), median reported. Also timed (REPEAT times,
median): the second
keyset page (cursor of the first), `team_load` (the supervisor's per-officer counts shown beside
the inbox) and the first page of the "all" list (every state). The goal: the first page at 1M
cases within 1.5× its time at 10k.
Last line JSON: {"inbox_ms": {size: ms}, "growth", "next_page_ms", "team_load_ms", "all_ms", "open_cases"}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]  # bench/reports.py vs the package
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))

from casedb import COUNTRY, app_for, case_database  # noqa: E402


def timed(fn, repeat: int) -> float:
    fn()  # warm-up: statement cache, page cache
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 3)


def measure(size: int, repeat: int) -> dict:
    from sqlalchemy import func, select

    from casemgmt.models import Case
    from casemgmt.services.inbox import inbox, status_filter, team_load
    from portal.db import utcnow

    app = app_for(case_database(size))
    database = app.extensions["spoc_db"]
    try:
        with database.read_session() as s:
            total = s.scalar(select(func.count(Case.id)))
            open_cases = s.scalar(select(func.count(Case.id)).where(Case.country_code == COUNTRY,
                                                                    status_filter("open")))
            first = inbox(s, COUNTRY)
            assert len(first.cases) == 50 and first.next_cursor, "the inbox should show a full first page"
            now = utcnow()
            out = {
                "cases": total, "open_cases": open_cases,
                "next_page_ms": timed(lambda: inbox(s, COUNTRY, cursor=first.next_cursor), repeat),
                "team_load_ms": timed(lambda: team_load(s, COUNTRY, now, 48), max(3, repeat // 5)),
                "all_ms": timed(lambda: inbox(s, COUNTRY, status="all"), 3),
            }
    finally:
        database.dispose()
    return out


def first_pages(sizes: list[int], rounds: int) -> dict[int, float]:
    """The inbox's first page at every size, timed in turns (one call per size per round), so that
    what else the machine does at a given moment weighs on every size alike; median per size."""
    from casemgmt.services.inbox import inbox

    apps = {size: app_for(case_database(size)) for size in sizes}
    sessions = {size: app.extensions["spoc_db"].read_session() for size, app in apps.items()}
    try:
        samples: dict[int, list[float]] = {size: [] for size in sizes}
        for s in sessions.values():
            inbox(s, COUNTRY)  # warm-up: statement cache, page cache
        for _ in range(rounds):
            for size, s in sessions.items():
                started = time.perf_counter()
                inbox(s, COUNTRY)
                samples[size].append((time.perf_counter() - started) * 1000)
        return {size: round(statistics.median(v), 3) for size, v in samples.items()}
    finally:
        for size, s in sessions.items():
            s.close()
            apps[size].extensions["spoc_db"].dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=300, help="turns of the first-page timing")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    results = {}
    for size in sizes:
        results[size] = measure(size, args.repeat)
    for size, ms in first_pages(sizes, args.rounds).items():
        results[size]["inbox_ms"] = ms
    for size in sizes:
        r = results[size]
        print(f"{size:>9,} cases ({r['open_cases']:>6,} open): inbox first page {r['inbox_ms']:8.2f} ms, "
              f"next page {r['next_page_ms']:8.2f} ms, team load {r['team_load_ms']:8.2f} ms, "
              f"'all' list {r['all_ms']:8.2f} ms")
    growth = round(results[sizes[-1]]["inbox_ms"] / results[sizes[0]]["inbox_ms"], 2)
    print(f"growth of the inbox's first page from {sizes[0]:,} to {sizes[-1]:,} cases: {growth}× (goal ≤ 1.5×)")
    print(json.dumps({
        "inbox_ms": {str(k): v["inbox_ms"] for k, v in results.items()},
        "growth": growth,
        "next_page_ms": {str(k): v["next_page_ms"] for k, v in results.items()},
        "team_load_ms": {str(k): v["team_load_ms"] for k, v in results.items()},
        "all_ms": {str(k): v["all_ms"] for k, v in results.items()},
        "open_cases": {str(k): v["open_cases"] for k, v in results.items()},
    }))


if __name__ == "__main__":
    main()
