"""Meetings: agenda, invitations, minutes, action points, the register of topics."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.policy.base import is_network_staff, is_own_country, role_of


# The secretariat (and admins) manage meetings, funding, the register and the activity report.
# Heads of SPOC see the meetings their country is invited to, answer their own invitation and
# update their country's action points; observers likewise for their agency. Nobody but the
# secretariat sees another invitee's answer.
def can_manage_meetings(user) -> bool:
    return is_network_staff(user)


def own_invitation(user, meeting):
    """The sent invitation that makes this user an invitee of the meeting, if any."""
    role = role_of(user)
    for inv in meeting.invitations:
        if inv.sent_at is None:
            continue
        if role is Role.HEAD_OF_SPOC and inv.country_code and is_own_country(user, inv.country_code):
            return inv
        if role is Role.OBSERVER and inv.agency_code and inv.agency_code == getattr(user, "agency_code", None):
            return inv
    return None


def can_view_meetings(user) -> bool:
    return is_network_staff(user) or role_of(user) in (Role.HEAD_OF_SPOC, Role.OBSERVER)


def can_view_meeting(user, meeting) -> bool:
    return is_network_staff(user) or own_invitation(user, meeting) is not None


def _invited_meeting_ids(user):
    from sqlalchemy import select

    from portal.meetings.models import Invitation

    role = role_of(user)
    if role is Role.HEAD_OF_SPOC and user.country_code:
        cond = Invitation.country_code == user.country_code
    elif role is Role.OBSERVER and user.agency_code:
        cond = Invitation.agency_code == user.agency_code
    else:
        return None
    return select(Invitation.meeting_id).where(cond, Invitation.sent_at.is_not(None), Invitation.withdrawn_at.is_(None))


def visible_meetings(user):
    """select(Meeting) restricted to what the user may see."""
    from sqlalchemy import false, select

    from portal.meetings.models import Meeting

    query = select(Meeting)
    if is_network_staff(user):
        return query
    invited = _invited_meeting_ids(user)
    return query.where(false()) if invited is None else query.where(Meeting.id.in_(invited))


def can_answer_invitation(user, invitation) -> bool:
    if invitation.sent_at is None:
        return False
    role = role_of(user)
    if role is Role.HEAD_OF_SPOC:
        return bool(invitation.country_code) and is_own_country(user, invitation.country_code)
    if role is Role.OBSERVER:
        return bool(invitation.agency_code) and invitation.agency_code == user.agency_code
    return False


def can_manage_delegation(user, invitation) -> bool:
    """A country (its Head of SPOC) or an organisation (its observer) names its own delegation."""
    return can_answer_invitation(user, invitation)


def can_view_delegation(user, invitation) -> bool:
    """A delegation with its identity details: its own invitee, and the secretariat (building access)."""
    return can_manage_delegation(user, invitation) or can_view_participants(user)


def can_view_participants(user) -> bool:
    """The participant list with identity details and the badges: the secretariat only."""
    return is_network_staff(user)


def can_view_answers(user) -> bool:
    return is_network_staff(user)


def is_observer(user) -> bool:
    return role_of(user) is Role.OBSERVER


# Observers (EU agencies, international organisations) see only what is released to them: an invited
# observer sees the meeting and its agenda, but never an item or a document "for Member States only"; the
# documents and minutes only once the secretariat has released the meeting to its observers.
def can_view_agenda_item(user, item) -> bool:
    if not can_view_meeting(user, item.meeting):
        return False
    return not (is_observer(user) and item.member_states_only)


def visible_agenda_items(user, meeting) -> list:
    return [item for item in meeting.agenda_items if can_view_agenda_item(user, item)]


def can_view_document(user, document) -> bool:
    if not can_view_meeting(user, document.meeting):
        return False
    if not is_observer(user):
        return True
    if not document.meeting.released_to_observers or document.member_states_only:
        return False
    return document.agenda_item is None or not document.agenda_item.member_states_only


def visible_documents(user, meeting) -> list:
    return [d for d in meeting.documents if can_view_document(user, d)]


def observers_read_minutes(meeting) -> bool:
    """Whether the meeting's minutes go to its observers at all (the secretariat released the meeting)."""
    return bool(meeting.released_to_observers)


def observer_items(meeting) -> list:
    """The agenda items an observer sees (and reads the minutes of)."""
    return [item for item in meeting.agenda_items if not item.member_states_only]


def observer_actions(meeting, actions) -> list:
    """The action points of a meeting an observer sees: none of an item for Member States only."""
    return [a for a in actions if a.agenda_item is None or not a.agenda_item.member_states_only]


def can_view_minutes(user, meeting) -> bool:
    if is_network_staff(user):
        return True
    if is_observer(user) and not observers_read_minutes(meeting):
        return False
    return can_view_meeting(user, meeting) and meeting.minutes_state in ("circulated", "adopted")


def can_edit_minutes(user, meeting) -> bool:
    return is_network_staff(user) and meeting.minutes_state != "adopted"


def can_comment_minutes(user, meeting) -> bool:
    return can_view_meeting(user, meeting) and meeting.minutes_state == "circulated"


def visible_actions(user):
    """select(ActionPoint) restricted to the user's meetings and the actions their country/agency owns."""
    from sqlalchemy import false, or_, select

    from portal.meetings.models import ActionPoint

    query = select(ActionPoint)
    if is_network_staff(user):
        return query
    invited = _invited_meeting_ids(user)
    if invited is None:
        return query.where(false())
    role = role_of(user)
    owner = (ActionPoint.owner_country_code == user.country_code if role is Role.HEAD_OF_SPOC
             else ActionPoint.owner_agency_code == user.agency_code)
    of_meeting = ActionPoint.meeting_id.in_(invited)
    if role is Role.OBSERVER:  # not the actions of an item for Member States only
        from portal.meetings.models import AgendaItem

        hidden = select(AgendaItem.id).where(AgendaItem.member_states_only.is_(True))
        of_meeting = of_meeting & (ActionPoint.agenda_item_id.is_(None) | ActionPoint.agenda_item_id.not_in(hidden))
    return query.where(or_(owner, of_meeting))


def is_action_owner(user, action) -> bool:
    role = role_of(user)
    if role is Role.HEAD_OF_SPOC:
        return action.owner_kind == "country" and is_own_country(user, action.owner_country_code)
    if role is Role.OBSERVER:
        return action.owner_kind == "agency" and action.owner_agency_code == user.agency_code
    return False


def can_view_action(user, action) -> bool:
    if is_network_staff(user) or is_action_owner(user, action):
        return True
    if is_observer(user) and action.agenda_item is not None and action.agenda_item.member_states_only:
        return False
    return action.meeting is not None and can_view_meeting(user, action.meeting)


def can_update_action(user, action) -> bool:
    return is_network_staff(user) or is_action_owner(user, action)


def can_view_register(user) -> bool:
    return can_view_meetings(user)


def visible_register_entries(user):
    """select(RegisterEntry): a country's own entries, and those put on the agenda of a meeting the user sees."""
    from sqlalchemy import false, or_, select

    from portal.meetings.models import AgendaItem, RegisterEntry

    query = select(RegisterEntry)
    if is_network_staff(user):
        return query
    invited = _invited_meeting_ids(user)
    if invited is None:
        return query.where(false())
    on_agenda = select(AgendaItem.register_entry_id).where(AgendaItem.meeting_id.in_(invited))
    if role_of(user) is Role.OBSERVER:  # not through an item for Member States only
        on_agenda = on_agenda.where(AgendaItem.member_states_only.is_(False))
    own = RegisterEntry.country_code == user.country_code if role_of(user) is Role.HEAD_OF_SPOC else false()
    return query.where(or_(own, RegisterEntry.id.in_(on_agenda)))


def can_view_register_entry(user, entry) -> bool:
    if is_network_staff(user) or (role_of(user) is Role.HEAD_OF_SPOC and is_own_country(user, entry.country_code)):
        return True
    return any(can_view_agenda_item(user, item) for item in entry.agenda_items)


def can_raise_register_entry(user, country_code: str | None = None) -> bool:
    if is_network_staff(user):
        return True
    return role_of(user) is Role.HEAD_OF_SPOC and (country_code is None or is_own_country(user, country_code))


def can_manage_register(user) -> bool:
    return is_network_staff(user)


def can_view_activity_report(user) -> bool:
    return is_network_staff(user)


def can_use_calendar_feed(user) -> bool:
    return role_of(user) is not None
