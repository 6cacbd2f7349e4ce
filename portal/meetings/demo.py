"""Demo content: two past meetings with minutes and action points, one upcoming with invitations and answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.directory.reference import COUNTRY_CODES
from portal.funding import services as funding
from portal.meetings.models import Answer, Attendance, Meeting, MeetingStatus, Minutes, MinutesState, Topic
from portal.meetings.services import actions, agenda, delegations, invitations, minutes, register
from portal.meetings.services import meetings as service

TITLES = ("Heads of SPOC network meeting: SPOC workflows and case management",
          "Heads of SPOC network meeting: implementing Directive (EU) 2023/977",
          "Heads of SPOC network meeting: training and the core group")
ZONE = "Europe/Brussels"


def working_day(day: dt.date) -> dt.date:
    """The first Monday to Thursday from `day`: a two-day meeting then ends on a working day too."""
    while day.weekday() > 3:
        day += dt.timedelta(days=1)
    return day


def _meeting(session, actor, title, day: dt.date, venue: str, deadline_days: int = 21) -> Meeting:
    day = working_day(day)  # meetings of the network are held on working days
    return service.create_meeting(
        session, actor, title=title, start=dt.datetime.combine(day, dt.time(9, 30)),
        end=dt.datetime.combine(day + dt.timedelta(days=1), dt.time(13, 0)), timezone=ZONE,
        deadline=day - dt.timedelta(days=deadline_days), venue=venue,
        description="Meeting of the European network of Heads of SPOC on invitation of the Presidency.")


def _items(session, actor, meeting, rows) -> list:
    day = service.local(meeting, meeting.starts_at).date()
    out = []
    for i, (title, topic, presenter, entry) in enumerate(rows):
        start = dt.time(9 + i, 30)
        out.append(agenda.add_item(session, meeting, actor, title=title, topic=topic, presenter=presenter,
                                   day=day, start_time=start, end_time=dt.time(10 + i, 20),
                                   register_entry_id=entry.id if entry else None))
    return out


def _invite(session, actor, meeting, sent_at, agencies: dict[str, str]) -> None:
    invitations.set_invitees(session, meeting, actor, list(COUNTRY_CODES), agencies)
    for inv in meeting.invitations:
        inv.sent_at = sent_at  # demo: recorded as sent, no mail queued
    meeting.status = MeetingStatus.INVITATIONS_SENT


def _budget(session, actor, meeting, source, rate, lines) -> None:
    budget = funding.ensure_budget(session, "meeting", meeting.id, meeting.starts_at.year)
    funding.set_funding(session, budget, actor, funding_source=source, isf_rate=rate)
    for category, kind, amount, text in lines:
        funding.add_cost(session, budget, actor, category=category, kind=kind, amount=Decimal(amount),
                         description=text)


def load_meetings_demo(session: Session, users: dict) -> None:
    """Three meetings: held with minutes adopted, held with minutes out for comments, and upcoming."""
    if session.scalar(select(Meeting.id).where(Meeting.title == TITLES[0])) is not None:
        return
    sec, now = users["secretariat@demo.invalid"], utcnow()
    single, urgent = _register_entries(session, users, sec)
    _adopted_meeting(session, sec, now, single)
    _circulated_meeting(session, sec, now, urgent, users.get("head.nl@demo.invalid"))
    _upcoming_meeting(session, users, now, urgent)


def _register_entries(session: Session, users: dict, sec) -> tuple:
    """The register of topics: (the single search interface, the 8-hour limit)."""
    single = register.raise_entry(session, sec, country_code="NL", title="Single search interface across "
                                  "national databases", topic=Topic.BEST_PRACTICES,
                                  description="How SPOCs query several national systems with one search.")
    urgent = register.raise_entry(session, users.get("head.be@demo.invalid") or sec, country_code="BE",
                                  title="Diverging readings of the 8-hour limit for urgent requests",
                                  topic=Topic.OBSTACLES,
                                  description="Some SPOCs count the 8 hours from validation, not from receipt.")
    register.raise_entry(session, sec, country_code="LT", title="Languages accepted for requests via SIENA",
                         topic=Topic.COMMON_INTEREST, description="Which languages each SPOC accepts.")
    return single, urgent


def _adopted_meeting(session: Session, sec, now, single) -> None:
    """Eight months ago: held, minutes adopted."""
    today = now.date()
    m1 = _meeting(session, sec, TITLES[0], today - dt.timedelta(days=240), "Egmont Palace, Brussels")
    items1 = _items(session, sec, m1, [
        ("Welcome by the Presidency", Topic.COMMON_INTEREST, "Presidency", None),
        ("Case management systems in the SPOCs", Topic.COOPERATION_EFFICIENCY, "BE, LV, SE, MT", None),
        ("Single search interfaces", Topic.BEST_PRACTICES, "NL", single)])
    _invite(session, sec, m1, now - dt.timedelta(days=290), {"EUROPOL": "SIENA and the SPOC statistics."})
    for n, inv in enumerate(m1.invitations):
        inv.answer = Answer.ATTEND if n % 7 else Answer.DECLINE
        inv.attendance = Attendance.ATTENDED if n % 7 else Attendance.EXCUSED
    m1.status = MeetingStatus.HELD
    texts = ["The Presidency welcomed the Heads of SPOC and recalled the **Council conclusions**.",
             "Four Member States presented their systems.\n\n- single registration number\n- automated "
             "cross-check\n- statistics",
             "NL showed its single search interface. Participants asked for a written description."]
    for item, text in zip(items1, texts, strict=True):
        session.add(Minutes(agenda_item=item, text=text, updated_by_id=sec.id))
    a1 = actions.create_action(session, sec, title="Share national guidelines on prioritising incoming requests",
                               owner="country:BE", due_on=today - dt.timedelta(days=180), meeting=m1,
                               agenda_item=items1[1])
    actions.update_action(session, a1, sec, status="done", comment="Guidelines circulated to the network.")
    actions.create_action(session, sec, title="Describe the single search interface in writing",
                          owner="country:NL", due_on=today - dt.timedelta(days=150), meeting=m1,
                          agenda_item=items1[2])
    m1.minutes_state = MinutesState.ADOPTED
    # markings and releases (issue 19 A): the minutes LIMITE and released to the invited observers
    m1.marking, m1.minutes_marking, m1.released_to_observers = "LIMITE", "LIMITE", True
    register.set_closed(session, single, sec, True, "Best practice documented; no further action.")
    _budget(session, sec, m1, "ISF Police – national programme (BE)", "75", [
        ("venue", "planned", "12000", "Conference rooms, two days"), ("venue", "actual", "11450.50", "Invoice"),
        ("interpretation", "planned", "8000", "EN/FR"), ("interpretation", "actual", "7800", "EN/FR"),
        ("travel", "planned", "15000", "Reimbursed delegates"), ("travel", "actual", "13210.75", "")])


def _circulated_meeting(session: Session, sec, now, urgent, head_nl) -> None:
    """Three months ago: held, minutes circulated for comments."""
    today = now.date()
    m2 = _meeting(session, sec, TITLES[1], today - dt.timedelta(days=90), "Online and Brussels")
    m2.online_url = "https://meet.demo.invalid/heads-of-spoc"
    items2 = _items(session, sec, m2, [
        ("Time limits of Article 5", Topic.OBSTACLES, "Secretariat", urgent),
        ("SIENA mobile connection", Topic.NATIONAL_SYSTEMS, "EUROPOL", None),
        ("Training needs of SPOC staff", Topic.BEST_PRACTICES, "CEPOL", None)])
    _invite(session, sec, m2, now - dt.timedelta(days=130),
            {"EUROPOL": "SIENA for SPOCs.", "CEPOL": "Training needs analysis."})
    for n, inv in enumerate(m2.invitations):
        inv.answer = Answer.ATTEND if n % 5 else Answer.DELEGATE
        inv.delegate_name = "" if n % 5 else "Deputy head of SPOC"
        inv.attendance = Attendance.ABSENT if n % 11 == 3 else Attendance.ATTENDED
    m2.status = MeetingStatus.HELD
    for item, text in zip(items2, ["The secretariat presented the readings of the 8-hour limit. *No consensus.*",
                                   "EUROPOL presented the mobile SIENA roll-out.",
                                   "CEPOL will run a needs analysis among SPOC staff."], strict=True):
        session.add(Minutes(agenda_item=item, text=text, updated_by_id=sec.id))
    session.flush()
    m2.minutes_state = MinutesState.CIRCULATED
    # not released to observers; the 8-hour limit discussed among Member States only
    m2.minutes_marking = "LIMITE"
    items2[0].member_states_only, items2[0].marking = True, "LIMITE"
    if head_nl is not None:
        minutes.add_comment(session, m2, head_nl, "NL counts the limit from receipt; please say so.", items2[0])
    a3 = actions.create_action(session, sec, title="Draft a common template for delay notices (Art. 5(2))",
                               owner="secretariat", due_on=today - dt.timedelta(days=60), meeting=m2,
                               agenda_item=items2[0])
    actions.update_action(session, a3, sec, status="in_progress", comment="First draft with the Presidency.")
    actions.create_action(session, sec, title="Nominate experts for the training core group", owner="country:BE",
                          due_on=today + dt.timedelta(days=30), meeting=m2, agenda_item=items2[2])
    actions.create_action(session, sec, title="Present SIENA statistics for SPOCs", owner="agency:EUROPOL",
                          due_on=today + dt.timedelta(days=14), meeting=m2, agenda_item=items2[1])
    _budget(session, sec, m2, "ISF Police – Union actions", "90", [
        ("venue", "actual", "6200", "Hybrid set-up"), ("other", "actual", "950", "Catering")])


def _upcoming_meeting(session: Session, users: dict, now, urgent) -> None:
    """In six weeks: invitations sent, some answers (BE has not answered yet), delegations named."""
    sec, today = users["secretariat@demo.invalid"], now.date()
    m3 = _meeting(session, sec, TITLES[2], today + dt.timedelta(days=42), "Europa building, Brussels",
                  deadline_days=14)
    items3 = _items(session, sec, m3, [
        ("Opening and adoption of the agenda", Topic.COMMON_INTEREST, "Presidency", None),
        ("Follow-up: the 8-hour limit", Topic.OBSTACLES, "Secretariat", urgent),
        ("The training core group and CEPOL", Topic.BEST_PRACTICES, "CEPOL", None)])
    m3.marking = "LIMITE"
    items3[1].member_states_only = True  # the follow-up on the 8-hour limit: Member States only
    _invite(session, sec, m3, now - dt.timedelta(days=3), {"EUROPOL": "SIENA statistics.",
                                                            "CEPOL": "Training plan with the core group."})
    _answer_with_delegations(session, users, m3, now - dt.timedelta(days=1))
    _documents(session, sec, m3, items3)
    _budget(session, sec, m3, "ISF Police – national programme (BE)", "75", [
        ("venue", "planned", "10000", ""), ("interpretation", "planned", "8000", ""),
        ("travel", "planned", "14000", "")])
    session.flush()
    europol = next(inv for inv in m3.invitations if inv.agency_code == "EUROPOL")
    invitations.withdraw(session, m3, sec, europol.id, "SIENA statistics move to the next meeting's agenda.",
                         "http://portal.demo.invalid", now - dt.timedelta(days=1))


# NL and DE answer with their delegations in one step, as the answer form does (issue 19, 3a): participants with
# the identity details building access needs; FR declines, LT attends without naming anyone yet
DELEGATIONS = {
    "NL": (Answer.ATTEND, [("Sanne de Vries", "Head of SPOC", "Dutch", dt.date(1978, 5, 14), "NX4821937"),
                           ("Pieter Bakker", "Duty officer", "Dutch", dt.date(1986, 11, 2), "NP7710244")]),
    "DE": (Answer.DELEGATE, [("Max Weber", "Deputy head of SPOC", "German", dt.date(1975, 2, 20), "C01X00T47")]),
    "FR": (Answer.DECLINE, []),
    "LT": (Answer.ATTEND, []),
}


def _answer_with_delegations(session, users, meeting, when) -> None:
    sec = users["secretariat@demo.invalid"]
    for inv in meeting.invitations:
        if inv.country_code not in DELEGATIONS:
            continue
        value, people = DELEGATIONS[inv.country_code]
        head = users.get(f"head.{inv.country_code.lower()}@demo.invalid") or sec
        delegations.set_delegation(session, inv, head, when, [
            dict(name=name, function=function, nationality=nationality, birth_date=born, document_number=document)
            for name, function, nationality, born, document in people], answer=value)


def _documents(session, sec, meeting, items) -> None:
    """The draft agenda as a PDF marked LIMITE: each download carries the marking on every page (portal.stamping)."""
    folder = session.info.get("upload_folder")
    if not folder:
        return  # a database without an app (a bare script): no files
    from fpdf import FPDF

    from portal.exports import unicode_font_path

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(unicode_font_path()))
    pdf.set_title("Draft agenda")
    pdf.add_page()
    pdf.set_font("DejaVu", size=14)
    pdf.multi_cell(0, 8, f"Draft agenda: {meeting.title}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=11)
    for item in items:
        pdf.multi_cell(0, 7, f"{item.position}. {item.title} ({item.presenter})", new_x="LMARGIN", new_y="NEXT")
    agenda.upload_document(session, meeting, folder=folder, data=bytes(pdf.output()), filename="draft-agenda.pdf",
                           max_bytes=10 * 1024 * 1024, user=sec, title="Draft agenda", marking="LIMITE")
