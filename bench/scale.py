"""Benchmark: page-sized queries and the statistics as a SPOC's folder grows from 10k to 1M exchanges on
SQLite and to 10M on PostgreSQL (issue 24, item 1).

    python bench/scale.py [--sizes 10000,100000,1000000] [--repeat 30] [--rounds 300]
    SPOC_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres python bench/scale.py \
        [--pg-sizes 10000,100000,1000000,10000000] [--only sqlite|postgresql]

For each size, a database of that many cases, each with its exchange, first message, search document and
log entry: on SQLite bench/casedb.py's (the demo data, a busy case folder, then cases bulk-inserted, 1-2 %
of them open) with bench/search.py's documents, files cached in /tmp; on PostgreSQL bench/pgbulk.py's (the
same data generated on the server, 10M in one build), kept on the server as `spoc_bench_<size>_<key>`.
Timed with the very calls the pages make:
- the inbox's first keyset page, `casemgmt.services.inbox.inbox(session, "BE")` (open cases by
  priority then deadline, 50 a page), its next page (cursor of the first), the API's open-case list
  (first page of 50 by id), the queries of the busy case's page (its folder, entities, exchanges,
  log, links, hits) and the search across cases (`casemgmt.services.search.search`: a crime word a 40th
  of the cases hold; two surnames bench/search.py plants at every size, a rare one one case holds and a
  common one 60 hold, so that each shows the same page at every size; a registration number): page-sized,
  each timed ROUNDS times per size in turns (10k, 100k, 1M, 10k, …, so that what else the machine does
  weighs on every size alike), median reported;
- the statistics dashboard and the Art. 18 figures of the current year, `team_load` and the first
  page of the "all" list: REPEAT times (fewer at scale), median.
Goals: every page-sized query at the largest size within 1.5× its time at 10k (`growth`: the largest
such ratio over both databases); the statistics dashboard and the Art. 18 figures ≤ 1 s at 1M and ≤ 3 s
at 10M. Last line JSON: {"growth", "growth_by_query", "statistics_s": {"sqlite_1m", "postgresql_1m",
"postgresql_10m"}, then per size on SQLite "inbox_ms", "next_page_ms", "api_cases_ms", "case_page_ms",
"search_word_ms", "search_rare_name_ms", "search_common_name_ms", "search_number_ms", "team_load_ms",
"all_ms", "statistics_ms", "art18_ms", "open_cases", and "postgresql": {...the same per size...}}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]  # bench/reports.py vs the package
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))

from casedb import COUNTRY, FOLDER_REFERENCE, app_for  # noqa: E402
from pgbulk import pg_database  # noqa: E402
from search import COMMON, COMMON_CASES, RARE, sqlite_database  # noqa: E402

PAGE_QUERIES = ("inbox", "next_page", "api_cases", "case_page", "search_word", "search_rare_name",
                "search_common_name", "search_number")


def timed(fn, repeat: int, cpu: list | None = None) -> float:
    """Median wall time in ms; with `cpu`, this process's median CPU time in ms is appended to it
    (on SQLite the database works in this process: what the machine's other load does not change)."""
    fn()  # warm-up: statement cache, page cache
    samples, spent = [], []
    for _ in range(repeat):
        started, busy = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
        spent.append((time.process_time() - busy) * 1000)
    if cpu is not None:
        cpu.append(round(statistics.median(spent), 1))
    return round(statistics.median(samples), 3)


def page_queries(s) -> dict:
    """The page-sized calls, bound to this session: {name: fn()}."""
    from sqlalchemy import select

    from casemgmt.crosscheck.services import case_summary
    from casemgmt.models import Case, Message
    from casemgmt.services import access_log as access
    from casemgmt.services.dedupe import linked_cases
    from casemgmt.services.exchanges import exchange_rows
    from casemgmt.services.folder import attachments_of, case_by_number, entities_of, notes_of, tasks_of
    from casemgmt.services.inbox import inbox, status_filter
    from casemgmt.services.outgoing import disseminations, providers_restriction
    from casemgmt.services.retention import reviews_of

    first = inbox(s, COUNTRY)
    assert len(first.cases) == 50 and first.next_cursor, "the inbox should show a full first page"
    number = s.scalar(select(Case.registration_number).join(Message, Message.case_id == Case.id)
                      .where(Message.external_reference == FOLDER_REFERENCE))

    def case_page():
        s.expunge_all()  # as a new request: nothing from the identity map
        case = case_by_number(s, number)
        return (entities_of(s, case), attachments_of(s, case), notes_of(s, case), tasks_of(s, case),
                linked_cases(s, case), disseminations(s, case), reviews_of(s, case),
                access.latest_case_rows(s, case, 25), access.count_case_entries(s, case),
                exchange_rows(s, case), providers_restriction(s, case), case_summary(s, case),
                list(s.scalars(select(Case).where(Case.merged_into_id == case.id))))

    def api_cases():  # GET /api/v1/cases?status=open, first page
        s.expunge_all()  # as a new request
        return list(s.scalars(select(Case).where(Case.country_code == COUNTRY, status_filter("open"))
                              .order_by(Case.id).limit(51)))

    return {"inbox": lambda: inbox(s, COUNTRY), "next_page": lambda: inbox(s, COUNTRY, cursor=first.next_cursor),
            "api_cases": api_cases, "case_page": case_page, **search_queries(s)}


def search_queries(s) -> dict:
    """The search across cases (casemgmt.services.search.search, as the page calls it: first page of 50 and
    the count up to 1,000; the log entry left out) for a crime word (a 40th of the cases), the two surnames
    bench/search.py plants at every size (one case holds RARE: a page of one; 60 hold COMMON: a full page
    of 50 and a next page), and the newest bulk case's registration number (one case)."""
    from sqlalchemy import select

    from casemgmt.models import Case
    from casemgmt.services.search import Criteria, search
    from portal.accounts.models import User

    officer = s.scalar(select(User).where(User.email == f"officer.{COUNTRY.lower()}@demo.invalid"))
    number = s.scalar(select(Case.registration_number).where(Case.sequence > 500_000).order_by(Case.id.desc()).limit(1))

    def run(q: str, count: int | None = None):
        def call():
            s.expunge_all()  # as a new request
            page = search(s, officer, Criteria(q=q), log=False)
            assert page.rows, f"the search for {q!r} should find cases"
            assert count is None or page.count == count, f"{q!r}: {page.count} cases, not {count}"
            return page
        return call

    return {"search_word": run("heroin"), "search_rare_name": run(RARE, 1),
            "search_common_name": run(COMMON, COMMON_CASES), "search_number": run(number, 1)}


def measure(app, repeat: int, large: bool) -> dict:
    from sqlalchemy import func, select

    from casemgmt.models import Case, Exchange
    from casemgmt.services.inbox import inbox, status_filter, team_load
    from casemgmt.services.statistics import art18_figures, dashboard
    from portal.db import utcnow

    database = app.extensions["spoc_db"]
    with database.read_session() as s:
        now = utcnow()
        slow = 3 if large else max(3, repeat // 5)
        cpu: list[float] = []
        out = {
            "cases": s.scalar(select(func.count(Case.id))),
            "exchanges": s.scalar(select(func.count(Exchange.id))),
            "open_cases": s.scalar(select(func.count(Case.id)).where(Case.country_code == COUNTRY,
                                                                     status_filter("open"))),
            "team_load_ms": timed(lambda: team_load(s, COUNTRY, now, 48), slow),
            "all_ms": timed(lambda: inbox(s, COUNTRY, status="all"), 3),
            "statistics_ms": timed(lambda: dashboard(s, COUNTRY, now.year, now), slow, cpu),
            "art18_ms": timed(lambda: art18_figures(s, COUNTRY, now.year), slow, cpu),
        }
        out["statistics_cpu_ms"], out["art18_cpu_ms"] = cpu
        return out


def in_turns(apps: dict, rounds: int) -> dict[str, dict]:
    """Every page-sized query at every size, one call per size per round, so that what else the
    machine does at a given moment weighs on every size alike; {query: {size: median ms}}."""
    sessions = {size: app.extensions["spoc_db"].read_session() for size, app in apps.items()}
    try:
        calls = {size: page_queries(s) for size, s in sessions.items()}
        samples: dict[str, dict] = {q: {size: [] for size in apps} for q in PAGE_QUERIES}
        for size in apps:
            for fn in calls[size].values():
                fn()  # warm-up: statement cache, page cache
        for _ in range(rounds):
            for q in PAGE_QUERIES:
                for size in apps:
                    started = time.perf_counter()
                    calls[size][q]()
                    samples[q][size].append((time.perf_counter() - started) * 1000)
        return {q: {size: round(statistics.median(v), 3) for size, v in per.items()} for q, per in samples.items()}
    finally:
        for s in sessions.values():
            s.close()


def run(name: str, targets: dict, args) -> dict:
    apps = {size: app_for(target) for size, target in targets.items()}
    try:
        sizes = list(targets)
        results = {size: measure(apps[size], args.repeat, size >= 1_000_000) for size in sizes}
        pages = in_turns(apps, args.rounds)
    finally:
        for app in apps.values():
            app.extensions["spoc_db"].dispose()
    for size in sizes:
        r = results[size]
        for q in PAGE_QUERIES:
            r[f"{q}_ms"] = pages[q][size]
        print(f"{name:>10} {size:>10,} exchanges ({r['open_cases']:>6,} open cases): inbox {r['inbox_ms']:7.2f} ms, "
              f"next page {r['next_page_ms']:7.2f}, API list {r['api_cases_ms']:7.2f}, case page "
              f"{r['case_page_ms']:7.2f}, search: word {r['search_word_ms']:7.2f}, rare name {r['search_rare_name_ms']:7.2f}, "
              f"common name {r['search_common_name_ms']:7.2f}, "
              f"number {r['search_number_ms']:7.2f}, team load {r['team_load_ms']:8.2f}, 'all' {r['all_ms']:7.2f}, "
              f"statistics {r['statistics_ms']:9.1f}, Art. 18 {r['art18_ms']:9.1f} ms (this process's CPU: "
              f"{r['statistics_cpu_ms']} and {r['art18_cpu_ms']} ms)")
    growth = {q: round(results[sizes[-1]][f"{q}_ms"] / results[sizes[0]][f"{q}_ms"], 2) for q in PAGE_QUERIES}
    print(f"{name:>10} growth from {sizes[0]:,} to {sizes[-1]:,}: "
          + ", ".join(f"{q} {g}×" for q, g in growth.items()) + " (goal ≤ 1.5×)")
    return {"results": results, "growth": growth, "sizes": sizes}


def statistics_seconds(runs: dict) -> dict:
    """The slowest of the dashboard and the Art. 18 figures, in s, at 1M (both databases) and 10M (PostgreSQL)."""
    out = {"sqlite_1m": None, "postgresql_1m": None, "postgresql_10m": None}
    for name, r in runs.items():
        for size, key in ((1_000_000, f"{name}_1m"), (10_000_000, f"{name}_10m")):
            if key in out and size in r["results"]:
                out[key] = round(max(r["results"][size]["statistics_ms"], r["results"][size]["art18_ms"]) / 1000, 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="on SQLite")
    ap.add_argument("--pg-sizes", default="10000,100000,1000000,10000000", help="on PostgreSQL")
    ap.add_argument("--only", choices=("sqlite", "postgresql"), help="run on one database only")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=300, help="turns of the page-sized queries")
    ap.add_argument("--database-url", default=os.environ.get("SPOC_BENCH_DATABASE_URL", ""),
                    help="a PostgreSQL server (any database on it) to run on as well")
    args = ap.parse_args()
    runs = {}
    if args.only != "postgresql":  # the cases' databases with their search documents (bench/search.py's)
        sizes = [int(x) for x in args.sizes.split(",")]
        runs["sqlite"] = run("SQLite", {size: sqlite_database(size) for size in sizes}, args)
    if args.database_url and args.only != "sqlite":
        sizes = [int(x) for x in args.pg_sizes.split(",")]
        runs["postgresql"] = run("PostgreSQL", {size: pg_database(size, args.database_url) for size in sizes}, args)
    growth = max(g for r in runs.values() for g in r["growth"].values())
    statistics_s = statistics_seconds(runs)
    print(f"largest growth of a page-sized query: {growth}× (goal ≤ 1.5×); statistics (slowest of the dashboard "
          f"and the Art. 18 figures): {statistics_s} s (goal ≤ 1 s at 1M, ≤ 3 s at 10M)")

    def per_size(r: dict, key: str) -> dict:
        return {str(k): v[key] for k, v in r["results"].items()}

    keys = ("inbox_ms", "next_page_ms", "api_cases_ms", "case_page_ms", "search_word_ms", "search_rare_name_ms",
            "search_common_name_ms", "search_number_ms", "team_load_ms", "all_ms", "statistics_ms", "art18_ms", "open_cases")
    out = {"growth": growth, "growth_by_query": {name: r["growth"] for name, r in runs.items()},
           "statistics_s": statistics_s}
    if "sqlite" in runs:
        sq = runs["sqlite"]
        out |= {key: per_size(sq, key) for key in (*keys, "statistics_cpu_ms", "art18_cpu_ms")}
    if "postgresql" in runs:
        out["postgresql"] = {key: per_size(runs["postgresql"], key) for key in keys}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
