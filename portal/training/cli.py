"""`spoc training …` commands and the scheduled work of the training domain."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.training.models import Activity, ActivityStatus, NominationStatus


@click.group("training")
def training_group():
    """Training coordination: topics, feedback requests."""


@training_group.command("seed-topics")
@with_appcontext
def seed_topics_command():
    """Add the default training topics that are missing (idempotent)."""
    from portal.training.services.topics import seed_topics

    with current_app.extensions["spoc_db"].unit_of_work() as session:
        added = seed_topics(session)
    click.echo(f"{added} topic(s) added.")


def feedback_reminder(session: Session, config, now: dt.datetime, days: int) -> list[str]:
    """For cron (`spoc send-reminders`): ask the attendees of activities that ended in the last 30 days for
    feedback, once each."""
    from portal.training.services.feedback import request_feedback

    today = now.date()
    ended = session.scalars(select(Activity).where(Activity.end_date < today,
                                                   Activity.end_date >= today - dt.timedelta(days=30),
                                                   Activity.status != ActivityStatus.CANCELLED))
    lines = []
    for activity in ended:
        due = [n for n in activity.nominations if n.status == NominationStatus.CONFIRMED and n.attended
               and n.feedback is None and n.feedback_requested_at is None]
        if due:
            sent = request_feedback(session, None, activity, config.get("BASE_URL", ""), today=today)
            lines.append(f"training: feedback requested from {len(sent)} participant(s) of '{activity.title}'")
    return lines
