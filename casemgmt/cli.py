"""`spoc cases …`: file import, settings, retention reviews due."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def _database():
    return current_app.extensions["spoc_db"]


@click.group("cases")
def cases_group():
    """Case management of a SPOC."""


@cases_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--country", "country_code", required=True, help="The SPOC the messages belong to, e.g. BE.")
@click.option("--user", "email", default=None, help="Officer or supervisor recorded as collecting them.")
@with_appcontext
def import_command(file: Path, country_code: str, email: str | None):
    """Register the messages of FILE.json (a list of intake payloads) or FILE.csv (one a row).

    Each row is checked like an API call; a rejected row is reported with its reasons and leaves
    nothing behind; the valid rows are registered (or attached to their known case). Exits 1 when
    a row was rejected."""
    _import(file, country_code.strip().upper(), email)


def _import(file: Path, country_code: str, email: str | None):
    from casemgmt.services.importing import ImportFileError, import_rows, read_rows
    from casemgmt.services.intake import Uploads
    from portal.accounts.services import find_user
    from portal.directory.models import Country

    try:
        rows = read_rows(file.name, file.read_bytes())
    except (ImportFileError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file.name}: {exc}") from None
    uploads = Uploads(current_app.config["UPLOAD_FOLDER"], int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024)
    with _database().unit_of_work() as session:
        if session.get(Country, country_code) is None:
            raise click.BadParameter(f"unknown country {country_code!r}", param_hint="--country")
        actor = None
        if email:
            actor = find_user(session, email)
            if actor is None or actor.country_code != country_code or actor.role not in ("officer", "supervisor"):
                raise click.BadParameter(f"{email} is not an officer or supervisor of {country_code}",
                                         param_hint="--user")
        with click.progressbar(length=len(rows), label=f"Importing {len(rows)} messages", file=sys.stderr) as bar:
            def progress(items):
                for item in items:
                    yield item
                    bar.update(1)

            report = import_rows(session, country_code, rows, actor, uploads, progress=progress)
    click.echo(f"{len(report.created)} cases registered, {len(report.attached)} messages attached to known cases, "
               f"{len(report.rejected)} rows rejected.")
    for number, existing in report.attached:
        click.echo(f"  row {number}: attached to {existing}")
    for number, errors in report.rejected:
        click.echo(f"  row {number} rejected: " + "; ".join(f"{k}: {v}" for k, v in errors.items()))
    if report.rejected:
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
