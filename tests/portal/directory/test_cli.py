"""`spoc directory list` and `spoc directory export`: the SPOC records on the command line, as CSV."""

from __future__ import annotations

import csv
import io

from portal.directory.models import Spoc


def test_list_prints_one_line_per_country(app, db):
    spoc = db.get(Spoc, "BE")
    spoc.phone_24_7, spoc.email = "+3226426380", "spoc@police.invalid"
    db.commit()
    out = app.test_cli_runner().invoke(args=["directory", "list"]).output
    lines = out.strip().splitlines()
    assert len(lines) == 31
    assert "BE  SPOC Belgium  +3226426380  spoc@police.invalid" in lines


def test_export_writes_the_records_as_csv(app, db, tmp_path):
    spoc = db.get(Spoc, "EL")
    spoc.head_name, spoc.languages = "N. Papadopoulos", "el, en"
    db.commit()
    result = app.test_cli_runner().invoke(args=["directory", "export"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 31
    greece = next(r for r in rows if r["country"] == "EL")
    assert greece["iso_code"] == "GR" and greece["head_name"] == "N. Papadopoulos"
    assert greece["languages"] == "el,en" and greece["bound_by_2023_977"] == "yes"
    target = tmp_path / "spocs.csv"
    app.test_cli_runner().invoke(args=["directory", "export", "-o", str(target)])
    assert target.read_text(encoding="utf-8") == result.output
