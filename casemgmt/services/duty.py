"""24/7 duty and escalation (issue 17, point 4; Directive (EU) 2023/977 Art. 14(3): the SPOC works 24
hours a day, 7 days a week, and Art. 5(1)'s 8-hour limit runs at night too).

- A roster per SPOC: who is on duty when, as duty officer or shift leader; handover notes.
- A new urgent request notifies the officers on duty at once (mail, and a badge on every page).
- Unassigned after the SPOC's `escalate_unassigned_minutes`, it goes to the shift leader on duty.
- An exchange whose deadline is near (the SPOC's `due_soon_hours`) or passed, unanswered, goes to the
  SPOC's supervisors.
Each alert is sent once per case and kind (case_duty_alerts); the mails name the case, never its
personal data. The worker runs `duty_alerts` every 5 minutes and at each urgent intake.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from casemgmt.models import Case, DutyAlert, DutyAlertKind, DutyRole, DutyShift, HandoverNote
from casemgmt.services import CaseError
from casemgmt.services.settings import load_settings
from portal import policy
from portal.accounts.models import User
from portal.audit import AuditAction, record
from portal.db import Prepared, UTCDateTime
from portal.mail import queue_template

DUTY_ROLES = {DutyRole.DUTY_OFFICER: "Duty officer", DutyRole.SHIFT_LEADER: "Shift leader"}
MAX_SHIFT = dt.timedelta(hours=24)


def add_shift(session: Session, actor, country_code: str, user: User | None, role: str, starts_at: dt.datetime,
              ends_at: dt.datetime) -> DutyShift:
    if user is None or not policy.can_be_assigned(user, country_code):
        raise CaseError("Choose an officer or supervisor of your SPOC.", "user_id")
    if role not in DUTY_ROLES:
        raise CaseError("Choose duty officer or shift leader.", "role")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise CaseError("Give the times with their time zone.", "starts_at")
    if ends_at <= starts_at:
        raise CaseError("The shift ends after it starts.", "ends_at")
    if ends_at - starts_at > MAX_SHIFT:
        raise CaseError("A shift lasts at most 24 hours.", "ends_at")
    shift = DutyShift(country_code=country_code, user_id=user.id, role=role, starts_at=starts_at.astimezone(dt.UTC),
                      ends_at=ends_at.astimezone(dt.UTC), created_by_id=getattr(actor, "id", None))
    session.add(shift)
    session.flush()
    record(session, actor=actor, area="casemgmt", action=AuditAction.ADMIN, object_type="duty_shift",
           object_id=str(shift.id), country_code=country_code,
           details={"what": f"{DUTY_ROLES[role].lower()} shift of {user.email}: {starts_at:%Y-%m-%d %H:%M} "
                            f"to {ends_at:%Y-%m-%d %H:%M}"})
    return shift


def remove_shift(session: Session, actor, country_code: str, shift_id: int) -> None:
    shift = session.get(DutyShift, shift_id)
    if shift is None or shift.country_code != country_code:
        raise CaseError("There is no such shift in your SPOC.", "shift")
    session.delete(shift)
    record(session, actor=actor, area="casemgmt", action=AuditAction.ADMIN, object_type="duty_shift",
           object_id=str(shift_id), country_code=country_code, details={"what": "shift removed"})


def on_duty(session: Session, country_code: str, now: dt.datetime, role: str | None = None) -> list[User]:
    q = (select(User).join(DutyShift, DutyShift.user_id == User.id)
         .where(DutyShift.country_code == country_code, DutyShift.starts_at <= now, DutyShift.ends_at > now,
                User.active.is_(True)))
    if role:
        q = q.where(DutyShift.role == role)
    return list(dict.fromkeys(session.scalars(q.order_by(User.email))))


def is_on_duty(session: Session, user, now: dt.datetime) -> bool:
    return session.scalar(select(DutyShift.id).where(
        DutyShift.country_code == getattr(user, "country_code", None), DutyShift.ends_at > now,
        DutyShift.starts_at <= now, DutyShift.user_id == getattr(user, "id", None)).limit(1)) is not None


def roster(session: Session, country_code: str, now: dt.datetime, days: int = 7) -> list[DutyShift]:
    """The shifts running now and those starting in the next `days` days."""
    return list(session.scalars(select(DutyShift).where(
        DutyShift.country_code == country_code, DutyShift.ends_at > now,
        DutyShift.starts_at < now + dt.timedelta(days=days)).order_by(DutyShift.starts_at, DutyShift.role)))


def add_note(session: Session, actor, country_code: str, text: str) -> HandoverNote:
    text = (text or "").strip()
    if not text:
        raise CaseError("Write the handover note.", "text")
    note = HandoverNote(country_code=country_code, author_id=actor.id, text=text[:5000])
    session.add(note)
    session.flush()
    return note


def notes(session: Session, country_code: str, limit: int = 20) -> list[HandoverNote]:
    return list(session.scalars(select(HandoverNote).where(HandoverNote.country_code == country_code)
                                .order_by(HandoverNote.at.desc()).limit(limit)))


# Shown on every page of an officer: one statement compiled once (portal.db.Prepared); off duty,
# the CASE stops at the roster and no case is read (tests/casemgmt/test_no_whole_spoc_reads.py).
# Which cases count is Case.urgent_unanswered, the definition the duty alerts use too.
_NOW = bindparam("now", type_=UTCDateTime)
_ON_DUTY = exists().where(DutyShift.country_code == bindparam("cc"), DutyShift.ends_at > _NOW,
                          DutyShift.starts_at <= _NOW, DutyShift.user_id == bindparam("uid"))
_UNTAKEN = (select(func.count()).select_from(Case)
            .where(Case.country_code == bindparam("cc"), Case.urgent_unanswered, Case.assignee_id.is_(None))
            .scalar_subquery())
_BADGE = Prepared(select(sql_case((_ON_DUTY, _UNTAKEN), else_=0)))


def badge(session: Session, user, now: dt.datetime) -> int:
    """For an officer on duty: the urgent requests of the SPOC that nobody has taken yet."""
    if not policy.can_register_cases(user):
        return 0
    row = _BADGE.execute(session.connection(), {"cc": user.country_code, "uid": user.id, "now": now}).fetchone()
    return int(row[0] or 0) if row else 0


def _alert(session: Session, case: Case, kind: DutyAlertKind, to: list[str], base_url: str, **details) -> str | None:
    """Mail one alert of `kind` about `case` (casemgmt/mail/duty_alert.txt, in each recipient's language),
    once per case and kind; it names the case, never its personal data."""
    if not to or session.scalar(select(DutyAlert.id).where(DutyAlert.case_id == case.id,
                                                           DutyAlert.kind == kind)) is not None:
        return None
    queue_template(session, to, "casemgmt/mail/duty_alert.txt", kind=kind, case=case,
                   link=f"{base_url.rstrip('/')}/cases/{case.registration_number}", **details)
    session.add(DutyAlert(country_code=case.country_code, case_id=case.id, kind=kind, recipients=to))
    session.flush()
    return f"duty: {kind} {case.registration_number} -> {', '.join(to)}"


def alert_new_urgent(session: Session, case: Case, now: dt.datetime, base_url: str = "") -> str | None:
    """A new urgent request: the officers on duty, at once (the shift leader when no officer is)."""
    people = on_duty(session, case.country_code, now, DutyRole.DUTY_OFFICER) or on_duty(
        session, case.country_code, now, DutyRole.SHIFT_LEADER)
    return _alert(session, case, DutyAlertKind.NEW_URGENT, [u.email for u in people], base_url)


def duty_alerts(session: Session, config, now: dt.datetime, days: int = 0) -> list[str]:
    """The 5-minute run: new urgent requests, unassigned ones to the shift leader, deadlines to supervisors."""
    base_url = (config.get("BASE_URL") if hasattr(config, "get") else "") or ""
    lines: list[str] = []
    alerted = select(DutyAlert.case_id).where(DutyAlert.kind == DutyAlertKind.NEW_URGENT)
    for case in session.scalars(select(Case).where(Case.urgent_unanswered, Case.id.not_in(alerted),
                                                   Case.received_at >= now - dt.timedelta(days=1)).limit(500)):
        lines.append(alert_new_urgent(session, case, now, base_url))
    settings: dict[str, dict] = {}
    unassigned = select(DutyAlert.case_id).where(DutyAlert.kind == DutyAlertKind.UNASSIGNED)
    for case in session.scalars(select(Case).where(Case.urgent_unanswered, Case.assignee_id.is_(None),
                                                   Case.id.not_in(unassigned)).limit(500)):
        limit = int(settings.setdefault(case.country_code, load_settings(session, case.country_code))[
            "escalate_unassigned_minutes"])
        if (case.created_at or case.received_at) > now - dt.timedelta(minutes=limit):
            continue
        leaders = on_duty(session, case.country_code, now, DutyRole.SHIFT_LEADER)
        lines.append(_alert(session, case, DutyAlertKind.UNASSIGNED, [u.email for u in leaders], base_url, minutes=limit))
    near = select(DutyAlert.case_id).where(DutyAlert.kind == DutyAlertKind.DEADLINE)
    for case in session.scalars(select(Case).where(
            Case.needs_action, Case.legal_clock.is_(True),
            Case.replied_at.is_(None), Case.paused_since.is_(None), Case.id.not_in(near),
            Case.due_at <= now + dt.timedelta(hours=24)).order_by(Case.due_at).limit(500)):
        soon = int(settings.setdefault(case.country_code, load_settings(session, case.country_code))["due_soon_hours"])
        if case.due_at > now + dt.timedelta(hours=soon) or case.judicial_authorisation_pending:
            continue
        supervisors = session.scalars(select(User.email).where(
            User.country_code == case.country_code, User.active.is_(True),
            User.role.in_(policy.deadline_escalation_roles())).order_by(User.email)).all()
        lines.append(_alert(session, case, DutyAlertKind.DEADLINE, list(supervisors), base_url, passed=case.due_at <= now))
    return [line for line in lines if line]


__all__ = ["DUTY_ROLES", "add_note", "add_shift", "alert_new_urgent", "badge", "duty_alerts", "is_on_duty",
           "notes", "on_duty", "remove_shift", "roster"]
