"""`spoc report ROUND_ID --format xlsx|docx|csv --out FILE`: a round's full comparative report as a file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from questionnaires.models import Round


@click.command("report")
@click.argument("round_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["xlsx", "docx", "csv"]), default="xlsx", show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), required=True,
              help="File to write.")
@click.option("--workers", type=int, default=min(2, os.cpu_count() or 1), show_default=True,
              help="Processes drawing the charts.")
@with_appcontext
def report_command(round_id: int, fmt: str, out: str, workers: int):
    """Write the full report of ROUND_ID (every country's answers, as the secretariat sees it)."""
    from reports import services
    from reports.document import docx_report
    from reports.exports import csv_frame, xlsx_report

    cache = current_app.extensions["report_charts"]
    with current_app.extensions["spoc_db"].read_session() as session:
        round_ = session.get(Round, round_id)
        if round_ is None:
            raise click.ClickException(f"There is no round {round_id} (the Reports page lists the rounds).")
        steps = ["answers"] + (["charts"] if fmt != "csv" else []) + ["file"]
        with click.progressbar(length=len(steps) + 1, label=f"Report of “{round_.title}”",
                               file=sys.stderr) as bar:
            report, frame = services.round_report(session, round_, services.Viewer())
            bar.update(1)
            if fmt != "csv":
                bar.label = f"Drawing {len(report.charts)} charts"
                cache.get_many(report.charts, "png", workers=workers)
                bar.update(1)
            bar.label = f"Writing {fmt.upper()}"
            data = {"xlsx": lambda: xlsx_report(report, cache), "docx": lambda: docx_report(report, cache),
                    "csv": lambda: csv_frame(frame)}[fmt]()
            Path(out).write_bytes(data)
            bar.update(2)
    click.echo(f"Wrote {out}: {len(report.countries)} countries, {len(report.tables)} tables, "
               f"{len(report.charts)} charts ({len(data) // 1024} KB)")
