"""Minutes per agenda item: Markdown sanitised when shown; draft, circulated for comments, adopted."""

from __future__ import annotations

import datetime as dt

import markdown as md
import nh3
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from portal import audit, mail, policy
from portal.dates import Later, format_day
from portal.docx_writer import DocxWriter
from portal.meetings.models import (
    ActionPoint,
    AgendaItem,
    Answer,
    Attendance,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesState,
)
from portal.meetings.services import MeetingError, recipients
from portal.meetings.services.meetings import local
from portal.meetings.services.recipients import user_label

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4",
                "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "a", "hr"}


def render_markdown(text: str) -> str:
    """Markdown as HTML with everything but harmless formatting removed (no script, no handlers)."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")


class MinutesConflict(MeetingError):
    """Someone else saved these minutes since the form was opened; both texts are kept for the user."""

    def __init__(self, current: Minutes, yours: str):
        super().__init__("Someone else saved these minutes while you were editing. Your text is kept below: "
                         "merge it into the current version and save again.", "text")
        self.current_text, self.current_version, self.yours = current.text, current.version, yours


def save_minutes(session: Session, item: AgendaItem, actor, text: str, base_version: int | None,
                 now: dt.datetime) -> Minutes:
    """Save the item's minutes; `base_version` is the version the editor started from."""
    if item.meeting.minutes_state == MinutesState.ADOPTED:
        raise MeetingError("The minutes are adopted and can no longer change.", "text")
    minutes = item.minutes
    if minutes is None:
        if base_version:
            raise MeetingError("These minutes no longer exist; reload the page.", "text")
        minutes = Minutes(agenda_item=item, text=text, updated_by_id=getattr(actor, "id", None), updated_at=now)
        session.add(minutes)
    else:
        if base_version != minutes.version:
            raise MinutesConflict(minutes, text)
        minutes.text, minutes.updated_by_id, minutes.updated_at = text, getattr(actor, "id", None), now
    try:
        session.flush()
    except StaleDataError:
        # Another transaction updated the row between our read and our write.
        session.rollback()
        current = session.scalar(select(Minutes).where(Minutes.agenda_item_id == item.id))
        raise MinutesConflict(current, text) from None
    return minutes


def _invitee_recipients(session: Session, meeting: Meeting, participants_only: bool,
                        observers: bool = False) -> list[str]:
    """The invitees' addresses: the Member States' (observers False) or the observers' (True)."""
    emails: list[str] = []
    marked = any(inv.attendance for inv in meeting.invitations)
    for inv in meeting.invitations:
        if inv.sent_at is None or bool(inv.agency_code) != observers:
            continue
        if participants_only:
            took_part = (inv.attendance == Attendance.ATTENDED if marked
                         else inv.answer in (Answer.ATTEND, Answer.DELEGATE))
            if not took_part:
                continue
        emails += [e for e in recipients.for_invitation(session, inv) if e not in emails]
    return emails


def circulate(session: Session, meeting: Meeting, actor, base_url: str) -> int:
    if meeting.minutes_state != MinutesState.DRAFT:
        raise MeetingError("Only draft minutes can be circulated.", "minutes_state")
    if not any(item.minutes and item.minutes.text.strip() for item in meeting.agenda_items):
        raise MeetingError("Write the minutes of at least one agenda item first.", "minutes_state")
    meeting.minutes_state = MinutesState.CIRCULATED
    to = _invitee_recipients(session, meeting, participants_only=False)
    if policy.observers_read_minutes(meeting):
        to += [e for e in _invitee_recipients(session, meeting, False, observers=True) if e not in to]
    mail.queue_template(session, to, "meetings/mail/minutes_circulated.txt", meeting=meeting, base_url=base_url)
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.DISCLOSURE,
                 object_type="minutes", object_id=str(meeting.id), recipients=to, details={"event": "circulated"})
    return len(to)


def add_comment(session: Session, meeting: Meeting, actor, text: str, item: AgendaItem | None = None,
                ) -> MinutesComment:
    if meeting.minutes_state != MinutesState.CIRCULATED:
        raise MeetingError("Comments are taken while the draft minutes are circulated.", "comment")
    if not (text or "").strip():
        raise MeetingError("Write the comment.", "comment")
    comment = MinutesComment(meeting_id=meeting.id, agenda_item_id=item.id if item else None,
                             author_id=getattr(actor, "id", None), author_label=user_label(actor),
                             text=text.strip())
    session.add(comment)
    session.flush()
    return comment


def comments(session: Session, meeting: Meeting) -> list[MinutesComment]:
    return list(session.scalars(select(MinutesComment).where(MinutesComment.meeting_id == meeting.id)
                                .order_by(MinutesComment.id)))


def meeting_actions(session: Session, meeting: Meeting) -> list[ActionPoint]:
    return list(session.scalars(select(ActionPoint).where(ActionPoint.meeting_id == meeting.id)
                                .order_by(ActionPoint.due_on, ActionPoint.id)))


def minutes_docx(meeting: Meeting, actions: list[ActionPoint], items: list | None = None) -> bytes:
    """The minutes as Word: one numbered heading per agenda item, its Markdown as Word text, the actions;
    the minutes' marking in the header and footer; `items`: those the reader sees (default: all)."""
    when = format_day(local(meeting, meeting.starts_at).date())
    doc = DocxWriter(f"Minutes: {meeting.title}", f"{when} · {meeting.minutes_state_enum.label}",
                     subject=f"Minutes of the meeting of {when}", marking=meeting.minutes_marking)
    for item in meeting.agenda_items if items is None else items:
        doc.heading(item.title, level=1)
        doc.paragraph(item.topic_enum.label, italic=True)
        text = item.minutes.text if item.minutes else ""
        if text.strip():
            doc.markdown(text)
        else:
            doc.paragraph("(no minutes)")
    doc.heading("Action points", level=1)
    if actions:
        doc.table(["Action", "Owner", "Due", "Status"],
                  [[a.title, a.owner_label, a.due_on or "no date", a.status_enum.label] for a in actions])
    else:
        doc.paragraph("None.")
    return doc.to_bytes()


def _day_of(meeting: Meeting) -> Later:
    """The meeting's first day, written in each recipient's language (portal/dates.py)."""
    return Later(lambda: format_day(local(meeting, meeting.starts_at).date()))


def _mail_minutes(session: Session, to: list[str], meeting: Meeting, actions: list[ActionPoint],
                  items: list | None) -> None:
    """The adopted minutes to `to` (in each reader's language), the Word file attached; `items`: those they see."""
    mail.queue_template(session, to, "meetings/mail/minutes_adopted.txt", meeting=meeting, actions=actions,
                        items=items, day=_day_of(meeting),
                        attachments=[(f"minutes-meeting-{meeting.id}.docx",
                                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                      minutes_docx(meeting, actions, items))])


def adopt(session: Session, meeting: Meeting, actor) -> list[str]:
    """Adopt the minutes (read-only from now) and mail them with the action list to the participants."""
    if meeting.minutes_state != MinutesState.CIRCULATED:
        raise MeetingError("Circulate the draft minutes for comments before adopting them.", "minutes_state")
    meeting.minutes_state = MinutesState.ADOPTED
    actions = meeting_actions(session, meeting)
    to = _invitee_recipients(session, meeting, participants_only=True)
    if to:
        _mail_minutes(session, to, meeting, actions, None)
    # observers: only once released, and without the items (and their actions) for Member States only
    observers = (_invitee_recipients(session, meeting, participants_only=True, observers=True)
                 if policy.observers_read_minutes(meeting) else [])
    if observers:
        _mail_minutes(session, observers, meeting, policy.observer_actions(meeting, actions),
                      policy.observer_items(meeting))
        to = to + observers
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.DISCLOSURE,
                 object_type="minutes", object_id=str(meeting.id), recipients=to, details={"event": "adopted"})
    return to
