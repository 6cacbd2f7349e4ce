"""The periodic jobs: reminders that keep legal time, sweeps of durable work, the nightly backup.

The reminders are the functions each domain registers for `spoc send-reminders`
(`portal.registry`: `registry(app).add_reminder`): those registered with every="5min" (case deadlines, whose
priority refresh and escalations cannot wait for a daily run) run every five minutes, the others
(questionnaires, meetings, action points, training feedback, retention reviews) once a day.
Each run is its own unit of work; the mail it queues is sent by the worker after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from portal.jobs import crontab, periodic

log = logging.getLogger(__name__)
DAILY_DAYS = 7  # questionnaires: remind this many days before the deadline (as `spoc send-reminders`)
KEEP_BACKUPS = 14


def run_reminders(every: str, days: int = DAILY_DAYS) -> list[str]:
    """Run the registered reminders of one frequency, each in its own transaction (one failing does
    not hold back the others); the lines they report."""
    from flask import current_app

    from portal.db import utcnow
    from portal.registry import registry

    database = current_app.extensions["spoc_db"]
    lines: list[str] = []
    for reminder in registry(current_app).reminders_for(every):
        try:
            with database.unit_of_work() as session:
                lines.extend(reminder(session, current_app.config, utcnow(), days))
        except Exception:  # noqa: BLE001 - logged; the next run tries again
            log.exception("reminder %s failed", getattr(reminder, "__name__", reminder))
    for line in lines:
        log.info("%s", line)
    return lines


@periodic("reminders.every_5_minutes", crontab(minute="*/5"))
def frequent_reminders() -> int:
    return len(run_reminders("5min"))


@periodic("reminders.daily", crontab(minute="0", hour="6"))
def daily_reminders() -> int:
    return len(run_reminders("day"))


@periodic("backup.nightly", crontab(minute="30", hour="2"))
def nightly_backup() -> str | None:
    """With SPOC_BACKUP_DIR: a consistent copy of the database each night; the newest 14 are kept."""
    from flask import current_app

    from portal.backup import backup

    folder = str(current_app.config.get("BACKUP_DIR") or "")
    if not folder:
        return None
    url = current_app.extensions["spoc_db"].url
    suffix = ".db" if url.startswith("sqlite") else ".dump"
    target = Path(folder) / f"spoc-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M}{suffix}"
    backup(url, target)
    old = sorted(Path(folder).glob(f"spoc-*{suffix}"))[:-KEEP_BACKUPS]
    for path in old:
        path.unlink(missing_ok=True)
    log.info("backup written to %s", target)
    return str(target)
