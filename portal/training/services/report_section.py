"""The training section of the network's activity report (the meetings domain's report registry)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.dates import format_day
from portal.enums import say
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
        cepol = (say("yes") + (f" ({a.cepol_reference})" if a.cepol_reference else "")) if a.cepol_support else say("no")
        rows.append([format_day(a.start_date), a.title, a.topic.label if a.topic else "", a.format_enum.label, cepol,
                     len(participants), len({n.country_code for n in participants})])
    text = say("Training activities for SPOC staff in the period: %(activities)s, with %(participants)s participants "
              "from %(countries)s countries; with CEPOL's support: %(cepol)s.", activities=len(held),
              participants=sum(per_country.values()), countries=len(per_country),
              cepol=sum(1 for a in held if a.cepol_support))
    return {"title": say("Training"), "paragraphs": [text],
            "tables": [{"caption": say("Training activities"),
                        "header": [say("Start"), say("Activity"), say("Topic"), say("Format"), say("CEPOL"),
                                   say("Participants"), say("Countries")], "rows": rows},
                       {"caption": say("Training participants per country"),
                        "header": [say("Country"), say("Participants")],
                        "rows": [[cc, n] for cc, n in sorted(per_country.items())]}]}


def register() -> None:
    try:
        from portal.meetings.services.activity_report import register_section
    except ImportError:
        return
    register_section(training_section)
