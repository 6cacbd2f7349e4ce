"""`spoc create-user` and `spoc create-token`: the accounts domain's commands."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, help="admin, secretariat, head_of_spoc, respondent, officer, "
                                            "supervisor, dpo, trainer or observer")
@click.option("--country", "country_code", default=None, help="Country code (EU style, e.g. BE, EL).")
@click.option("--agency", "agency_code", default=None, help="Agency code for observers, e.g. EUROPOL.")
@click.option("--name", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email, role, country_code, agency_code, name, password_stdin):
    """Create a user; the password is prompted for (or read from stdin)."""
    from portal.accounts.models import Role
    from portal.accounts.services import AccountError, create_user

    if role not in {r.value for r in Role}:
        raise click.BadParameter(f"unknown role {role!r}", param_hint="--role")
    password = sys.stdin.readline().rstrip("\n") if password_stdin else click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    try:
        with current_app.extensions["spoc_db"].unit_of_work() as session:
            user = create_user(session, email=email, role=role, country_code=(country_code or "").upper() or None,
                               agency_code=(agency_code or "").upper() or None, name=name, password=password,
                               min_length=current_app.config["PASSWORD_MIN_LENGTH"])
            click.echo(f"Created {user.email} ({role}{', ' + user.country_code if user.country_code else ''})")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="created with spoc create-token")
@with_appcontext
def create_token_command(email, name):
    """Create an API token for a user and print it alone on the last line."""
    from portal.accounts.services import create_token, find_user

    with current_app.extensions["spoc_db"].unit_of_work() as session:
        user = find_user(session, email)
        if user is None or not user.active:
            raise click.ClickException(f"no active user {email}")
        raw = create_token(session, user, name, current_app.config["API_TOKEN_DAYS"])
    click.echo(f"API token for {user.email}, valid {current_app.config['API_TOKEN_DAYS']} days (shown once):")
    click.echo(raw)


COMMANDS = (create_user_command, create_token_command)
