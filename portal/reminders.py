"""The reminders each domain registers: fn(session, config, now, days) -> list[str] (what it queued).

`spoc send-reminders` runs them all at once; the worker runs those registered with every="5min"
every five minutes and the others daily (portal/jobs/schedule.py)."""

from __future__ import annotations

REMINDERS: list = []
_EVERY: dict = {}


def register_reminder(reminder, every: str = "day") -> None:
    if every not in ("5min", "day"):
        raise ValueError(f"unknown frequency {every!r}")
    if reminder not in REMINDERS:
        REMINDERS.append(reminder)
    _EVERY[reminder] = every


def reminders_for(every: str) -> list:
    return [r for r in REMINDERS if _EVERY.get(r, "day") == every]
