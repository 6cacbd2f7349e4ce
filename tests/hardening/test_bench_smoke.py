"""The intake benchmark still runs end to end (a tiny size): gunicorn, HTTP writers, its JSON line.
The benchmarks themselves run on demand (bench/*.py); no figure is asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(bool(os.environ.get("SPOC_TEST_DATABASE_URL")),
                    reason="the benchmark makes its own SQLite file: it runs once, in the SQLite pass")
def test_intake_benchmark_runs_and_counts_nothing_lost():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "intake.py"), "--cases", "48", "--writers", "4"],
                            capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    # 48 timed, after 4 writers × 4 warm-up messages (checked too, not timed)
    assert figures["measured"] == 48 and figures["acknowledged"] == 64 and figures["failed_requests"] == 0, \
        result.stdout
    assert figures["duplicates"] == 0 and figures["lost"] == 0 and figures["audit_intact"], result.stdout
    assert {"cases_per_s", "duplicates", "lost"} <= set(figures)


def test_planted_surnames_hold_the_same_cases_at_every_size():
    """bench/scale.py's surname searches: one case holds RARE and COMMON_CASES hold COMMON, whatever the size."""
    sys.path.append(str(ROOT / "bench"))
    from search import COMMON, COMMON_CASES, RARE, planted

    for n in (3000, 10_000, 100_000, 1_000_000):
        names = [planted(i, n) for i in range(n)]
        assert names.count(RARE) == 1 and names.count(COMMON) == COMMON_CASES == 60
        spread = [i for i, name in enumerate(names) if name == COMMON]
        assert spread[0] < n // 60 and spread[-1] > n - n // 60  # over every bulk case, the oldest to the newest
