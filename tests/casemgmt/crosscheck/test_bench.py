"""The benchmark runs end to end at a small size (the real figures come from a 1M run, not from here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_crosscheck_runs_and_ends_with_its_json_line(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "crosscheck.py"), "--size", "2000", "--queries", "200",
                          "--brute-sample", "20", "--database-url", f"sqlite:///{tmp_path / 'bench.db'}"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert {"size", "p95_ms", "recall", "precision", "brute_p95_ms", "speedup"} <= set(result)
    assert result["size"] == 2000 and result["recall"] >= 0.9 and result["precision"] >= 0.9
    # the pairs of the published romanisation tables, particles, sounds, swapped and equivalent names
    assert result["pairs"] >= 200 and result["pairs_recall"] >= 0.98
    assert result["strong_precision"] >= 0.98 and len(result["pairs_missed"]) <= 4
