"""Fixtures of the cross-check tests: reference data sets written as CSV and loaded through the CLI."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

MAP = "ref=Nr,surname=Name,given_names=Vorname,date_of_birth=Geboren,nationality=Land"


def provenance(extract=None, expires=None) -> list[str]:
    """The options `spoc crosscheck load` requires: legal basis, owner, extract date, refresh, expiry."""
    today = dt.date.today()
    return ["--legal-basis", "Police Act Art. 44/1, persons sought", "--owner", "Federal Police, DJSOC",
            "--extract-date", (extract or today - dt.timedelta(days=2)).isoformat(), "--refresh-days", "30",
            "--expires", (expires or today + dt.timedelta(days=60)).isoformat()]


@pytest.fixture
def wanted_csv(tmp_path):
    """wanted_csv(*rows) -> path of a CSV file with those rows."""
    def write(*rows):
        path = tmp_path / f"wanted-{len(list(tmp_path.iterdir()))}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=["Nr", "Name", "Vorname", "Geboren", "Land"])
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def load(app):
    """load(path, *options) -> click result of `spoc crosscheck load wanted PATH --country BE --map MAP …`."""
    def run(path, *options, country="BE"):
        result = app.test_cli_runner().invoke(args=["crosscheck", "load", "wanted", str(path), "--country", country,
                                                    "--map", MAP, *provenance(), *options])
        assert result.exit_code == 0, result.output
        return result

    return run
