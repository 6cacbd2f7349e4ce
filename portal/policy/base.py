"""The questions every domain's rules ask: who the user is, whether the object is of their country."""

from __future__ import annotations

from werkzeug.exceptions import NotFound

from portal.accounts.models import Role


def ensure(allowed: bool) -> None:
    """Refuse with 404: the object may exist, but not for this user."""
    if not allowed:
        raise NotFound()


def role_of(user) -> Role | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Role(user.role)


def is_network_staff(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.SECRETARIAT)


def is_own_country(user, country_code: str | None) -> bool:
    return bool(country_code) and getattr(user, "country_code", None) == country_code
