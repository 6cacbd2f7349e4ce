"""Real ZIP bombs, written as a stream (the test process never holds their unpacked content), and
a way to measure what reading one costs: the peak memory of a fresh Python process."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

MB = 1024 * 1024


def write_odt_bomb(path: Path, unpacked_mb: int = 400) -> Path:
    """An OpenDocument text whose `mimetype` entry unpacks to `unpacked_mb` MB (the type check's entry)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("mimetype", "w") as f:
            f.write(b"application/vnd.oasis.opendocument.text")
            zeros = b"\0" * MB
            for _ in range(unpacked_mb):
                f.write(zeros)
        z.writestr("content.xml", b"<x/>")
    return path


def write_xlsform_bomb(path: Path, cell_mb: int = 300) -> Path:
    """A valid XLSForm workbook (openpyxl's own) whose one label cell holds `cell_mb` MB of text."""
    from openpyxl import Workbook

    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["text", "q1", "HUGE-CELL-PLACEHOLDER"])
    small = path.with_suffix(".small.xlsx")
    wb.save(small)
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if b"HUGE-CELL-PLACEHOLDER" not in content:
                dst.writestr(info, content)
                continue
            head, tail = content.split(b"HUGE-CELL-PLACEHOLDER")
            with dst.open(info.filename, "w") as f:
                f.write(head)
                block = b"A" * MB
                for _ in range(cell_mb):
                    f.write(block)
                f.write(tail)
    small.unlink()
    return path


def peak_growth_mb(code: str, path: Path) -> tuple[float, str]:
    """Run `code` (which reads the file at `path`, given as the variable `data`, and sets `result`)
    in a fresh interpreter; how far its peak memory rose meanwhile (MB), and `result` as text."""
    script = f"""
import json, resource, sys
data = open(sys.argv[1], "rb").read()
import portal.files, questionnaires.xlsform.workbook  # imports are not the reading's cost
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
{code}
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"grew_kb": after - before, "result": str(result)}}))
"""
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=300,
                         check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    return found["grew_kb"] / 1024, found["result"]
