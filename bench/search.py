"""Benchmark: search across cases at 1M cases, on SQLite and on PostgreSQL, against a bare indexed lookup.

    python bench/search.py [--size 1000000] [--rounds 200]
    SPOC_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres python bench/search.py [--pg-only]

The database of N cases is bench/casedb.py's (cached); its cases then get a search document each,
written as casemgmt.services.search writes them (document_text over a synthetic folder: subject and
body words, a crime word out of 40, a person of 20,000 surnames with their cross-check spellings,
a passport number, a phone, an IBAN and the case's references; two surnames planted at the same places
at every size, RARE in one case and COMMON in 60). That database is cached too
(/tmp/spoc-bench/search-<n>-<schema>-g<GENERATION>.db; on PostgreSQL the documents are added to the
cached database once).

Timed, each ROUNDS times with a different target, through `casemgmt.services.search.search` (the
call the page and the API make: first page of 50, the count up to 1,000, the log entry left out):
a surname (~N/20,000 cases), a surname and a crime word, a reference, a passport number, a phone as
typed nationally, an IBAN with spaces, a surname with the filters urgent + open, a crime word alone
(~N/40 cases: the count is capped), and filters alone (open, urgent). The reference, in the same
run: a bare indexed lookup of one case by its registration number (SELECT … WHERE
registration_number = ?). Goal: every search's p95 ≤ 50 ms. Figures in ms; last line JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))

from casedb import CACHE, COUNTRY, app_for, case_database, pg_database, schema_key  # noqa: E402

GOAL_MS = 50.0
CHUNK = 20_000
TOPICS = ("fraud", "burglary", "smuggling", "trafficking", "counterfeiting", "extortion", "kidnapping", "arson",
          "cybercrime", "laundering", "robbery", "homicide", "corruption", "forgery", "poaching", "piracy",
          "espionage", "bribery", "racketeering", "embezzlement", "stalking", "vandalism", "carjacking",
          "skimming", "phishing", "ransomware", "sabotage", "hooliganism", "insider", "narcotics", "cannabis",
          "cocaine", "heroin", "firearms", "explosives", "terrorism", "radicalisation", "abduction", "theft",
          "receiving")
SYLLABLES = ("ka", "ro", "vi", "len", "mar", "zu", "tek", "sol", "ba", "dri", "no", "vek", "al", "ster", "mi",
             "gor", "pa", "lin", "ush", "eb")
GIVEN = ("Jan", "Anna", "Piotr", "Maria", "Jörg", "Élodie", "Luca", "Sofia", "Ivan", "Olga", "Ahmed", "Fatima",
         "João", "Inês", "Søren", "Åsa", "Dimitris", "Eleni", "Mehmet", "Ayşe")


# two surnames planted at the same places at every size, so that searching for them shows the same page
# whatever the SPOC's size (bench/scale.py): RARE in one bulk case, COMMON in COMMON_CASES of them (a full
# page of 50 and a next page), evenly spread over the bulk cases (as bench/pgbulk.py plants them too)
RARE, COMMON, COMMON_CASES = "Wexcombe", "Harrowgate", 60
GENERATION = 2  # raise it whenever the documents generated here change (the cached databases are then rebuilt)


def planted(i: int, n: int) -> str | None:
    """The surname planted in the i-th (from 0) of n bulk cases, if any: COMMON in every step-th case from
    the middle of the first step, COMMON_CASES of them, and RARE in the case just after the middle one."""
    step = max(2, n // COMMON_CASES)
    if i % step == step // 2 and i // step < COMMON_CASES:
        return COMMON
    return RARE if i == rare_index(n) else None


def rare_index(n: int) -> int:
    step = max(2, n // COMMON_CASES)
    return step * (COMMON_CASES // 2) + step // 2 + 1


def surname(k: int) -> str:
    """One of 20,000 synthetic surnames (three syllables of twenty, and a fourth for 2,000 of them)."""
    a, b, c = k % 20, (k // 20) % 20, (k // 400) % 20
    extra = SYLLABLES[(k // 8000) % 20] if k >= 8000 else ""
    return (SYLLABLES[a] + SYLLABLES[b] + SYLLABLES[c] + extra).capitalize()


def folder_of(case_id: int, name: str | None = None) -> dict:
    """The synthetic folder of one case: its person (`name`: a planted surname), identifiers and crime word
    (deterministic)."""
    rng = random.Random(case_id)
    drawn = surname(rng.randrange(20_000))
    return {"surname": name or drawn, "given": rng.choice(GIVEN), "topic": rng.choice(TOPICS),
            "passport": f"P{rng.randrange(10**8):08d}", "phone": f"+32 47{rng.randrange(10**7):07d}",
            "iban": f"BE{rng.randrange(10, 99)}{rng.randrange(10**12):012d}"}


def document(case_id: int, number: str, subject: str, body: str, reference: str, name: str | None = None) -> str:
    """The case's document as casemgmt.services.search writes it (document_text, and each entity's
    words as _entity_words gives them: a person, a passport, a phone, a bank account)."""
    from types import SimpleNamespace as NS

    from casemgmt.services.search import _phone_word, compact, document_text, name_spellings, words

    f = folder_of(case_id, name)
    case = NS(registration_number=number, subject=f"{subject} ({f['topic']})", country_code=COUNTRY)
    message = NS(subject=case.subject, body=f"{body} {f['given']} {f['surname']}, passport {f['passport']}, "
                                            f"phone {f['phone']}.", external_reference=reference)
    extra = [*sorted(name_spellings(f"{f['surname']} {f['given']}")), compact(f["passport"]),
             *words(f["passport"]), _phone_word(f["phone"], COUNTRY), *words(f["phone"]), compact(f["iban"])]
    return document_text(case, [message], [], [], []) + " " + " ".join(dict.fromkeys(w for w in extra if w))


def _docs_sql(conn, first_id: int, last_id: int, bulk: tuple[int, int]) -> list[dict]:
    """The documents of the cases first_id to last_id without one; `bulk`: the first bulk case's id and
    the number of bulk cases (where the surnames are planted)."""
    from sqlalchemy import text

    rows = conn.execute(text(
        "SELECT c.id, c.registration_number, c.subject, m.body, m.external_reference FROM cases c "
        "JOIN case_messages m ON m.case_id = c.id WHERE c.id >= :a AND c.id < :b AND NOT EXISTS "
        "(SELECT 1 FROM case_search_docs d WHERE d.case_id = c.id) ORDER BY c.id"), {"a": first_id, "b": last_id})
    seen, out = set(), []
    for case_id, number, subject, body, reference in rows:
        if case_id in seen:
            continue
        seen.add(case_id)
        name = planted(case_id - bulk[0], bulk[1]) if case_id >= bulk[0] else None
        out.append({"case_id": case_id, "country_code": COUNTRY,
                    "text": document(case_id, number, subject, body, reference, name)})
    return out


def add_documents(database) -> None:
    """A search document for every case without one (the bulk cases), in chunks."""
    from sqlalchemy import func, insert, select

    from casemgmt.models import Case, CaseSearchDoc
    from casemgmt.services.search import reindex_case

    with database.unit_of_work() as s:  # the demo's cases through the service itself
        for case in s.scalars(select(Case).where(Case.sequence < 500_000)):
            reindex_case(s, case)
    with database.read_session() as s:
        top = s.scalar(select(func.max(Case.id))) or 0
        bulk = s.execute(select(func.min(Case.id), func.count(Case.id)).where(Case.sequence > 500_000)).one()
    started = time.perf_counter()
    for first in range(0, top + 1, CHUNK):
        with database.write_engine.begin() as conn:
            rows = _docs_sql(conn, first, first + CHUNK, (bulk[0] or top + 1, bulk[1]))
            if rows:
                conn.execute(insert(CaseSearchDoc.__table__).values(updated_at=func.now()), rows)
        if first and first % (10 * CHUNK) == 0:
            print(f"  documents up to case {first:,} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    with database.write_engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("INSERT INTO case_search_fts(case_search_fts) VALUES ('optimize')")
            conn.exec_driver_sql("ANALYZE")
        else:
            # as autovacuum leaves it after a bulk load: GIN's pending list merged into the index
            conn.exec_driver_sql("SELECT gin_clean_pending_list('ix_case_search_docs_document')")
            conn.exec_driver_sql("ANALYZE case_search_docs")
    print(f"  search documents written in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def sqlite_database(n: int, base: Path | None = None) -> Path:
    """The cached database of n cases with their search documents. `base`: a case database built
    already (bench/casedb.py's of an older schema: upgraded here, its cases as they are)."""
    path = CACHE / f"search-{n}-{schema_key()}-g{GENERATION}.db"
    if not path.exists():
        partial = path.with_suffix(".partial.db")
        shutil.copyfile(base or case_database(n), partial)
        app = app_for(partial)
        if base is not None:
            from portal.commands import init_database

            with app.app_context():
                init_database()
        add_documents(app.extensions["spoc_db"])
        app.extensions["spoc_db"].dispose()
        raw = sqlite3.connect(partial)
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
        partial.rename(path)
    return path


def pg_search_database(n: int, server: str) -> str:
    from sqlalchemy import create_engine, text

    url = pg_database(n, server)
    engine = create_engine(url)
    with engine.connect() as conn:
        missing = conn.scalar(text("SELECT count(*) FROM cases c WHERE NOT EXISTS "
                                   "(SELECT 1 FROM case_search_docs d WHERE d.case_id = c.id)"))
    engine.dispose()
    if missing:
        print(f"  writing {missing:,} search documents into {url.rsplit('/', 1)[-1]}…", file=sys.stderr)
        app = app_for(url)
        add_documents(app.extensions["spoc_db"])
        app.extensions["spoc_db"].dispose()
    return url


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 2)


def measure(target, rounds: int) -> dict:
    from sqlalchemy import func, select

    from casemgmt.models import Case
    from casemgmt.services import search as service
    from portal.accounts.models import User

    app = app_for(target)
    database = app.extensions["spoc_db"]
    out: dict = {}
    with app.app_context(), database.read_session() as s:
        user = s.scalar(select(User).where(User.country_code == COUNTRY, User.role == "officer").limit(1))
        low, high = s.execute(select(func.min(Case.id), func.max(Case.id)).where(Case.country_code == COUNTRY)).one()
        first_bulk, bulk = s.execute(select(func.min(Case.id), func.count(Case.id)).where(Case.sequence > 500_000)).one()
        rng = random.Random(7)

        def target_case():
            while True:
                case_id = rng.randrange(low, high + 1)
                row = s.execute(select(Case.registration_number, Case.id).where(Case.id == case_id)).first()
                if row and row[0].split("-")[2] >= "500000":
                    return row

        def run(params):
            criteria, errors = service.read_criteria(params)
            assert not errors, errors
            return service.search(s, user, criteria, log=False)

        def numeric(phone: str) -> str:
            return "0" + phone.replace("+32 ", "")

        def iban_spaced(iban: str) -> str:
            return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))

        kinds = {
            "surname": lambda f, r: {"q": f["surname"]},
            "surname_and_word": lambda f, r: {"q": f"{f['surname']} {f['topic']}"},
            "reference": lambda f, r: {"q": f"BENCH-{r[1]}"},
            "passport": lambda f, r: {"q": f["passport"]},
            "phone": lambda f, r: {"q": numeric(f["phone"])},
            "iban": lambda f, r: {"q": iban_spaced(f["iban"])},
            "surname_urgent_open": lambda f, r: {"q": f["surname"], "urgent": "1", "state": "open"},
            "frequent_word": lambda f, r: {"q": f["topic"]},
            "filters_only": lambda f, r: {"state": "open", "urgent": "1"},
        }
        samples: dict[str, list[float]] = {k: [] for k in ["lookup", *kinds]}
        found: dict[str, list[int]] = {k: [] for k in kinds}
        for i in range(rounds):
            row = target_case()
            f = folder_of(row[1], planted(row[1] - first_bulk, bulk))
            s.expunge_all()
            started = time.perf_counter()
            s.execute(select(Case.id, Case.status).where(Case.registration_number == row[0])).all()
            samples["lookup"].append((time.perf_counter() - started) * 1000)
            for kind, make in kinds.items():
                params = make(f, row)
                started = time.perf_counter()
                page = run(params)
                samples[kind].append((time.perf_counter() - started) * 1000)
                found[kind].append(page.count)
                if kind in ("reference", "passport", "surname", "phone", "iban") and i < 20:
                    assert row[0] in [r.registration_number for r in page.rows] or page.count >= 50, (kind, params)
        for kind, values in samples.items():
            out[kind] = {"p50": pct(values, 50), "p95": pct(values, 95),
                         "found_median": statistics.median(found[kind]) if kind in found else 1}
        out["cases"] = s.scalar(select(func.count()).select_from(Case))
        if s.bind.dialect.name == "postgresql":
            plan = plan_of(s, user, {"q": surname(123)})
            print(plan, file=sys.stderr)
            out["plan_reads_gin_index"] = "ix_case_search_docs_document" in plan
            out["plan_seq_scan"] = seq_scan(plan)
            # a word 2.5 % of the cases hold: the documents walked newest first, no case read but the page's
            plan = plan_of(s, user, {"q": TOPICS[0]})
            print(plan, file=sys.stderr)
            out["frequent_plan_walks_documents"] = "Index Scan Backward using pk_case_search_docs" in plan
            out["frequent_plan_seq_scan"] = seq_scan(plan)
    database.dispose()
    return out


def plan_of(s, user, params: dict) -> str:
    """PostgreSQL's plans (EXPLAIN, no ANALYZE) of the statements a search runs: which indexes they read."""
    from sqlalchemy import event

    from casemgmt.services.search import search
    from casemgmt.services.search_criteria import read_criteria

    statements: list = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    engine = s.get_bind()
    event.listen(engine, "before_cursor_execute", keep)
    try:
        search(s, user, read_criteria(params)[0], log=False)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    cursor = s.connection().connection.driver_connection.cursor()
    plans = []
    for statement, parameters in statements:
        cursor.execute("EXPLAIN " + statement, parameters)
        plans.append("\n".join(r[0] for r in cursor.fetchall()))
    return "\n\n".join(plans)


def seq_scan(plan: str) -> bool:
    """A plan reads every case or every document (a small table such as the hits may be read whole)."""
    return "Seq Scan on cases " in plan or "Seq Scan on case_search_docs " in plan


def report(name: str, figures: dict) -> None:
    print(f"\n{name}: {figures['cases']:,} cases", file=sys.stderr)
    lookup = figures["lookup"]["p95"]
    for kind, f in figures.items():
        if not isinstance(f, dict):
            continue
        ratio = f"{f['p95'] / lookup:6.1f}× lookup" if lookup else ""
        mark = "" if kind == "lookup" else ("  ok" if f["p95"] <= GOAL_MS else "  OVER GOAL")
        print(f"  {kind:22s} p50 {f['p50']:8.2f}  p95 {f['p95']:8.2f} ms  {ratio}  found ~{f['found_median']}{mark}",
              file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--pg-only", action="store_true", help="PostgreSQL alone (SPOC_BENCH_DATABASE_URL): "
                        "no SQLite database is built or measured")
    parser.add_argument("--base", type=Path, help="a SQLite case database of --size cases built already "
                        "(bench/casedb.py's, any schema: upgraded on a copy)")
    args = parser.parse_args()
    result: dict = {"size": args.size, "goal_p95_ms": GOAL_MS, "load": os.getloadavg()[0]}
    if not args.pg_only:
        result["sqlite"] = measure(sqlite_database(args.size, args.base), args.rounds)
        report("SQLite", result["sqlite"])
    server = os.environ.get("SPOC_BENCH_DATABASE_URL")
    if server and not args.sqlite_only:
        result["postgresql"] = measure(pg_search_database(args.size, server), args.rounds)
        report("PostgreSQL", result["postgresql"])
    searches = {db: {k: v["p95"] for k, v in figs.items() if isinstance(v, dict) and k != "lookup"}
                for db, figs in result.items() if db in ("sqlite", "postgresql")}
    result["worst_p95_ms"] = {db: max(v.values()) for db, v in searches.items()}
    result["within_goal"] = {db: {k: p <= GOAL_MS for k, p in v.items()} for db, v in searches.items()}
    result["load_after"] = os.getloadavg()[0]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
