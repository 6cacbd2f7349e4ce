"""What the shared layout needs: the navigation by role and template helpers."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import Flask, g, has_request_context, request
from flask_login import current_user

from portal import policy
from portal.dates import format_day
from portal.directory.reference import language_label
from portal.enums import label_for
from portal.registry import NavItem, registry


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def user_zone() -> ZoneInfo:
    """The user's time zone (looked up once per request: long tables call local_time for every row)."""
    if has_request_context():
        zone = g.get("user_zone")
        if zone is None:
            zone = g.user_zone = _zone(getattr(current_user, "timezone", None) or "Europe/Brussels")
        return zone
    return _zone("Europe/Brussels")


def local_time(value: dt.datetime | None, fmt: str = "%d %b %Y %H:%M", zone: ZoneInfo | None = None) -> str:
    """A UTC datetime shown in the user's time zone (or `zone`, when the caller looked it up)."""
    if value is None:
        return ""
    local = value.astimezone(zone or user_zone())
    return local.strftime(fmt) + (f" {local.tzname()}" if "%H" in fmt else "")


def init_app(app: Flask) -> None:
    nav = registry(app)
    nav.add_nav(NavItem("home.index", "Dashboard", lambda u: True))  # first; each domain adds its own in init_app
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["language"] = language_label
    app.jinja_env.filters["label"] = lambda value, enum_name: label_for(enum_name, value)  # {{ case.channel|label("Channel") }}
    # templates ask policy (`policy.can_x(current_user)`), never compare roles themselves
    app.jinja_env.globals["policy"] = policy
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _layout():
        items = []
        user = current_user._get_current_object()  # not the proxy: each entry's rule reads the user
        if user.is_authenticated:
            items = [i for i in nav.nav if i.allowed(user)]
        active = request.endpoint or ""
        return {"nav_items": items, "active_blueprint": active.split(".")[0]}
