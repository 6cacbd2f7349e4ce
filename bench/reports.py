"""Benchmark of the comparative report: the full report against the bare pandas pivot of the same data.

    python bench/reports.py [--countries 31 --questions 300 --rounds 4] [--workers 2]

1. A synthetic questionnaire of QUESTIONS questions with the type mix of the shipped one
   (bench/reports_data.py) and answers of COUNTRIES countries over ROUNDS rounds.
2. The full report of the last round, timed end to end, charts drawn COLD (an empty cache): the
   tidy frames of every round, every table (with the round-over-round change), every chart as PNG
   (in WORKERS processes), and the XLSX workbook with the charts in it.
3. The reference, in the same run: the bare pandas pivot (rounds × countries × questions) of the
   same tidy data.

Peak memory is the peak resident set size (resource.getrusage ru_maxrss) of this process and of
the chart-drawing worker processes, whichever is larger. The last line is JSON:
{"report_s", "pivot_s", "peak_mb", ...}.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

# This file is named like the `reports` package: the package must win, the data module comes after it.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))

import pandas as pd  # noqa: E402
from reports_data import synthetic_definition, synthetic_rounds  # noqa: E402

from reports.chart_cache import ChartCache  # noqa: E402
from reports.exports import xlsx_report  # noqa: E402
from reports.frame import tidy_frame  # noqa: E402
from reports.report import build_report  # noqa: E402


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports kilobytes


def cpu_seconds() -> float:
    """CPU time of this process and of its finished workers: what the report costs whatever the load."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--countries", type=int, default=31)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()

    definition = synthetic_definition(args.questions)
    answers = synthetic_rounds(definition, args.countries, args.rounds)
    kinds = pd.Series([q.type for q in definition.questions]).value_counts().to_dict()
    print(f"synthetic questionnaire: {args.questions} questions {kinds}; {args.countries} countries, "
          f"{args.rounds} rounds; chart workers: {args.workers}", flush=True)

    with tempfile.TemporaryDirectory() as folder:
        cache = ChartCache(Path(folder) / "charts")  # empty: the charts are drawn cold
        t0, cpu0 = time.perf_counter(), cpu_seconds()
        frames = [tidy_frame(definition, r, round_id=i + 1) for i, r in enumerate(answers)]
        t_frame = time.perf_counter()
        previous = [(f"Round {i + 1}", definition, f) for i, f in enumerate(frames[:-1])]
        report = build_report(definition, frames[-1], title="Synthetic report", subtitle=f"Round {args.rounds}",
                              previous=previous, current_label=f"Round {args.rounds}")
        t_tables = time.perf_counter()
        cache.get_many(report.charts, "png", workers=args.workers)
        t_charts = time.perf_counter()
        workbook = xlsx_report(report, cache)
        t_end = time.perf_counter()
        report_s = t_end - t0
        report_cpu_s = cpu_seconds() - cpu0
        print(f"tidy frames: {sum(len(f) for f in frames)} rows in {t_frame - t0:.2f} s; "
              f"tables: {len(report.tables)} in {t_tables - t_frame:.2f} s; "
              f"charts: {len(report.charts)} (cold, {cache.misses} drawn) in {t_charts - t_tables:.2f} s; "
              f"XLSX: {len(workbook) / 1e6:.1f} MB in {t_end - t_charts:.2f} s", flush=True)

        data = pd.concat(frames, ignore_index=True)
        t1 = time.perf_counter()
        pivot = data.pivot_table(index=["round", "country"], columns="question", values="label", aggfunc="first")
        pivot_s = time.perf_counter() - t1
        print(f"bare pandas pivot: {pivot.shape[0]} × {pivot.shape[1]} in {pivot_s:.3f} s")

    load = os.getloadavg()[0]
    print(f"CPU time of the report: {report_cpu_s:.2f} s over {args.workers} processes; load average {load:.1f} "
          f"on {os.cpu_count()} cores (wall-clock times grow with the load of other programs)")
    result = {"report_s": round(report_s, 3), "pivot_s": round(pivot_s, 4), "peak_mb": round(peak_mb(), 1),
              "report_cpu_s": round(report_cpu_s, 3), "load_average": round(load, 2),
              "charts": len(report.charts), "tables": len(report.tables), "workers": args.workers,
              "countries": args.countries, "questions": args.questions, "rounds": args.rounds,
              "peak_measure": "max ru_maxrss of the process and its chart workers"}
    print(f"report {report_s:.2f} s (goal 5 s), pivot {pivot_s:.3f} s, peak {result['peak_mb']:.0f} MB (goal 500 MB)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
