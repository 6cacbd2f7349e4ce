"""The statistics dashboard, read off the maintained counts (as the migration fills them from existing
rows) and the open cases, gives the figures a plain count of the year's cases gives, case by case in Python."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict

from sqlalchemy import select, update

from casemgmt.models import Case
from casemgmt.services.counts import rebuild
from casemgmt.services.statistics import dashboard
from portal.db import utcnow


def plain_figures(cases: list[Case], now: dt.datetime) -> dict:
    """What the dashboard should say, from the case objects: every rule written out once more."""
    counted = [c for c in cases if c.merged_into_id is None]
    urgency = Counter((("urgent, direct access" if c.information_access == "direct" else "urgent, indirect access")
                       if c.urgent else "not urgent") for c in counted)
    compliance = {"met": 0, "late": 0, "open_overdue": 0, "open_in_time": 0}
    hours = defaultdict(list)
    for c in counted:
        if c.direction != "in" or c.request_type != "request":
            continue
        label = ("urgent, direct" if c.information_access == "direct" else "urgent, indirect") if c.urgent \
            else "not urgent"
        if c.replied_at is not None:
            hours[label].append((c.replied_at - c.received_at).total_seconds() / 3600)
            compliance["met" if c.deadline_met else "late"] += 1
        elif c.status not in ("closed", "archived"):
            compliance["open_overdue" if c.due_at < now else "open_in_time"] += 1
    return {
        "total": len(counted),
        "by_channel": dict(Counter(c.channel for c in counted)),
        "by_type": dict(Counter(c.request_type for c in counted)),
        "by_counterpart": dict(Counter(str(c.counterpart_country) if c.counterpart_country else "unknown"
                                       for c in counted)),
        "by_urgency": dict(urgency),
        "compliance": compliance,
        "reply_times": {k: {"answered": len(v), "median_hours": round(statistics.median(v), 1),
                            "max_hours": round(max(v), 1)} for k, v in hours.items()},
    }


def assert_dashboard_is_a_plain_count(db, country: str, year: int, now: dt.datetime) -> dict:
    """The SPOC's dashboard for the year gives what `plain_figures` gives of its cases received that year
    (some, at least); returns the dashboard's figures."""
    cases = [c for c in db.scalars(select(Case).where(Case.country_code == country)) if c.received_at.year == year]
    figures, expected = dashboard(db, country, year, now), plain_figures(cases, now)
    assert figures["total"] == expected["total"] > 0, year
    for key in ("by_channel", "by_type", "by_counterpart", "by_urgency", "compliance", "reply_times"):
        assert dict(figures[key]) == expected[key], (year, key)
    return figures


def test_dashboard_equals_a_plain_count_of_the_years_cases(app, intake, officer, db):
    now = utcnow()
    anchor = now - dt.timedelta(hours=40)  # the cases arrive between 40 and 33 hours ago
    year = anchor.year
    made = []
    for i, (channel, country, urgent) in enumerate([
            ("SIENA", "DE", False), ("SIENA", "FR", True), ("SIRENE", "NL", False), ("SIENA", "DE", True),
            ("INTERPOL", "PL", False), ("SIENA", "LU", False), ("SIRENE", "DE", False), ("SIENA", "AT", True)]):
        extra = {"channel_reason": "urgency", "channel_reason_text": "urgent"} if channel != "SIENA" else {}
        extra |= {"urgency_ground": "life_or_physical_integrity"} if urgent else {}
        case_id, _, _ = intake("BE", officer, channel=channel, counterpart_country=country, urgent=urgent,
                               information_access="indirect" if i % 3 else "direct",
                               received_at=(anchor + dt.timedelta(hours=i)).isoformat(), **extra)
        made.append(case_id)
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:  # answered on time, late, closed unanswered, merged, overdue, sent
        for case_id, values in zip(made, [
                {"replied_at": anchor + dt.timedelta(hours=5), "deadline_met": True},
                {"replied_at": now - dt.timedelta(hours=2, minutes=17), "deadline_met": False},
                {"status": "closed"}, {"merged_into_id": made[0]},
                {"due_at": now - dt.timedelta(hours=1)}, {"direction": "out"},
                {"replied_at": now - dt.timedelta(hours=3, seconds=7), "deadline_met": None}], strict=False):
            s.execute(update(Case).where(Case.id == case_id).values(**values))
        # written straight into the rows, past the services: recounted as the migration fills the counts
        rebuild(s.connection(), "BE")
    db.rollback()
    cases = list(db.scalars(select(Case).where(Case.country_code == "BE")))
    assert all(c.received_at.year == year for c in cases)
    figures = assert_dashboard_is_a_plain_count(db, "BE", year, now)
    assert figures["total"] == 7  # the merged case counts where it was merged
    assert figures["compliance"]["met"] == 1 and figures["compliance"]["late"] == 2
    assert sum(v["answered"] for v in figures["reply_times"].values()) == 3
