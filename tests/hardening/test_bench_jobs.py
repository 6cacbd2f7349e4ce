"""The task-queue benchmark still runs end to end at a tiny size (two web processes, a worker, two
SMTP servers) and loses no mail; its figures are for bench/jobs.py at full size, not asserted here."""

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
def test_jobs_benchmark_runs_and_loses_no_mail():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "jobs.py"), "--rounds", "1", "--respondents", "1",
                             "--mails", "40", "--mail-delay-ms", "50"],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"with_mail_ms", "without_mail_ms", "ratio", "mails_per_s", "lost"} <= set(figures)
    # 4 rounds (a warm-up and a timed one on each server) × 31 invitations + 40 messages, all delivered
    assert figures["messages"] == 4 * 31 + 40 and figures["lost"] == 0, result.stdout
