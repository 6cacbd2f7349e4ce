"""The activity report for a period, to inform the Council working party: a page and a DOCX.

The report is a list of sections, each built by a function `(session, start, end) -> section` where
start and end are dates (both included) and a section is
    {"title": str, "paragraphs": [str], "tables": [{"caption": str, "header": [str], "rows": [[...]]}]}.
Other domains add theirs with `register_section` (training adds the trainings held).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.directory.reference import COUNTRY_NAMES
from portal.docx_writer import DocxWriter
from portal.funding import services as funding
from portal.meetings.models import ActionPoint, ActionStatus, Meeting, MeetingStatus, Topic
from portal.meetings.services.delegations import attended_participants, participants
from portal.meetings.services.meetings import local

Section = dict
ACTIVITY_REPORT_SECTIONS: list[Callable[[Session, dt.date, dt.date], Section]] = []


def register_section(builder: Callable[[Session, dt.date, dt.date], Section]) -> None:
    """Add a section builder once (create_app may run several times in one process)."""
    if builder not in ACTIVITY_REPORT_SECTIONS:
        ACTIVITY_REPORT_SECTIONS.append(builder)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime.combine(start, dt.time(), dt.UTC),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC))


def meetings_held(session: Session, start: dt.date, end: dt.date) -> list[Meeting]:
    lo, hi = _bounds(start, end)
    return list(session.scalars(select(Meeting).where(
        Meeting.status == MeetingStatus.HELD, Meeting.starts_at >= lo, Meeting.starts_at < hi)
        .order_by(Meeting.starts_at)))


def _participants_attending(meeting: Meeting) -> int | str:
    """Named participants marked as attending; "not recorded" where nobody's attendance was marked (a
    meeting whose delegations were not named would otherwise read as attended by 26 countries and 0 people)."""
    if not any(d.attendance for _, d in participants(meeting)):
        return "not recorded"
    return attended_participants(meeting)


def meetings_section(session: Session, start: dt.date, end: dt.date) -> Section:
    held = meetings_held(session, start, end)
    rows = []
    for m in held:
        attended = sum(1 for i in m.invitations if i.country_code and i.attendance == "attended")
        rows.append([f"{local(m, m.starts_at):%d %b %Y}", m.title, m.presidency_code or "",
                     m.venue or "online", attended, _participants_attending(m)])
    codes = sorted({i.country_code for m in held for i in m.invitations if i.country_code and i.sent_at},
                   key=lambda c: COUNTRY_NAMES.get(c, c))
    marks = {(m.id, i.country_code): (i.attendance_enum.label if i.attendance_enum else "—")
             for m in held for i in m.invitations if i.country_code}
    attendance = [[COUNTRY_NAMES.get(cc, cc)] + [marks.get((m.id, cc), "not invited") for m in held]
                  for cc in codes]
    text = f"{len(held)} meeting{'s' if len(held) != 1 else ''} of the Heads of SPOC network held in the period."
    tables = [{"caption": "Meetings held", "header": ["Date", "Meeting", "Presidency", "Venue",
                                                      "Countries attending", "Participants attending"], "rows": rows}]
    if held:
        tables.append({"caption": "Attendance per country",
                       "header": ["Country"] + [f"{local(m, m.starts_at):%d %b %Y}" for m in held],
                       "rows": attendance})
    return {"title": "Meetings", "paragraphs": [text], "tables": tables}


def topics_section(session: Session, start: dt.date, end: dt.date) -> Section:
    held = meetings_held(session, start, end)
    rows = []
    for topic in Topic:
        items = [i for m in held for i in m.agenda_items if i.topic == topic]
        rows.append([topic.label, len(items), "; ".join(i.title for i in items)])
    return {"title": "Topics discussed",
            "paragraphs": ["Agenda items of the meetings held, under the network's five standing topics."],
            "tables": [{"caption": "Agenda items per standing topic", "header": ["Topic", "Items", "Titles"],
                        "rows": rows}]}


def actions_section(session: Session, start: dt.date, end: dt.date) -> Section:
    lo, hi = _bounds(start, end)
    actions = list(session.scalars(select(ActionPoint).where(ActionPoint.created_at < hi)))
    opened = [a for a in actions if a.created_at >= lo]
    closed = [a for a in actions if a.closed_at is not None and lo <= a.closed_at < hi]
    def done_by_end(a: ActionPoint) -> bool:
        return (a.closed_at is not None and a.closed_at < hi) or (a.status == ActionStatus.DONE
                                                                    and a.closed_at is None)

    # overdue as of the end of the period, or of today while the period runs: never before the due date
    today = dt.datetime.now(dt.UTC).date()
    as_of = min(end, today)
    overdue = sorted((a for a in actions if a.due_on is not None and a.due_on < as_of and not done_by_end(a)),
                     key=lambda a: a.due_on)
    when = "at the end of the period" if end <= today else "today"
    return {"title": "Action points",
            "paragraphs": [f"Opened in the period: {len(opened)}. Closed in the period: {len(closed)}. "
                           f"Overdue {when}: {len(overdue)}."],
            "tables": [{"caption": "Counts for the period", "header": ["Opened", "Closed", "Overdue"],
                        "rows": [[len(opened), len(closed), len(overdue)]]},
                       {"caption": "Overdue action points", "header": ["Action", "Owner", "Due", "Status"],
                        "rows": [[a.title, a.owner_label, f"{a.due_on:%d %b %Y}", a.status_enum.label]
                                 for a in overdue]}]}


def spending_section(session: Session, start: dt.date, end: dt.date) -> Section:
    rows, planned, actual, isf = [], funding.ZERO, funding.ZERO, funding.ZERO
    for m in meetings_held(session, start, end):
        t = funding.totals(funding.budget_for(session, "meeting", m.id))
        rows.append([m.title, t["funding_source"], funding.euros(t["planned"]), funding.euros(t["actual"]),
                     f"{t['isf_rate']}%", funding.euros(t["isf_share"])])
        planned, actual, isf = planned + t["planned"], actual + t["actual"], isf + t["isf_share"]
    rows.append(["Total", "", funding.euros(planned), funding.euros(actual), "", funding.euros(isf)])
    return {"title": "Spending",
            "paragraphs": [f"Actual costs of the meetings held: {funding.euros(actual)}, of which "
                           f"{funding.euros(isf)} co-financed by the Internal Security Fund."],
            "tables": [{"caption": "Costs of the meetings held",
                        "header": ["Meeting", "Funding source", "Planned", "Actual", "ISF rate", "ISF share"],
                        "rows": rows}]}


for _builder in (meetings_section, topics_section, actions_section, spending_section):
    register_section(_builder)


def build_report(session: Session, start: dt.date, end: dt.date) -> dict:
    return {"start": start, "end": end,
            "sections": [builder(session, start, end) for builder in ACTIVITY_REPORT_SECTIONS]}


def report_title(report: dict) -> str:
    return "Activity report of the European network of Heads of SPOC"


def report_docx(report: dict, marking: str = "") -> bytes:
    doc = DocxWriter(report_title(report),
                     f"Period: {report['start']:%d %b %Y} to {report['end']:%d %b %Y}. "
                     "For the information of the Council's competent working party.",
                     subject=f"Activity report {report['start']:%d %b %Y} to {report['end']:%d %b %Y}",
                     marking=marking)
    for section in report["sections"]:
        doc.heading(section["title"], level=1)
        for para in section.get("paragraphs", []):
            doc.paragraph(para)
        for table in section.get("tables", []):
            if table.get("caption"):
                doc.heading(table["caption"], level=2)
            if table["rows"]:
                doc.table(table["header"], table["rows"])
            else:
                doc.paragraph("None.")
    return doc.to_bytes()
