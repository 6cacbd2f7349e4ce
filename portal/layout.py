"""What the shared layout needs: the navigation by role and template helpers."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup, escape

from portal import policy
from portal.dates import format_day, format_moment
from portal.directory.reference import country_name, language_label
from portal.enums import label_for
from portal.fragments import fragments, hole
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
    """A UTC datetime shown in the user's time zone (or `zone`, when the caller looked it up), its day in the page's
    language (portal/dates.py: "%d %b %Y" is 31 janv. 2030 on a French page)."""
    if value is None:
        return ""
    local = value.astimezone(zone or user_zone())
    return format_moment(local, fmt) + (f" {local.tzname()}" if "%H" in fmt else "")


def format_month(value: dt.date | None) -> str:
    """A month as a heading in the page's language: December 2026, décembre 2026, Dezember 2026."""
    if value is None:
        return ""
    from babel.dates import format_date

    from portal.i18n import current_language

    text = format_date(value, "LLLL yyyy", locale=current_language())
    return text[:1].upper() + text[1:]


def weekday_names() -> list[str]:
    """Monday to Sunday, abbreviated, in the page's language (a calendar's columns)."""
    from babel.dates import get_day_names

    from portal.i18n import current_language

    names = get_day_names("abbreviated", locale=current_language())
    return [names[i] for i in range(7)]


_BACK = hole("navbar-back")  # where the address to come back to goes in the kept bar


@pass_context
def kept_navbar(context, caller) -> Markup:
    """The page's navigation bar (`{% call(urgent_waiting, back) kept_navbar() %}` in base.html), kept through
    portal/fragments.py for a logged-in user under everything it shows: the user (id, email, name, role, scope),
    the page's language, the entries of the menu and the active one, and the duty badge's count; the user's
    country leads the key (issue 24: the bar was a tenth of the inbox's time). The address the language switch
    comes back to (this page's) is put in on every use. Anyone not logged in gets it rendered."""
    from flask_babel import get_locale

    from portal.i18n import current_language

    back = request.full_path if request.query_string else request.path
    user = current_user._get_current_object()
    if not getattr(user, "is_authenticated", False):
        return caller(0, back)
    badge = context.get("duty_badge")
    urgent = badge() if badge is not None else 0
    key = (user.country_code, "navbar", user.id, user.email, user.name, user.role, user.scope_label,
           str(get_locale()), current_language(), request.script_root, context.get("active_blueprint"),
           tuple((item.endpoint, item.label) for item in context.get("nav_items") or ()), urgent)
    return fragments().get(key, lambda: caller(urgent, _BACK), fill={_BACK: escape(back)})


def init_app(app: Flask) -> None:
    nav = registry(app)
    nav.add_nav(NavItem("home.index", "Dashboard", lambda u: True))  # first; each domain adds its own in init_app
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment  # a local time already in the meeting's zone: {{ s|moment('%d %b %Y %H:%M') }}
    app.jinja_env.filters["month"] = format_month
    app.jinja_env.globals["weekdays"] = weekday_names
    app.jinja_env.filters["language"] = language_label
    app.jinja_env.filters["country_name"] = country_name  # {{ country.code|country_name }}: Grèce on a French page
    app.jinja_env.filters["label"] = lambda value, enum_name: label_for(enum_name, value)  # {{ case.channel|label("Channel") }}
    # templates ask policy (`policy.can_x(current_user)`), never compare roles themselves
    app.jinja_env.globals["policy"] = policy
    app.jinja_env.globals["kept_navbar"] = kept_navbar
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
