"""`spoc cases …`: file import, settings, retention reviews due."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal import policy


def _database():
    return current_app.extensions["spoc_db"]


@click.group("cases")
def cases_group():
    """Case management of a SPOC."""


@cases_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--country", "country_code", required=True, help="The SPOC the messages belong to, e.g. BE.")
@click.option("--user", "email", default=None, help="Officer or supervisor recorded as collecting them.")
@click.option("--batch", "batch_size", default=500, show_default=True, type=click.IntRange(1, 10_000),
              help="Rows a transaction at most (one ends sooner after 0.2 s, to let other writers in).")
@with_appcontext
def import_command(file: Path, country_code: str, email: str | None, batch_size: int):
    """Register the messages of FILE.json (a list of intake payloads) or FILE.csv (one a row).

    Each row is checked like an API call; a rejected row is reported with its reasons and leaves
    nothing behind, and the rejected rows are written to FILE.rejected.csv, to correct and import
    again; the valid rows are registered (or attached to their known case) in batches. An
    interrupted import is simply run again: the rows registered already are skipped. Exits 1 when
    a row was rejected."""
    _import(file, country_code.strip().upper(), email, batch_size)


def _import(file: Path, country_code: str, email: str | None, batch_size: int = 500):
    from casemgmt.services.import_file import ImportFileError, read_rows
    from casemgmt.services.importing import import_rows
    from casemgmt.services.intake import Uploads
    from portal.accounts.services import find_user
    from portal.directory.models import Country

    try:
        rows = read_rows(file.name, file.read_bytes())
    except (ImportFileError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file.name}: {exc}") from None
    # nobody at hand to confirm a scanned PDF: it is held for an officer (casemgmt.services.scans)
    uploads = Uploads(current_app.config["UPLOAD_FOLDER"], int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024,
                      unattended=True)
    database = _database()
    with database.read_session() as reader:
        if reader.get(Country, country_code) is None:
            raise click.BadParameter(f"unknown country {country_code!r}", param_hint="--country")
        actor = None
        if email:
            actor = find_user(reader, email)
            if actor is None or not policy.can_be_assigned(actor, country_code):  # an officer or supervisor of it
                raise click.BadParameter(f"{email} is not an officer or supervisor of {country_code}",
                                         param_hint="--user")
        reader.commit()
        with database.unit_of_work() as session, click.progressbar(
                length=len(rows), label=f"Importing {len(rows)} messages", file=sys.stderr, show_eta=True,
                show_percent=True, item_show_func=lambda rate: rate) as bar:
            started = time.monotonic()
            done = 0

            def progress(n: int) -> None:
                nonlocal done
                done += n
                elapsed = time.monotonic() - started
                bar.current_item = f"{done / elapsed:.0f}/s" if elapsed > 0 else ""
                bar.update(n)

            report = import_rows(session, country_code, rows, actor, uploads, read_session=reader,
                                 batch_size=batch_size, progress=progress)
    _print_report(file, rows, report, time.monotonic() - started)


def _print_report(file: Path, rows: list, report, elapsed: float) -> None:
    """What an import did, row by row for the rejected ones, which go to a CSV beside the input."""
    from casemgmt.services.import_file import rejected_path, write_rejected

    click.echo(f"{len(report.created)} cases registered, {len(report.attached)} messages attached to known cases, "
               f"{len(report.rejected)} rows rejected.")
    if report.skipped:
        click.echo(f"{len(report.skipped)} rows skipped: registered already (by an earlier run of this import).")
    click.echo(f"{report.total} rows in {elapsed:.1f} s ({report.total / elapsed if elapsed else 0:.0f}/s), "
               f"{report.transactions} transactions.")
    for number, existing in report.attached:
        click.echo(f"  row {number}: attached to {existing}")
    for number, errors in report.rejected:
        click.echo(f"  row {number} rejected: " + "; ".join(f"{k}: {v}" for k, v in errors.items()))
    if report.rejected:
        target = rejected_path(file)
        write_rejected(target, rows, report)
        click.echo(f"The {len(report.rejected)} rejected rows are in {target}: correct them there and import "
                   "that file again.")
        sys.exit(1)


@cases_group.command("settings")
@click.option("--country", "country_code", required=True)
@click.argument("key", required=False)
@click.argument("value", required=False)
@with_appcontext
def settings_command(country_code: str, key: str | None, value: str | None):
    """Show the SPOC's settings, or set KEY to VALUE (JSON, e.g. 12 or '["awaiting_clarification"]')."""
    from casemgmt.services import CaseError
    from casemgmt.services.settings import load_settings, set_setting

    country_code = country_code.strip().upper()
    with _database().unit_of_work() as session:
        if key is None:
            for k, v in load_settings(session, country_code).items():
                click.echo(f"{k} = {json.dumps(v)}")
            return
        try:
            parsed = json.loads(value) if value is not None else None
            set_setting(session, country_code, key, parsed)
        except (json.JSONDecodeError, CaseError) as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"{key} set for {country_code}.")


@cases_group.command("retention-due")
@click.option("--country", "country_code", required=True)
@with_appcontext
def retention_due_command(country_code: str):
    """List the closed cases whose retention review is due."""
    from casemgmt.services.retention import reviews_due

    with _database().read_session() as session:
        cases = reviews_due(session, country_code.strip().upper())
        for case in cases:
            click.echo(f"{case.registration_number}  concluded {case.exchange_concluded_at:%Y-%m-%d}  "
                       f"review due {case.review_due_at:%Y-%m-%d}")
    click.echo(f"{len(cases)} reviews due.")


@cases_group.command("search-reindex")
@click.option("--country", "country_code", default=None, help="Only this SPOC's cases.")
@with_appcontext
def search_reindex_command(country_code: str | None):
    """Write the search document of every case (after upgrading to search, or to repair the index)."""
    from casemgmt.services.search import purge_erased, reindex_all

    with _database().unit_of_work() as session:
        done = reindex_all(session, country_code.strip().upper() if country_code else None)
        purge_erased(session)
    click.echo(f"{done} cases indexed for search.")
