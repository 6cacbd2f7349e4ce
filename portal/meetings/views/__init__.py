"""Meeting pages: thin views that load, authorise with `policy`, call one service, commit once."""

from __future__ import annotations

from flask import Blueprint, abort, current_app
from flask_login import current_user

from portal import policy
from portal.db import get_session
from portal.errors import show_beside_field
from portal.meetings.models import AgendaItem, Meeting

bp = Blueprint("meetings", __name__, url_prefix="/meetings", template_folder="../templates")


def load_meeting(meeting_id: int, manage: bool = False) -> Meeting:
    """The meeting if this user may see it (or manage it); 404 otherwise."""
    meeting = get_session().get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    policy.ensure(policy.can_manage_meetings(current_user) if manage
                  else policy.can_view_meeting(current_user, meeting))
    return meeting


def load_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = get_session().get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    return item


def show_error(form, exc) -> None:
    """A service's refusal beside the field it names (or as a message when the form has no such field)."""
    show_beside_field(form, exc)


def commit_and_send() -> None:
    """Commit the request's work; the mail it queued is sent by the worker after the commit."""
    get_session().commit()


def base_url() -> str:
    return current_app.config["BASE_URL"]


def organizer() -> str:
    """The ORGANIZER of the meetings' iCalendar messages: the portal's sending address."""
    return current_app.config["MAIL_SENDER"]


def optional_int(value) -> int | None:
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


from portal.meetings.views import (  # noqa: E402,F401  (routes register on bp)
    actions,
    agenda,
    delegations,
    funding,
    invitations,
    meetings,
    minutes,
    register,
    report,
)
