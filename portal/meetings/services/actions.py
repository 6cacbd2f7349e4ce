"""Action points: owner (country, agency or secretariat), due date, status and the history of updates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal import audit, mail
from portal.db import utcnow
from portal.directory.models import Agency, Country
from portal.meetings.models import ActionPoint, ActionStatus, ActionUpdate, AgendaItem, Meeting, OwnerKind
from portal.meetings.services import MeetingError, recipients
from portal.meetings.services.recipients import user_label

REMIND_EVERY = dt.timedelta(days=7)


def owner_choices(session: Session) -> list[tuple[str, str]]:
    """Select options: 'secretariat', 'country:BE', 'agency:EUROPOL'."""
    return ([("secretariat", "Secretariat")]
            + [(f"country:{c.code}", c.name) for c in session.scalars(select(Country).order_by(Country.name))]
            + [(f"agency:{a.code}", a.name) for a in session.scalars(select(Agency).order_by(Agency.code))])


def owner_key(action: ActionPoint) -> str:
    if action.owner_kind == OwnerKind.SECRETARIAT:
        return "secretariat"
    return f"{action.owner_kind}:{action.owner_country_code or action.owner_agency_code}"


def _set_owner(session: Session, action: ActionPoint, owner: str) -> None:
    kind, _, code = (owner or "").partition(":")
    action.owner_country_code = action.owner_agency_code = None
    if kind == OwnerKind.SECRETARIAT and not code:
        action.owner_kind = OwnerKind.SECRETARIAT
    elif kind == OwnerKind.COUNTRY and session.get(Country, code) is not None:
        action.owner_kind, action.owner_country_code = OwnerKind.COUNTRY, code
    elif kind == OwnerKind.AGENCY and session.get(Agency, code) is not None:
        action.owner_kind, action.owner_agency_code = OwnerKind.AGENCY, code
    else:
        raise MeetingError("Choose the owner: a country, an agency or the secretariat.", "owner")


def create_action(session: Session, actor, *, title: str, owner: str, due_on: dt.date | None,
                  description: str = "", meeting: Meeting | None = None,
                  agenda_item: AgendaItem | None = None) -> ActionPoint:
    if not (title or "").strip():
        raise MeetingError("Say what is to be done.", "title")
    if agenda_item is not None and meeting is not None and agenda_item.meeting_id != meeting.id:
        raise MeetingError("Choose an item of this meeting's agenda.", "agenda_item_id")
    action = ActionPoint(title=title.strip(), description=(description or "").strip(), due_on=due_on,
                         meeting=meeting, agenda_item=agenda_item, created_by_id=getattr(actor, "id", None))
    _set_owner(session, action, owner)
    action.updates.append(ActionUpdate(author_id=getattr(actor, "id", None), author_label=user_label(actor),
                                       new_status=ActionStatus.OPEN, comment="Action point created."))
    session.add(action)
    session.flush()
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="action_point", object_id=str(action.id), country_code=action.owner_country_code,
                 details={"event": "created", "meeting": getattr(meeting, "id", None)})
    return action


def update_action(session: Session, action: ActionPoint, actor, *, status: str | ActionStatus, comment: str,
                  due_on: dt.date | None = None, owner: str | None = None, manage: bool = False) -> ActionUpdate:
    """An owner's (or the secretariat's) update: new status and a comment, kept in the history.
    Only the secretariat (`manage`) changes the due date and the owner."""
    status = ActionStatus.of(status)
    if status is None:
        raise MeetingError("Choose open, in progress or done.", "status")
    comment = (comment or "").strip()
    if not comment and status == action.status:
        raise MeetingError("Say what changed (a comment), or change the status.", "comment")
    changes = []
    if manage:
        if owner and owner != owner_key(action):
            _set_owner(session, action, owner)
            changes.append(f"owner → {action.owner_label}")
        if due_on != action.due_on:
            changes.append(f"due → {due_on or 'no date'}")
            action.due_on = due_on
    update = ActionUpdate(author_id=getattr(actor, "id", None), author_label=user_label(actor),
                          old_status=action.status, new_status=status,
                          comment="; ".join(filter(None, [comment, *changes])))
    action.updates.append(update)
    if status == ActionStatus.DONE and action.status != ActionStatus.DONE:
        action.closed_at = utcnow()
    elif status != ActionStatus.DONE:
        action.closed_at = None
    action.status = status
    session.flush()
    audit.record(session, actor=actor, area="meetings", action=audit.AuditAction.ADMIN,
                 object_type="action_point", object_id=str(action.id), country_code=action.owner_country_code,
                 details={"event": "updated", "status": status})
    return update


def filter_actions(query, status: str | None, today: dt.date):
    """Restrict a select(ActionPoint): 'open' = not done (overdue included); 'overdue' = open and past due."""
    if status == "open":
        query = query.where(ActionPoint.status != ActionStatus.DONE)
    elif status == "overdue":
        query = query.where(ActionPoint.status != ActionStatus.DONE, ActionPoint.due_on < today)
    elif status == "done":
        query = query.where(ActionPoint.status == ActionStatus.DONE)
    return query.order_by(ActionPoint.due_on.is_(None), ActionPoint.due_on, ActionPoint.id)


def owner_emails(session: Session, action: ActionPoint) -> list[str]:
    if action.owner_kind == OwnerKind.COUNTRY:
        return recipients.country_heads(session, action.owner_country_code)
    if action.owner_kind == OwnerKind.AGENCY:
        return recipients.agency_observers(session, action.owner_agency_code)
    return recipients.secretariat(session)


def overdue_reminders(session: Session, base_url: str, now: dt.datetime) -> list[str]:
    """For `spoc send-reminders`: mail the owners of overdue actions (again after a week at the earliest)."""
    lines = []
    query = filter_actions(select(ActionPoint), "overdue", now.date()).where(
        or_(ActionPoint.last_reminded_at.is_(None), ActionPoint.last_reminded_at <= now - REMIND_EVERY))
    for action in session.scalars(query):
        to = owner_emails(session, action)
        if not to:
            continue
        mail.queue_template(session, to, "meetings/mail/action_overdue.txt", action=action, base_url=base_url)
        action.last_reminded_at = now
        lines.append(f"meetings: reminded {action.owner_label} of overdue action {action.id}")
    return lines
