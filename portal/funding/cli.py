"""`spoc funding …` commands: a year's funded activities with their budget and costs, as the year's
funding page shows them (/meetings/funding)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.db import utcnow
from portal.exports import csv_bytes
from portal.funding import services
from portal.funding.enums import CostCategory

HEADER = ["subject_type", "activity", "funding_source", "isf_rate", "planned", "actual", "isf_share",
          "national_share", *(f"{c.value}_{kind}" for c in CostCategory for kind in ("planned", "actual"))]


@click.group("funding")
def funding_group():
    """Funding: budgets and costs of the network's meetings and training activities."""


def _year(year: int | None) -> dict:
    with current_app.extensions["spoc_db"].read_session() as session:
        return services.year_totals(session, year or utcnow().year)


@funding_group.command("list")
@click.option("--year", type=click.IntRange(2000, 2100), help="The year (default: this year).")
@with_appcontext
def list_command(year):
    """One line per funded activity of the year: planned, actual, ISF share; then the year's total."""
    summary = _year(year)
    for r in summary["rows"]:
        click.echo(f"{r['label']}  planned {services.euros(r['planned'])}  actual {services.euros(r['actual'])}"
                   f"  ISF {services.euros(r['isf_share'])}")
    click.echo(f"Total {summary['year']}: planned {services.euros(summary['planned'])}, actual "
               f"{services.euros(summary['actual'])}, ISF {services.euros(summary['isf_share'])}"
               f" ({len(summary['rows'])} activities)")


@funding_group.command("export")
@click.option("--year", type=click.IntRange(2000, 2100), help="The year (default: this year).")
@click.option("--output", "-o", type=click.File("wb"), default="-", help="File to write (default: standard output).")
@with_appcontext
def export_command(year, output):
    """The year's funded activities as CSV (UTF-8, one header line): totals, then planned and actual per
    category; amounts in EUR with two decimals."""
    rows = [[r["subject_type"], r["label"], r["funding_source"], r["isf_rate"], r["planned"], r["actual"],
             r["isf_share"], r["national_share"],
             *(r["categories"][c.value][kind] for c in CostCategory for kind in ("planned", "actual"))]
            for r in _year(year)["rows"]]
    (output or sys.stdout.buffer).write(csv_bytes(HEADER, rows))
