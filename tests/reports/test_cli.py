"""`spoc report ROUND_ID --format xlsx|docx|csv --out FILE`."""

from __future__ import annotations

import docx
import openpyxl


def test_report_command_writes_each_format(app, submitted_round, tmp_path):
    rid = submitted_round()
    runner = app.test_cli_runner()
    for fmt in ("xlsx", "docx", "csv"):
        out = tmp_path / f"r.{fmt}"
        result = runner.invoke(args=["report", str(rid), "--format", fmt, "--out", str(out), "--workers", "1"])
        assert result.exit_code == 0, result.output
        assert "3 countries" in result.output
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert "Maturity" in wb.sheetnames and len(wb["Charts"]._images) == 5
    # the secretariat's view: every country's free text
    free = [[c.value for c in row] for row in wb["Free text"].iter_rows(min_row=2)]
    assert [r[2] for r in free] == ["BE", "NL"]
    assert len(docx.Document(tmp_path / "r.docx").inline_shapes) == 7
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbfround,country,question")


def test_report_command_explains_a_wrong_round_or_format(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "999", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code != 0 and "There is no round 999" in result.output
    result = runner.invoke(args=["report", "1", "--format", "pdf", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and "'pdf' is not one of" in result.output
    assert not (tmp_path / "x.xlsx").exists()
