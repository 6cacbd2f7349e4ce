"""`spoc questionnaire …` and `spoc round …`: publish definitions, open and close rounds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def _database():
    return current_app.extensions["spoc_db"]


@click.group("questionnaire")
def questionnaire_group():
    """Questionnaire definitions and their versions."""


@questionnaire_group.command("list")
@with_appcontext
def list_command():
    """List the published questionnaire versions."""
    from questionnaires.services import versions

    with _database().read_session() as session:
        found = versions.published_versions(session)
        if not found:
            click.echo("No questionnaire is published yet.")
        for v in found:
            click.echo(f"{v.id:>4}  {v.questionnaire.slug:<24} v{v.number:<3} {versions.question_count(v):>4} questions"
                       f"  {v.title}")


@questionnaire_group.command("publish")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def publish_command(file: Path):
    """Validate FILE.yaml and publish it (a new version if it changed)."""
    from questionnaires.definitions import DefinitionError, load_definition_file
    from questionnaires.services import versions

    try:
        definition = load_definition_file(file)
    except DefinitionError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    with _database().unit_of_work() as session:
        published = versions.publish_definition(session, definition)
        v = published.version
        what = "published as" if published.created else "unchanged; still"
        click.echo(f"{definition.id}: {what} version {v.number} (id {v.id}, {len(definition.questions)} questions)")


@questionnaire_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--publish/--check", default=True, show_default=True,
              help="Publish the converted questionnaire, or only check that it converts.")
@with_appcontext
def import_command(file: Path, publish: bool):
    """Convert an XLSForm workbook (.xlsx) into our format and publish it."""
    from questionnaires.services import versions
    from questionnaires.xlsform import XLSFormImportError, import_xlsform

    try:
        definition = import_xlsform(file.read_bytes(), filename=file.name)
    except XLSFormImportError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    if not publish:
        click.echo(f"{file}: converts to {definition.id} with {len(definition.questions)} questions")
        return
    with _database().unit_of_work() as session:
        published = versions.publish_definition(session, definition)
        v = published.version
        what = "published as" if published.created else "unchanged; still"
        click.echo(f"{definition.id}: {what} version {v.number} (id {v.id}, {len(definition.questions)} questions)")


@click.group("round")
def round_group():
    """Questionnaire rounds."""


@round_group.command("open")
@click.argument("slug")
@click.option("--version", "number", type=int, default=None, help="Version number (default: the latest).")
@click.option("--title", required=True)
@click.option("--deadline", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--countries", default="", help="Comma-separated codes (default: all 31).")
@click.option("--invite/--no-invite", default=True, show_default=True, help="Mail the respondents now.")
@click.option("--prefill", is_flag=True, help="Start each draft from the country's last submitted answers.")
@click.option("--clearance", is_flag=True, help="The Head of SPOC approves each response before it is submitted.")
@with_appcontext
def open_command(slug, number, title, deadline: dt.datetime, countries, invite, prefill, clearance):
    """Open a round of questionnaire SLUG for some or all countries."""
    from portal.mail.delivery import send_pending
    from questionnaires.services import QuestionnaireError, rounds, versions

    database = _database()
    with database.unit_of_work() as session:
        version = versions.version_by_slug(session, slug, number)
        if version is None:
            raise click.ClickException(f"no published questionnaire {slug!r}"
                                       + (f" version {number}" if number else ""))
        codes = [c.strip() for c in countries.split(",") if c.strip()] or rounds.all_country_codes(session)
        try:
            round_ = rounds.open_round(session, version, title=title, deadline=deadline.date(), countries=codes,
                                       actor=None, prefill=prefill, requires_clearance=clearance)
        except QuestionnaireError as exc:
            raise click.ClickException(str(exc)) from None
        links = rounds.Links(current_app.config["BASE_URL"], int(current_app.config["INVITE_LINK_HOURS"]))
        invited = rounds.invite(session, round_, links) if invite else []
        click.echo(f"Round {round_.id} \"{round_.title}\" is open for {len(codes)} countries; "
                   f"{len(invited)} respondents invited.")
    with database.write_session() as session:
        sent, failed = send_pending(session, current_app.config)
    if invite:
        click.echo(f"mail sent {sent}, failed {failed}")


@round_group.command("close")
@click.argument("round_id", type=int)
@with_appcontext
def close_command(round_id: int):
    """Close a round: its answers can no longer change."""
    from questionnaires.models import Round
    from questionnaires.services import QuestionnaireError, rounds

    with _database().unit_of_work() as session:
        round_ = session.get(Round, round_id)
        if round_ is None:
            raise click.ClickException(f"no round {round_id}")
        try:
            rounds.close_round(session, round_, None)
        except QuestionnaireError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Round {round_id} is closed.")
