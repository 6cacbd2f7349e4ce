"""The activity report for a period, to inform the Council working party: a page and a DOCX.

The report is a list of sections, each built by a function `(session, start, end) -> section` where
start and end are dates (both included) and a section is
    {"title": str, "paragraphs": [str], "tables": [{"caption": str, "header": [str], "rows": [[...]]}]}.
Other domains add theirs with `register_section` (training adds the trainings held). Titles, captions, headers
and lines are written with `say`: in the language of the page or document being made (issue 19, item 12).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.dates import format_day
from portal.directory.reference import COUNTRY_NAMES
from portal.docx_writer import DocxWriter
from portal.enums import say
from portal.funding import services as funding
from portal.meetings.models import ActionPoint, ActionStatus, Attendance, Meeting, MeetingStatus, Topic
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
        return say("not recorded")
    return attended_participants(meeting)


def meetings_section(session: Session, start: dt.date, end: dt.date) -> Section:
    held = meetings_held(session, start, end)
    rows = []
    for m in held:
        attended = sum(1 for i in m.invitations if i.country_code and i.attendance == Attendance.ATTENDED)
        rows.append([format_day(local(m, m.starts_at).date()), m.title, m.presidency_code or "",
                     m.venue or say("Online"), attended, _participants_attending(m)])
    codes = sorted({i.country_code for m in held for i in m.invitations if i.country_code and i.sent_at},
                   key=lambda c: COUNTRY_NAMES.get(c, c))
    marks = {(m.id, i.country_code): (i.attendance_enum.label if i.attendance_enum else "—")
             for m in held for i in m.invitations if i.country_code}
    not_invited = say("not invited")
    attendance = [[COUNTRY_NAMES.get(cc, cc)] + [marks.get((m.id, cc), not_invited) for m in held]
                  for cc in codes]
    text = say("Meetings of the Heads of SPOC network held in the period: %(count)s.", count=len(held))
    tables = [{"caption": say("Meetings held"),
               "header": [say("Date"), say("Meeting"), say("Presidency"), say("Venue"), say("Countries attending"),
                          say("Participants attending")], "rows": rows}]
    if held:
        tables.append({"caption": say("Attendance per country"),
                       "header": [say("Country")] + [format_day(local(m, m.starts_at).date()) for m in held],
                       "rows": attendance})
    return {"title": say("Meetings"), "paragraphs": [text], "tables": tables}


def topics_section(session: Session, start: dt.date, end: dt.date) -> Section:
    held = meetings_held(session, start, end)
    rows = []
    for topic in Topic:
        items = [i for m in held for i in m.agenda_items if i.topic == topic]
        rows.append([topic.label, len(items), "; ".join(i.title for i in items)])
    return {"title": say("Topics discussed"),
            "paragraphs": [say("Agenda items of the meetings held, under the network's five standing topics.")],
            "tables": [{"caption": say("Agenda items per standing topic"),
                        "header": [say("Topic"), say("Items"), say("Titles")], "rows": rows}]}


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
    counts = {"opened": len(opened), "closed": len(closed), "overdue": len(overdue)}
    line = (say("Opened in the period: %(opened)s. Closed in the period: %(closed)s. "
               "Overdue at the end of the period: %(overdue)s.", **counts) if end <= today else
            say("Opened in the period: %(opened)s. Closed in the period: %(closed)s. Overdue today: %(overdue)s.",
               **counts))
    return {"title": say("Action points"), "paragraphs": [line],
            "tables": [{"caption": say("Counts for the period"), "header": [say("Opened"), say("Closed"), say("Overdue")],
                        "rows": [[len(opened), len(closed), len(overdue)]]},
                       {"caption": say("Overdue action points"),
                        "header": [say("Action"), say("Owner"), say("Due"), say("Status")],
                        "rows": [[a.title, a.owner_label, format_day(a.due_on), a.status_enum.label]
                                 for a in overdue]}]}


def spending_section(session: Session, start: dt.date, end: dt.date) -> Section:
    rows, planned, actual, isf = [], funding.ZERO, funding.ZERO, funding.ZERO
    for m in meetings_held(session, start, end):
        t = funding.totals(funding.budget_for(session, "meeting", m.id))
        rows.append([m.title, t["funding_source"], funding.euros(t["planned"]), funding.euros(t["actual"]),
                     f"{t['isf_rate']}%", funding.euros(t["isf_share"])])
        planned, actual, isf = planned + t["planned"], actual + t["actual"], isf + t["isf_share"]
    rows.append([say("Total"), "", funding.euros(planned), funding.euros(actual), "", funding.euros(isf)])
    return {"title": say("Spending"),
            "paragraphs": [say("Actual costs of the meetings held: %(actual)s, of which %(isf)s co-financed by the "
                              "Internal Security Fund.", actual=funding.euros(actual), isf=funding.euros(isf))],
            "tables": [{"caption": say("Costs of the meetings held"),
                        "header": [say("Meeting"), say("Funding source"), say("Planned"), say("Actual"), say("ISF rate"),
                                   say("ISF share")],
                        "rows": rows}]}


for _builder in (meetings_section, topics_section, actions_section, spending_section):
    register_section(_builder)


def build_report(session: Session, start: dt.date, end: dt.date) -> dict:
    return {"start": start, "end": end,
            "sections": [builder(session, start, end) for builder in ACTIVITY_REPORT_SECTIONS]}


def report_title(report: dict) -> str:
    return say("Activity report of the European network of Heads of SPOC")


def report_docx(report: dict, marking: str = "") -> bytes:
    period = {"start": format_day(report["start"]), "end": format_day(report["end"])}
    doc = DocxWriter(report_title(report),
                     say("Period: %(start)s to %(end)s. For the information of the Council's competent working party.",
                        **period),
                     subject=say("Activity report %(start)s to %(end)s", **period), marking=marking)
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
                doc.paragraph(say("None."))
    return doc.to_bytes()
