"""Training pages: activities and their calendar, nominations, the trainer pool and core group,
opportunities, needs, reports, settings, and the participants' feedback form."""

from __future__ import annotations

from flask import Blueprint, abort, current_app

from portal.db import get_session
from portal.errors import show_beside_field

bp = Blueprint("training", __name__, url_prefix="/training", template_folder="../templates")


def load(model, object_id: int):
    """The object, or 404."""
    obj = get_session().get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def commit() -> None:
    """Commit the request's work; the mail it queued is sent by the worker after the commit."""
    get_session().commit()


def base_url() -> str:
    return current_app.config.get("BASE_URL") or ""


def organizer() -> str:
    """The ORGANIZER of the activities' iCalendar messages: the portal's sending address, as for meetings."""
    return current_app.config["MAIL_SENDER"]


def field_error(form, exc) -> None:
    """Show a service's refusal beside the field it names (or the first field)."""
    show_beside_field(form, exc, fallback="first")


from portal.training.views import (  # noqa: E402,F401
    activities,
    feedback,
    funding,
    needs_reports,
    nominations,
    opportunities,
    pool,
    settings,
)
