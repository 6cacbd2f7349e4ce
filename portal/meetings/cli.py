"""`spoc meetings ...` commands and the reminders that `spoc send-reminders` runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.meetings.services import actions, invitations
from portal.meetings.services import activity_report as report_service


def send_meeting_reminders(session, config, now: dt.datetime, days: int) -> list[str]:
    """Owners of overdue action points (at most weekly), invitees who have not answered near the deadline."""
    base_url = config.get("BASE_URL", "")
    return (invitations.due_invitation_reminders(session, base_url, now, days)
            + actions.overdue_reminders(session, base_url, now))


@click.group("meetings")
def meetings_group():
    """Heads of SPOC meetings."""


@meetings_group.command("activity-report")
@click.option("--start", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="First day, YYYY-MM-DD.")
@click.option("--end", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="DOCX file.")
@with_appcontext
def activity_report_command(start, end, out):
    """Write the activity report of a period as DOCX (for the Council working party)."""
    if end < start:
        raise click.BadParameter("the end must be on or after the start", param_hint="--end")
    with current_app.extensions["spoc_db"].read_session() as session:
        report = report_service.build_report(session, start.date(), end.date())
        Path(out).write_bytes(report_service.report_docx(report))
    click.echo(f"Wrote {out}")
