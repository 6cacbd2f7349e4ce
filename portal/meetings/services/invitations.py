"""Invitations: the invitee list, mails with .ics, answers until the deadline, reminders, attendance."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit, mail
from portal.dates import Later, format_moment
from portal.directory.models import Agency, Country
from portal.directory.reference import COUNTRY_NAMES
from portal.enums import say
from portal.meetings.models import Answer, Attendance, Invitation, Meeting, MeetingStatus
from portal.meetings.services import MeetingError, recipients
from portal.meetings.services.calendar import DEFAULT_ORGANIZER, invitation_ics
from portal.meetings.services.meetings import local


def _open_for_changes(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.HELD):
        raise MeetingError("The meeting is %(status)s: invitations are closed.", "countries",
                           status=meeting.status_enum.label.lower())


def set_invitees(session: Session, meeting: Meeting, actor, countries: list[str],
                 agencies: dict[str, str]) -> None:
    """The invitee list: countries, and agencies each with the reason; sent invitations stay."""
    _open_for_changes(meeting)
    known = set(session.scalars(select(Country.code)))
    unknown = sorted(set(countries) - known)
    if unknown:
        raise MeetingError("Unknown country: %(codes)s.", "countries", codes=", ".join(unknown))
    known_agencies = set(session.scalars(select(Agency.code)))
    for code, reason in agencies.items():
        if code not in known_agencies:
            raise MeetingError("Unknown agency: %(code)s.", "agencies", code=code)
        if not (reason or "").strip():
            raise MeetingError("Say why %(code)s is invited (their expertise needed).", f"reason_{code}", code=code)
    if not countries and not agencies:
        raise MeetingError("Choose at least one country or agency.", "countries")
    by_key = {inv.invitee: inv for inv in meeting.invitations}
    withdrawn = {inv.invitee: inv for inv in meeting.withdrawn_invitations}
    wanted = set(countries) | set(agencies)
    for key, inv in list(by_key.items()):
        if key not in wanted and inv.sent_at is None:
            meeting.invitations.remove(inv)
    for cc in countries:
        if cc in withdrawn:
            _invite_again(withdrawn[cc], "")
        elif cc not in by_key:
            meeting.invitations.append(Invitation(country_code=cc))
    for code, reason in agencies.items():
        if code in by_key:
            by_key[code].reason = reason.strip()
        elif code in withdrawn:
            _invite_again(withdrawn[code], reason.strip())
        else:
            meeting.invitations.append(Invitation(agency_code=code, reason=reason.strip()))
    session.flush()
    session.expire(meeting, ["invitations", "withdrawn_invitations"])
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="meeting", object_id=str(meeting.id),
                 details={"event": "invitees", "countries": sorted(countries), "agencies": sorted(agencies)})


def _invite_again(inv: Invitation, reason: str) -> None:
    """A withdrawn invitee put back on the list: a new invitation on the same row (one per invitee and
    meeting), to be sent again; the earlier answer and the withdrawal stay in the audit log."""
    inv.withdrawn_at, inv.withdrawn_reason, inv.reason = None, "", reason
    inv.sent_at = inv.answer = inv.answered_at = inv.answered_by_id = inv.reminded_at = inv.attendance = None
    inv.delegate_name = ""


def _itip_mail(session: Session, meeting: Meeting, inv: Invitation, method: str, base_url: str, organizer: str,
               template: str, filename: str, **context) -> list[str]:
    """Queue one iTIP mail (RFC 5546) of a kind (`meetings/mail/<kind>.txt`, the meeting's details from
    meetings/mail/_meeting.txt) to an invitation's addresses, themselves the ATTENDEEs; the addresses
    mailed ([] when the invitee has nobody to mail)."""
    to = recipients.for_invitation(session, inv)
    if to:
        label = COUNTRY_NAMES.get(inv.invitee, inv.invitee)
        ics = invitation_ics(meeting, base_url, method, [(email, label) for email in to], organizer)
        mail.queue_template(session, to, f"meetings/mail/{template}", **_meeting_context(meeting, base_url),
                            **context, attachments=[(filename, f"text/calendar; method={method}", ics)])
    return to


def withdraw(session: Session, meeting: Meeting, actor, invitation_id: int, reason: str, base_url: str,
             now: dt.datetime, organizer: str = DEFAULT_ORGANIZER) -> Invitation:
    """Withdraw a sent invitation: the invitee is told why, with an .ics that takes the meeting out of
    their calendar, and no longer sees the meeting; the row stays, with its answer, for the record."""
    try:
        _open_for_changes(meeting)
    except MeetingError as exc:
        raise MeetingError(exc.message, "withdraw", **exc.params) from None
    inv = next((i for i in meeting.invitations if i.id == invitation_id and i.sent_at is not None), None)
    if inv is None:
        raise MeetingError("This invitee has no invitation in force to withdraw.", "withdraw")
    reason = (reason or "").strip()
    if not reason:
        raise MeetingError("Say why the invitation is withdrawn: the invitee is told.", f"withdraw_reason_{inv.id}")
    if len(reason) > 1000:
        raise MeetingError("Keep the reason under 1,000 characters.", f"withdraw_reason_{inv.id}")
    meeting.ical_sequence = (meeting.ical_sequence or 0) + 1  # a change to the event for this attendee
    to = _itip_mail(session, meeting, inv, "CANCEL", base_url, organizer, "invitation_withdrawn.txt", "withdrawn.ics",
                    reason=reason)
    inv.withdrawn_at, inv.withdrawn_reason = now, reason
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="invitation", object_id=str(inv.id), country_code=inv.country_code,
                 recipients=[inv.invitee],
                 details={"event": "invitation_withdrawn", "meeting": meeting.id, "reason": reason,
                          "answer": inv.answer, "mailed": bool(to)})
    session.flush()
    session.expire(meeting, ["invitations", "withdrawn_invitations"])
    return inv


def _when(meeting: Meeting) -> Later:
    """The meeting's span in its own zone, written in each recipient's language (portal/dates.py)."""
    start, end = local(meeting, meeting.starts_at), local(meeting, meeting.ends_at)
    return Later(lambda: say("%(start)s to %(end)s (%(zone)s)", start=format_moment(start, "%a %d %b %Y %H:%M"),
                             end=format_moment(end, "%a %d %b %Y %H:%M"), zone=meeting.timezone))


def _answer_by(moment: dt.datetime) -> Later:
    return Later(lambda: format_moment(moment, "%d %b %Y %H:%M"))


def _meeting_context(meeting: Meeting, base_url: str) -> dict:
    """What meetings/mail/_meeting.txt shows of a meeting."""
    return {"meeting": meeting, "when": _when(meeting), "link": f"{base_url.rstrip('/')}/meetings/{meeting.id}",
            "presidency": COUNTRY_NAMES.get(meeting.presidency_code, meeting.presidency_code)
            if meeting.presidency_code else None,
            "answer_by": _answer_by(local(meeting, meeting.registration_deadline))
            if meeting.registration_deadline else None}


def send_invitations(session: Session, meeting: Meeting, actor, base_url: str, now: dt.datetime,
                     organizer: str = DEFAULT_ORGANIZER) -> int:
    """Mail every invitee not yet invited (with an iTIP REQUEST); the meeting becomes 'invitations sent'."""
    _open_for_changes(meeting)
    pending = [inv for inv in meeting.invitations if inv.sent_at is None]
    if not pending:
        raise MeetingError("Everyone on the list is already invited; add invitees first.", "countries")
    for inv in pending:
        _itip_mail(session, meeting, inv, "REQUEST", base_url, organizer, "invitation.txt", "invitation.ics",
                   agency_reason=inv.reason if inv.agency_code else "")
        inv.sent_at = now
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.INVITATIONS_SENT
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.DISCLOSURE,
                 object_type="meeting", object_id=str(meeting.id),
                 recipients=[inv.invitee for inv in pending], details={"event": "invitations_sent"})
    session.flush()
    return len(pending)


def answer_open(invitation: Invitation, now: dt.datetime) -> bool:
    meeting = invitation.meeting
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.INVITATIONS_SENT):
        return False
    deadline = meeting.registration_deadline or meeting.starts_at
    return now <= deadline


def answer(session: Session, invitation: Invitation, actor, value: str, delegate_name: str,
           now: dt.datetime) -> Invitation:
    if Answer.of(value) is None:
        raise MeetingError("Choose attend, send a delegate or decline.", "answer")
    if not answer_open(invitation, now):
        raise MeetingError("The registration deadline has passed: the answer can no longer change.", "answer")
    delegate_name = (delegate_name or "").strip()
    if value == Answer.DELEGATE and not delegate_name:
        raise MeetingError("Name the delegate who will attend.", "delegate_name")
    invitation.answer = Answer(value)
    invitation.delegate_name = delegate_name if value == Answer.DELEGATE else ""
    invitation.answered_at, invitation.answered_by_id = now, getattr(actor, "id", None)
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="invitation", object_id=str(invitation.id), country_code=invitation.country_code,
                 details={"answer": value, "meeting": invitation.meeting_id})
    return invitation


def remind_unanswered(session: Session, meeting: Meeting, base_url: str, now: dt.datetime) -> list[str]:
    """Mail the invitees who have not answered; the invitees reminded."""
    reminded = []
    for inv in meeting.invitations:
        if inv.sent_at is None or inv.answer or not answer_open(inv, now):
            continue
        to = recipients.for_invitation(session, inv)
        if to:
            mail.queue_template(session, to, "meetings/mail/invitation_reminder.txt",
                                **_meeting_context(meeting, base_url))
            inv.reminded_at = now
            reminded.append(inv.invitee)
    return reminded


def due_invitation_reminders(session: Session, base_url: str, now: dt.datetime, days: int) -> list[str]:
    """For `spoc send-reminders`: invitees not yet answered or reminded, with the deadline within `days`."""
    lines = []
    soon = now + dt.timedelta(days=days)
    meetings = session.scalars(select(Meeting).where(
        Meeting.status == MeetingStatus.INVITATIONS_SENT, Meeting.registration_deadline.is_not(None),
        Meeting.registration_deadline >= now, Meeting.registration_deadline <= soon))
    for meeting in meetings:
        for inv in meeting.invitations:
            if inv.sent_at and not inv.answer and inv.reminded_at is None:
                to = recipients.for_invitation(session, inv)
                if to:
                    mail.queue_template(session, to, "meetings/mail/invitation_reminder.txt",
                                        **_meeting_context(meeting, base_url))
                    inv.reminded_at = now
                    lines.append(f"meetings: reminded {inv.invitee} to answer '{meeting.title}'")
    return lines


def has_started(meeting: Meeting, now: dt.datetime) -> bool:
    """Attendance and "held" belong to a meeting that has begun."""
    return meeting.starts_at <= now


def mark_attendance(session: Session, meeting: Meeting, actor, marks: dict[int, str], now: dt.datetime) -> None:
    if not has_started(meeting, now):
        raise MeetingError("Attendance can be recorded once the meeting has started.", "attendance")
    by_id = {inv.id: inv for inv in meeting.invitations}
    for inv_id, value in marks.items():
        inv = by_id.get(inv_id)
        if inv is None:
            raise MeetingError("An invitee is not on this meeting's list.", "attendance")
        if value and Attendance.of(value) is None:
            raise MeetingError("Choose attended, absent or excused.", f"attendance_{inv_id}")
        inv.attendance = Attendance(value) if value else None
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="meeting", object_id=str(meeting.id), details={"event": "attendance"})


def participant_groups(meeting: Meeting, withdrawn: bool = False) -> list[dict]:
    """The invitee list grouped by country (then the agencies), for the secretariat's page and exports;
    `withdrawn`: the invitations withdrawn instead."""
    groups = []
    chosen = meeting.withdrawn_invitations if withdrawn else meeting.invitations
    for inv in sorted(chosen, key=lambda i: (i.country_code is None,
                                                          COUNTRY_NAMES.get(i.invitee, i.invitee))):
        groups.append({"code": inv.invitee, "kind": "country" if inv.country_code else "agency",
                       "name": COUNTRY_NAMES.get(inv.invitee, inv.invitee), "invitation": inv})
    return groups


def answer_counts(meeting: Meeting) -> dict[str, int]:
    counts = {a.value: 0 for a in Answer} | {"none": 0}
    for inv in meeting.invitations:
        if inv.sent_at:
            counts[inv.answer or "none"] += 1
    return counts


def awaiting_answer(session: Session, user, now: dt.datetime) -> list[Invitation]:
    """The user's own invitations that still wait for an answer."""
    if user.country_code:
        cond = Invitation.country_code == user.country_code
    elif user.agency_code:
        cond = Invitation.agency_code == user.agency_code
    else:
        return []
    found = session.scalars(select(Invitation).where(cond, Invitation.sent_at.is_not(None),
                                                     Invitation.answer.is_(None), Invitation.withdrawn_at.is_(None)))
    return [inv for inv in found if answer_open(inv, now)]


def upcoming_invitations(session: Session, user, now: dt.datetime) -> list[Invitation]:
    """The invitations of the user's country or agency to meetings not yet over, soonest first."""
    if user.country_code:
        cond = Invitation.country_code == user.country_code
    elif user.agency_code:
        cond = Invitation.agency_code == user.agency_code
    else:
        return []
    return list(session.scalars(
        select(Invitation).join(Meeting, Meeting.id == Invitation.meeting_id)
        .where(cond, Invitation.sent_at.is_not(None), Invitation.withdrawn_at.is_(None), Meeting.ends_at >= now,
               Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.starts_at)))


def notify_cancelled(session: Session, meeting: Meeting, base_url: str, organizer: str = DEFAULT_ORGANIZER) -> int:
    """Tell every invitee the meeting is cancelled; the iTIP CANCEL removes it from their calendars."""
    meeting.ical_sequence = (meeting.ical_sequence or 0) + 1
    sent = 0
    for inv in meeting.invitations:
        if inv.sent_at and _itip_mail(session, meeting, inv, "CANCEL", base_url, organizer, "cancelled.txt",
                                      "cancellation.ics"):
            sent += 1
    return sent


def notify_changed(session: Session, meeting: Meeting, base_url: str, organizer: str = DEFAULT_ORGANIZER) -> int:
    """After a change of time, place or title: every invitee gets the updated event (iTIP REQUEST, same UID,
    the raised SEQUENCE), which replaces the one in their calendar."""
    sent = 0
    for inv in meeting.invitations:
        if inv.sent_at and _itip_mail(session, meeting, inv, "REQUEST", base_url, organizer, "changed.txt",
                                      "invitation.ics"):
            sent += 1
    return sent
