"""Delegations (issue 19, 3a): a country or an organisation answers an invitation with its named
participants, their function, and the identity details that building access needs; those details are kept
only until the meeting is over, then erased (and the erasure logged). The secretariat gets the participant
list (XLSX, PDF) and name badges (PDF); the attendance of each participant feeds the activity report."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit, markings
from portal.meetings.models import Answer, Attendance, Delegate, Invitation, Meeting, MeetingStatus
from portal.meetings.services import MeetingError

MAX_DELEGATES = 10


def is_over(meeting: Meeting, now: dt.datetime) -> bool:
    return meeting.ends_at <= now or meeting.status == MeetingStatus.CANCELLED


def clean_participant(now: dt.datetime, *, name: str = "", function: str = "", email: str = "",
                      nationality: str = "", birth_date: dt.date | None = None, document_number: str = "") -> dict:
    """One participant's details, tidied; MeetingError naming the field when one is not acceptable."""
    name, function = " ".join((name or "").split()), " ".join((function or "").split())
    email, nationality = (email or "").strip(), " ".join((nationality or "").split())
    document_number = "".join((document_number or "").split()).upper()
    if not name:
        raise MeetingError("Give the participant's name as on their identity document.", "name")
    if email and ("@" not in email or " " in email):
        raise MeetingError("An e-mail address has the form name@example.org.", "email")
    if len(document_number) > 60:  # capitals may be longer (ß -> SS)
        raise MeetingError("An identity document number has at most 60 letters and digits.", "document_number")
    if birth_date is not None and not (dt.date(1900, 1, 1) < birth_date < now.date()):
        raise MeetingError("Enter a real date of birth.", "birth_date")
    for field, value in (("name", name), ("function", function), ("nationality", nationality),
                         ("document_number", document_number), ("email", email)):
        if refused := markings.classified_refusal(value):
            raise MeetingError(refused[0], field, **refused[1])
    return dict(name=name, function=function, email=email, nationality=nationality, birth_date=birth_date,
                document_number=document_number)


def _closed(meeting: Meeting, now: dt.datetime, field: str) -> None:
    if is_over(meeting, now):
        raise MeetingError("The meeting is over: its delegations are closed.", field)


def add_delegate(session: Session, invitation: Invitation, actor, now: dt.datetime, **details) -> Delegate:
    _closed(invitation.meeting, now, "name")
    values = clean_participant(now, **details)
    if len(invitation.delegates) >= MAX_DELEGATES:
        raise MeetingError("A delegation has at most %(count)s participants.", "name", count=MAX_DELEGATES)
    return _create(session, invitation, actor, values)


def _create(session: Session, invitation: Invitation, actor, values: dict) -> Delegate:
    delegate = Delegate(invitation=invitation, created_by_id=getattr(actor, "id", None), **values)
    session.add(delegate)
    session.flush()
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.COLLECTION,
                 object_type="meeting_delegate", object_id=str(delegate.id), country_code=invitation.country_code,
                 details={"meeting": invitation.meeting_id, "invitee": invitation.invitee,
                          "identity_details": delegate.has_identity})
    return delegate


def remove_delegate(session: Session, delegate: Delegate, actor, now: dt.datetime) -> None:
    _closed(delegate.invitation.meeting, now, "name")
    _remove(session, delegate, actor)


def _remove(session: Session, delegate: Delegate, actor) -> None:
    invitation = delegate.invitation
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ERASURE,
                 object_type="meeting_delegate", object_id=str(delegate.id), country_code=invitation.country_code,
                 details={"meeting": invitation.meeting_id, "event": "removed"})
    invitation.delegates.remove(delegate)
    session.flush()


def _cleaned_entries(invitation: Invitation, entries: list[dict], now: dt.datetime) -> list[tuple[int | None, dict]]:
    """(id of the current participant or None, details) of each entry; errors name "participants.<i>.<field>"."""
    if len(entries) > MAX_DELEGATES:
        raise MeetingError("A delegation has at most %(count)s participants.", "participants", count=MAX_DELEGATES)
    current = {d.id for d in invitation.delegates}
    out = []
    for i, entry in enumerate(entries):
        entry = dict(entry)
        delegate_id = entry.pop("id", None)
        if delegate_id is not None and delegate_id not in current:
            raise MeetingError("No such participant in this delegation: leave the id out for a new one.",
                               f"participants.{i}.id")
        try:
            out.append((delegate_id, clean_participant(now, **entry)))
        except MeetingError as exc:
            raise MeetingError(exc.message, f"participants.{i}.{exc.field}", **exc.params) from None
    return out


def set_delegation(session: Session, invitation: Invitation, actor, now: dt.datetime, entries: list[dict], *,
                   answer: str | None = None) -> Invitation:
    """The invitee's answer and its delegation in one step (the answer form; PUT .../delegation). `entries`
    replace the delegation: one with the `id` of a current participant updates that participant, one without
    adds a participant, and the current participants not listed are removed. Declining leaves no participant;
    sending a delegate needs one named. `answer` None changes the participants only (after the registration
    deadline, until the meeting is over)."""
    from portal.meetings.services import invitations

    _closed(invitation.meeting, now, "participants")
    cleaned = [] if answer == Answer.DECLINE else _cleaned_entries(invitation, entries, now)
    if answer is not None:
        if answer == Answer.DELEGATE and not cleaned:
            raise MeetingError("Name the delegate who will attend.", "participants.0.name")
        first = cleaned[0][1] if cleaned else {}
        delegate_name = ", ".join(x for x in (first.get("name", ""), first.get("function", "")) if x)
        invitations.answer(session, invitation, actor, answer, delegate_name, now)
    kept = {delegate_id for delegate_id, _ in cleaned if delegate_id is not None}
    for delegate in [d for d in invitation.delegates if d.id not in kept]:
        _remove(session, delegate, actor)
    by_id = {d.id: d for d in invitation.delegates}
    for delegate_id, values in cleaned:
        if delegate_id is None:
            _create(session, invitation, actor, values)
            continue
        delegate = by_id[delegate_id]
        changed = sorted(k for k, v in values.items() if getattr(delegate, k) != v)
        for key in changed:
            setattr(delegate, key, values[key])
        if changed:
            audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.COLLECTION,
                         object_type="meeting_delegate", object_id=str(delegate.id),
                         country_code=invitation.country_code,
                         details={"meeting": invitation.meeting_id, "event": "updated", "fields": changed})
    session.flush()
    return invitation


def erase_identities(session: Session, now: dt.datetime) -> int:
    """Erase the identity details of every participant of a meeting that is over; each erasure is logged."""
    due = session.scalars(
        select(Delegate).join(Invitation, Delegate.invitation_id == Invitation.id)
        .join(Meeting, Invitation.meeting_id == Meeting.id)
        .where(Delegate.identity_erased_at.is_(None),
               (Meeting.ends_at <= now) | (Meeting.status == MeetingStatus.CANCELLED))).all()
    for delegate in due:
        delegate.nationality, delegate.birth_date, delegate.document_number = "", None, ""
        delegate.identity_erased_at = now
        audit.record(session, actor=None, area="meetings", action=audit.AuditAction.ERASURE,
                     object_type="meeting_delegate", object_id=str(delegate.id),
                     country_code=delegate.invitation.country_code,
                     details={"meeting": delegate.invitation.meeting_id, "event": "identity_details_erased"})
    session.flush()
    return len(due)


def erase_identities_reminder(session: Session, config, now: dt.datetime, days: int) -> list[str]:
    """The daily sweep (portal.jobs.schedule, `spoc send-reminders`)."""
    erased = erase_identities(session, now)
    return [f"meetings: identity details of {erased} participants erased (meetings over)"] if erased else []


def mark_attendance(session: Session, meeting: Meeting, actor, marks: dict[int, str], now: dt.datetime) -> None:
    """Attendance per participant {delegate id: attended|absent|excused|''}; only once the meeting started."""
    if meeting.starts_at > now:
        raise MeetingError("Attendance is recorded once the meeting has started.", "attendance")
    for invitation in meeting.invitations:
        for delegate in invitation.delegates:
            value = marks.get(delegate.id)
            if value is None:
                continue
            if value and Attendance.of(value) is None:
                raise MeetingError("Choose attended, absent or excused.", "attendance")
            delegate.attendance = Attendance(value) if value else None
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="meeting", object_id=str(meeting.id), details={"event": "participant_attendance"})
    session.flush()


def log_download(session: Session, meeting: Meeting, actor, what: str) -> None:
    """The participant list and the badges hold personal data: each download is in the audit log."""
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.DISCLOSURE,
                 object_type="meeting_participants", object_id=str(meeting.id),
                 details={"file": what, "participants": len(participants(meeting))})


def log_delegation_read(session: Session, invitation: Invitation, actor) -> None:
    """The secretariat reading a delegation's identity details through the API: in the audit log, as the
    participant list's downloads are (its own invitee reading what it gave is not logged)."""
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.DISCLOSURE,
                 object_type="meeting_delegation", object_id=str(invitation.id), country_code=invitation.country_code,
                 details={"meeting": invitation.meeting_id, "participants": len(invitation.delegates)})


def participants(meeting: Meeting) -> list[tuple[Invitation, Delegate]]:
    """Every named participant of the meeting's delegations, by delegation then in the order given."""
    out = []
    for invitation in sorted(meeting.invitations, key=lambda i: (i.country_code is None, i.invitee)):
        out += [(invitation, d) for d in invitation.delegates]
    return out


PARTICIPANT_HEADER = ["Delegation", "Name", "Function", "E-mail", "Nationality", "Date of birth",
                      "Identity document", "Attendance"]


def participant_rows(meeting: Meeting) -> list[list]:
    rows = []
    for invitation, d in participants(meeting):
        identity = ([d.nationality, d.birth_date.isoformat() if d.birth_date else "", d.document_number]
                    if d.identity_erased_at is None else ["(erased)", "(erased)", "(erased)"])
        rows.append([invitation.invitee, d.name, d.function, d.email, *identity,
                     d.attendance_enum.label if d.attendance_enum else ""])
    return rows


def participants_xlsx(meeting: Meeting) -> bytes:
    from portal.exports import xlsx_bytes

    return xlsx_bytes({"Participants": (PARTICIPANT_HEADER, participant_rows(meeting))}, marking=meeting.marking)


def _pdf(meeting: Meeting, title: str):
    from fpdf import FPDF

    from portal.exports import printable_text, unicode_font_path

    marking = printable_text(meeting.marking)

    class _Pdf(FPDF):
        def header(self):
            if marking:
                self.set_font("DejaVu", size=9)
                self.set_text_color(170, 0, 0)
                self.cell(0, 6, marking, align="R", new_x="LMARGIN", new_y="NEXT")
                self.set_text_color(0, 0, 0)

        def footer(self):
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.cell(0, 6, f"{marking + '  ·  ' if marking else ''}{printable_text(title)} · page {self.page_no()}"
                            " of {nb}", align="C")

    pdf = _Pdf(format="A4")
    pdf.set_creator("spoc-portal")
    pdf.set_author("European network of Heads of SPOC")
    pdf.set_title(printable_text(title))
    pdf.add_font("DejaVu", "", str(unicode_font_path()))
    pdf.add_font("DejaVu", "B", str(unicode_font_path().with_name("DejaVuSans-Bold.ttf")))  # table headings
    pdf.alias_nb_pages()
    return pdf


def participants_pdf(meeting: Meeting) -> bytes:
    """The participant list, A4 landscape, the meeting's marking at the top and foot of every page."""
    from portal.exports import printable_text

    title = f"Participants: {meeting.title}"
    pdf = _pdf(meeting, title)
    pdf.add_page(orientation="L")
    pdf.set_font("DejaVu", size=14)
    pdf.multi_cell(0, 8, printable_text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=8)
    widths = (28, 48, 48, 52, 30, 22, 30, 19)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
        table.row(PARTICIPANT_HEADER)
        for row in participant_rows(meeting):
            table.row([printable_text(str(v)) for v in row])
    return bytes(pdf.output())


def badges_pdf(meeting: Meeting) -> bytes:
    """Name badges, eight to an A4 page (2 × 4, 90 × 60 mm): name, function, delegation, meeting."""
    from portal.exports import printable_text

    pdf = _pdf(meeting, f"Badges: {meeting.title}")
    pdf.set_auto_page_break(False)
    people = participants(meeting)
    for n, (invitation, d) in enumerate(people):
        if n % 8 == 0:
            pdf.add_page()
        col, row = n % 2, (n % 8) // 2
        x, y = 15 + col * 92, 18 + row * 66
        pdf.rect(x, y, 90, 60)
        pdf.set_xy(x + 4, y + 8)
        pdf.set_font("DejaVu", size=16)
        pdf.multi_cell(82, 7, printable_text(d.name), align="C", new_x="LEFT", new_y="NEXT", max_line_height=7)
        pdf.set_font("DejaVu", size=10)
        pdf.set_x(x + 4)
        pdf.multi_cell(82, 5, printable_text(d.function), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_x(x + 4)
        pdf.set_font("DejaVu", size=13)
        pdf.multi_cell(82, 7, printable_text(invitation.invitee), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_xy(x + 4, y + 50)
        pdf.set_font("DejaVu", size=7)
        pdf.cell(82, 5, printable_text(meeting.title)[:70], align="C")
    if not people:
        pdf.add_page()
        pdf.set_font("DejaVu", size=12)
        pdf.cell(0, 10, "No participant is named yet.")
    return bytes(pdf.output())


def attended_participants(meeting: Meeting) -> int:
    return sum(1 for _, d in participants(meeting) if d.attendance == Attendance.ATTENDED)

