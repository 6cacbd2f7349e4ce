"""The training section of the network's activity report (the meetings domain's report registry)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.training.models import Activity, ActivityStatus, NominationStatus


def training_section(session: Session, start: dt.date, end: dt.date) -> dict:
    held = list(session.scalars(
        select(Activity).options(selectinload(Activity.nominations), selectinload(Activity.topic))
        .where(Activity.start_date >= start, Activity.start_date <= end,
               Activity.status != ActivityStatus.CANCELLED, Activity.end_date <= dt.date.today())
        .order_by(Activity.start_date)))
    rows, per_country = [], Counter()
    for a in held:
        participants = [n for n in a.nominations if n.status == NominationStatus.CONFIRMED and n.attended is not False]
        for n in participants:
            per_country[n.country_code] += 1
        rows.append([f"{a.start_date:%d %b %Y}", a.title, a.topic.label if a.topic else "", a.format_enum.label,
                     "yes" + (f" ({a.cepol_reference})" if a.cepol_reference else "") if a.cepol_support else "no",
                     len(participants), len({n.country_code for n in participants})])
    total = sum(per_country.values())
    text = (f"{len(held)} training activit{'ies' if len(held) != 1 else 'y'} for SPOC staff in the period, with "
            f"{total} participant{'s' if total != 1 else ''} from {len(per_country)} countr"
            f"{'ies' if len(per_country) != 1 else 'y'}; {sum(1 for a in held if a.cepol_support)} with CEPOL's support.")
    return {"title": "Training", "paragraphs": [text],
            "tables": [{"caption": "Training activities", "header": ["Start", "Activity", "Topic", "Format", "CEPOL",
                                                                     "Participants", "Countries"], "rows": rows},
                       {"caption": "Training participants per country", "header": ["Country", "Participants"],
                        "rows": [[cc, n] for cc, n in sorted(per_country.items())]}]}


def register() -> None:
    try:
        from portal.meetings.services.activity_report import register_section
    except ImportError:
        return
    register_section(training_section)
