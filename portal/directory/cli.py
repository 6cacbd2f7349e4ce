"""`spoc directory …` commands: the SPOC records of the network's countries, as the directory shows them."""

from __future__ import annotations

import csv
import dataclasses
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.directory.services.records import FIELDS, SpocRecord, spoc_records


@click.group("directory")
def directory_group():
    """The directory: the SPOC records of the countries."""


def _records() -> list[SpocRecord]:
    with current_app.extensions["spoc_db"].read_session() as session:
        return spoc_records(session)


def _row(record: SpocRecord) -> dict:
    row = dataclasses.asdict(record)
    row["languages"] = ",".join(record.languages)
    row["bound_by_2023_977"] = "yes" if record.bound_by_2023_977 else "no"
    row["updated_at"] = record.updated_at.isoformat() if record.updated_at else ""
    return row


@directory_group.command("list")
@with_appcontext
def list_command():
    """One line per country: code, SPOC name, 24/7 phone, email."""
    for r in _records():
        click.echo(f"{r.country}  {r.name or '-'}  {r.phone_24_7 or '-'}  {r.email or '-'}")


@directory_group.command("export")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")
@with_appcontext
def export_command(output):
    """The SPOC records as CSV (UTF-8, one header line), in the directory's order."""
    writer = csv.DictWriter(output or sys.stdout, fieldnames=list(FIELDS), lineterminator="\n")
    writer.writeheader()
    for record in _records():
        writer.writerow(_row(record))
