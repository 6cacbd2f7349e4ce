"""`spoc funding list|export`: the year's funded activities, as the year's funding page shows them."""

from __future__ import annotations

import csv
import io

from portal.db import utcnow


def test_list_prints_each_activity_and_the_year_s_total(app, funded_meeting):
    funded_meeting("First meeting", actual="1000")
    out = app.test_cli_runner().invoke(args=["funding", "list", "--year", str(utcnow().year)]).output
    assert "First meeting  planned € 4 500.50  actual € 1 000.00  ISF € 750.00" in out
    assert f"Total {utcnow().year}: planned € 4 500.50, actual € 1 000.00, ISF € 750.00 (1 activities)" in out
    assert "(0 activities)" in app.test_cli_runner().invoke(args=["funding", "list", "--year", "2001"]).output


def test_export_writes_one_csv_row_per_activity_with_its_categories(app, funded_meeting, tmp_path):
    funded_meeting("First meeting", actual="1000")
    funded_meeting("Second meeting", actual="2000")
    target = tmp_path / "funding.csv"
    result = app.test_cli_runner().invoke(args=["funding", "export", "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert [(r["activity"], r["planned"], r["actual"], r["isf_share"]) for r in rows] == [
        ("First meeting", "4500.50", "1000.00", "750.00"), ("Second meeting", "4500.50", "2000.00", "1500.00")]
    assert (rows[0]["venue_planned"], rows[0]["venue_actual"], rows[0]["travel_planned"]) == (
        "3000.00", "1000.00", "1500.50")
    assert rows[0]["subject_type"] == "meeting" and rows[0]["funding_source"] == "ISF Police"
    bad = app.test_cli_runner().invoke(args=["funding", "export", "--year", "soon"])
    assert bad.exit_code != 0 and "year" in bad.output.lower()
