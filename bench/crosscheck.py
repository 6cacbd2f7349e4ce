"""Benchmark of the cross-check: recall, precision and latency at scale, against a brute-force scan.

    python bench/crosscheck.py [--size 1000000] [--database-url URL] [--queries 2000]

1. A synthetic reference set of SIZE persons (bench/crosscheck_data.py: names in Cyrillic, Greek
   and Latin scripts, dates of birth of every precision, a deterministic seed) is written as CSV
   and loaded with the same code as `spoc crosscheck load` (normalisation, key index, bulk insert).
2. QUERIES true variants of reference persons, in equal parts: a typo, surname and given names
   swapped, another transliteration (or umlauts expanded / stripped), day and month of the date
   of birth swapped, the date of birth missing; plus QUERIES persons who are in the set under no
   spelling (exact name-and-date twins of a reference person are left out of these).
3. Each query is normalised and searched (matching.search over the SQL key index); its time is
   measured end to end. Recall: true variants whose person is among the hits (strong or
   possible). Precision: hits that are the true person / all hits.
4. The reference: the same queries as a brute-force rapidfuzz scan (process.extract with
   Jaro-Winkler over every transliterated name), timed on a sample of queries (--brute-sample).

5. Name pairs gathered from published romanisation tables and naming conventions (ICAO Doc 9303,
   BGN/PCGN, ELOT 743, Polish, Romanian, Serbian and Arabic usage) and particle, phonetic,
   swapped-token and given-name-equivalent cases (bench/crosscheck_pairs.py names the source of
   each group): side A of each pair is loaded with the reference set (with a date of birth), side
   B is the query (with the same date). Recall of the pairs at "possible" or better; precision of
   the "strong" hits of all queries (synthetic, pairs, and pairs of two look-alike people who share
   a date of birth, bench/crosscheck_pairs.NEGATIVES).

The last line is JSON: {"size", "p95_ms", "recall", "precision", "brute_p95_ms", "speedup",
"strong_precision", "pairs", "pairs_recall", "pairs_strong_precision", "pairs_missed"}.
Without --database-url the database is a SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

# The bench folder holds scripts named like the project's packages (reports.py): keep it off the path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
_spec = importlib.util.spec_from_file_location("crosscheck_data", HERE / "crosscheck_data.py")
crosscheck_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(crosscheck_data)
person, transliterate, typo = crosscheck_data.person, crosscheck_data.transliterate, crosscheck_data.typo
_spec = importlib.util.spec_from_file_location("crosscheck_pairs", HERE / "crosscheck_pairs.py")
crosscheck_pairs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(crosscheck_pairs)

from casemgmt.crosscheck.index import SqlIndex  # noqa: E402
from casemgmt.crosscheck.matching import search  # noqa: E402
from casemgmt.crosscheck.normalise import normalise_name  # noqa: E402
from casemgmt.crosscheck.reference import load_dataset_in_batches, subject_from_row  # noqa: E402

COUNTRY = "BE"
DATASET = "bench-synthetic"
MAPPING = "ref=id,surname=surname,given_names=given_names,date_of_birth=dob,nationality=nationality,document_number=document"
QUERY_MAPPING = {"surname": "surname", "given_names": "given_names", "date_of_birth": "dob",
                 "nationality": "nationality"}
CATEGORIES = ("typo", "swapped names", "transliteration", "day/month swapped", "date of birth missing")


def log(*parts) -> None:
    print(*parts, flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


PARTICLES = {"van", "der", "den", "de"}


def name_key(p: dict) -> str:
    """A name as anyone would read it: letters without marks, any order, particles dropped."""
    text = unicodedata.normalize("NFKD", f"{p['surname']} {p['given_names']}".casefold())
    words = "".join(c for c in text if not unicodedata.combining(c)).replace("ø", "o").replace("ł", "l").split()
    return " ".join(sorted(w for w in words if w not in PARTICLES))


def make_queries(persons: list[dict], n: int, rnd: random.Random) -> list[tuple[dict, int, str]]:
    """n true variants: (query fields, the reference person's id, category)."""
    common = Counter(name_key(p) for p in persons)
    out: list[tuple[dict, int, str]] = []
    per_category = [n // len(CATEGORIES) + (1 if i < n % len(CATEGORIES) else 0) for i in range(len(CATEGORIES))]
    for category, count in zip(CATEGORIES, per_category, strict=True):
        made = 0
        while made < count:
            p = rnd.choice(persons)
            q = {"surname": p["surname"], "given_names": p["given_names"], "dob": p["dob"],
                 "nationality": p["nationality"]}
            if category == "typo":
                if rnd.random() < 0.5:
                    q["surname"] = typo(q["surname"], rnd)
                else:
                    q["given_names"] = typo(q["given_names"], rnd)
            elif category == "swapped names":
                q["surname"], q["given_names"] = q["given_names"], q["surname"]
            elif category == "transliteration":
                if p["culture"] == "nl" and p["surname"].isascii() and p["given_names"].isascii():
                    continue  # nothing to transliterate
                q["surname"] = transliterate(q["surname"], p["culture"], rnd)
                q["given_names"] = transliterate(q["given_names"], p["culture"], rnd)
            elif category == "day/month swapped":
                if p["precision"] != "day" or p["day"] > 12 or p["day"] == p["month"]:
                    continue
                q["dob"] = f"{p['month']:02d}.{p['day']:02d}.{p['year']}"
            else:
                # Without a date only the name is left: a name that others bear too (spelt alike
                # up to accents) identifies nobody, so the target's name is one of a kind.
                if not p["dob"] or common[name_key(p)] > 1:
                    continue
                q["dob"] = ""
            if q["surname"] == "" or (q == {k: p[k] for k in q} and category != "swapped names"):
                continue
            out.append((q, p["id"], category))
            made += 1
    return out


def make_strangers(persons: list[dict], n: int, seed: int) -> list[tuple[dict, None, str]]:
    """n persons of the same kind who are not in the reference set. Left out: twins that nothing
    tells apart from a reference person (the same name up to accents, and the same date of birth
    or none on either side): any matcher must call those a hit."""
    known: dict[str, set[str]] = {}
    for p in persons:
        known.setdefault(name_key(p), set()).add(p["dob"])
    rnd = random.Random(seed + 1)
    out: list[tuple[dict, None, str]] = []
    while len(out) < n:
        p = person(rnd, -1)
        dobs = known.get(name_key(p))
        if dobs is not None and (not p["dob"] or p["dob"] in dobs or "" in dobs):
            continue
        out.append(({"surname": p["surname"], "given_names": p["given_names"], "dob": p["dob"],
                     "nationality": p["nationality"]}, None, "nobody"))
    return out


def write_csv(persons: list[dict], path: Path, extra: list[dict] = ()) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "surname", "given_names", "dob", "nationality", "document"])
        for p in [*persons, *extra]:
            writer.writerow([p["id"], p["surname"], p["given_names"], p["dob"], p["nationality"], p["document"]])


def make_pairs(seed: int) -> tuple[list[dict], list[tuple[dict, str | None, str]]]:
    """The corpus pairs: (reference rows of side A, queries of side B with their target)."""
    rnd = random.Random(seed + 2)
    rows: list[dict] = []
    queries: list[tuple[dict, str | None, str]] = []
    for kind, items in (("pair", crosscheck_pairs.PAIRS), ("neg", crosscheck_pairs.NEGATIVES)):
        for i, (group, surname_a, given_a, surname_b, given_b) in enumerate(items):
            dob = f"{rnd.randint(1950, 2003)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            ref = f"{kind}-{i}"
            rows.append({"id": ref, "surname": surname_a, "given_names": given_a, "dob": dob, "nationality": "",
                         "document": ""})
            queries.append(({"surname": surname_b, "given_names": given_b, "dob": dob, "nationality": ""},
                            ref if kind == "pair" else None, f"{kind}:{group}"))
    return rows, queries


def run_pairs(database, queries) -> dict:
    """Recall of the true pairs at possible or better; precision of the strong hits."""
    found = strong_true = strong_all = 0
    missed: list[str] = []
    with database.read_session() as session:
        index = SqlIndex(session)
        for q, target, group in queries:
            hits = search(index, COUNTRY, subject_from_row(q, QUERY_MAPPING, ref="q", default_country=COUNTRY))
            refs = {h.subject.ref for h in hits}
            strong = [h for h in hits if h.level == "strong"]
            strong_all += len(strong)
            strong_true += sum(h.subject.ref == f"row:{target}" for h in strong)
            if target is not None:
                if f"row:{target}" in refs:
                    found += 1
                else:
                    missed.append(f"{group} {q['surname']} {q['given_names']}")
    positives = sum(target is not None for _, target, _ in queries)
    return {"pairs": positives, "pairs_recall": round(found / positives, 4) if positives else 1.0,
            "pairs_strong_precision": round(strong_true / strong_all, 4) if strong_all else 1.0,
            "pairs_missed": missed, "strong_true": strong_true, "strong_all": strong_all}


def open_database(url: str | None, workdir: Path):
    from portal import create_app
    from portal.commands import init_database

    url = url or f"sqlite:///{workdir / 'bench.db'}"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(workdir / "instance"),
                      "SECRET_KEY": "bench-secret-key-0123456789abcdef0123", "MAIL_SERVER": ""})
    with app.app_context():
        init_database()
    return app.extensions["spoc_db"], url


def run_queries(database, queries) -> tuple[list[float], int, int, int, Counter, tuple[int, int]]:
    times: list[float] = []
    true_hits = all_hits = found = strong_true = strong_all = 0
    missed: Counter = Counter()
    with database.read_session() as session:
        index = SqlIndex(session)
        for q, _, _ in queries[:50]:  # warm the caches (page cache, transliteration cache) first
            search(index, COUNTRY, subject_from_row(q, QUERY_MAPPING, ref="q", default_country=COUNTRY))
        for q, target, category in queries:
            t0 = time.perf_counter()
            subject = subject_from_row(q, QUERY_MAPPING, ref="q", default_country=COUNTRY)
            hits = search(index, COUNTRY, subject)
            times.append((time.perf_counter() - t0) * 1000)
            refs = {h.subject.ref for h in hits}
            all_hits += len(hits)
            strong = [h for h in hits if h.level == "strong"]
            strong_all += len(strong)
            strong_true += sum(target is not None and h.subject.ref == f"row:{target}" for h in strong)
            if target is not None:
                if f"row:{target}" in refs:
                    found += 1
                    true_hits += 1
                else:
                    missed[category] += 1
    return times, found, true_hits, all_hits, missed, (strong_true, strong_all)


def brute_force(persons, queries, sample: int, rnd: random.Random) -> tuple[list[float], float]:
    """Jaro-Winkler over every name (process.extract), on a sample of the queries."""
    from rapidfuzz import process
    from rapidfuzz.distance import JaroWinkler

    names = [normalise_name(p["surname"], p["given_names"]).primary() for p in persons]
    chosen = rnd.sample(queries, min(sample, len(queries)))
    times = []
    found = true_total = 0
    for q, target, _ in chosen:
        t0 = time.perf_counter()
        text = normalise_name(q["surname"], q["given_names"]).primary()
        best = process.extract(text, names, scorer=JaroWinkler.normalized_similarity, limit=10,
                               score_cutoff=0.85)
        times.append((time.perf_counter() - t0) * 1000)
        if target is not None:
            true_total += 1
            found += any(index + 1 == target for _, _, index in best)
    return times, (found / true_total if true_total else 0.0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--queries", type=int, default=2000, help="true variants, and as many strangers")
    parser.add_argument("--brute-sample", type=int, default=100, help="queries timed by brute force")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args(argv)
    rnd = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="xc-bench-") as tmp:
        workdir = Path(tmp)
        t0 = time.perf_counter()
        persons = [person(rnd, i) for i in range(1, args.size + 1)]
        pair_rows, pair_queries = make_pairs(args.seed)
        write_csv(persons, workdir / "reference.csv", pair_rows)
        log(f"generated {args.size:,} persons in {time.perf_counter() - t0:.1f} s "
            f"({sum(p['culture'] == 'cyr' for p in persons):,} Cyrillic, {sum(p['culture'] == 'gr' for p in persons):,} Greek)")

        database, url = open_database(args.database_url, workdir)
        log(f"database: {url.split('@')[-1]}")
        t0 = time.perf_counter()
        report = load_dataset_in_batches(database.unit_of_work, country=COUNTRY, name=DATASET,
                                         path=workdir / "reference.csv", mapping_text=MAPPING, replace=True)
        load_s = time.perf_counter() - t0
        log(f"loaded {report.loaded:,} rows ({report.rejected} rejected) in {load_s:.1f} s "
            f"({report.loaded / load_s:,.0f} rows/s)")

        true_queries = make_queries(persons, args.queries, rnd)
        strangers = make_strangers(persons, args.queries, args.seed)
        queries = true_queries + strangers
        rnd.shuffle(queries)
        times, found, true_hits, all_hits, missed, (strong_true, strong_all) = run_queries(database, queries)
        recall = found / len(true_queries)
        precision = true_hits / all_hits if all_hits else 1.0
        p50, p95, p99 = (percentile(times, p) for p in (50, 95, 99))
        log(f"{len(queries):,} queries: p50 {p50:.2f} ms, p95 {p95:.2f} ms, p99 {p99:.2f} ms, mean "
            f"{statistics.mean(times):.2f} ms")
        log(f"recall {recall:.4f} ({found}/{len(true_queries)}); precision {precision:.4f} "
            f"({true_hits}/{all_hits} hits are the true person)")
        if missed:
            log("missed by category: " + ", ".join(f"{k} {v}" for k, v in missed.most_common()))
        pairs = run_pairs(database, pair_queries)
        strong_true += pairs.pop("strong_true")
        strong_all += pairs.pop("strong_all")
        strong_precision = strong_true / strong_all if strong_all else 1.0
        log(f"name pairs from published tables ({pairs['pairs']} true pairs, "
            f"{len(pair_queries) - pairs['pairs']} look-alike pairs): recall {pairs['pairs_recall']:.4f}; strong "
            f"hits of all queries that are the true person: {strong_precision:.4f} ({strong_true}/{strong_all}), "
            f"of the pair queries {pairs['pairs_strong_precision']:.4f}")
        if pairs["pairs_missed"]:
            log("pairs missed: " + "; ".join(pairs["pairs_missed"]))

        brute_times, brute_recall = brute_force(persons, queries, args.brute_sample, rnd)
        brute_p95 = percentile(brute_times, 95)
        log(f"brute force (rapidfuzz process.extract, Jaro-Winkler over {args.size:,} names) timed on "
            f"{len(brute_times)} of the {len(queries):,} queries: p95 {brute_p95:.1f} ms; its recall "
            f"(true person in its top 10, names only) {brute_recall:.3f}")
        if args.database_url is None:
            database.dispose()
        result = {"size": args.size, "p95_ms": round(p95, 3), "recall": round(recall, 4),
                  "precision": round(precision, 4), "brute_p95_ms": round(brute_p95, 2),
                  "speedup": round(brute_p95 / p95, 1) if p95 else None,
                  "strong_precision": round(strong_precision, 4), **pairs}
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("SPOC_LOG_LEVEL", "WARNING")
    sys.exit(main())
