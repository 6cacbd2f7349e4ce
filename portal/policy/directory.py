"""Who edits the directory of SPOCs and presidencies."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.policy.base import is_network_staff, is_own_country, role_of


def can_view_directory(user) -> bool:
    return role_of(user) is not None


def can_edit_markings(user) -> bool:
    """The list of markings an author may choose (portal.markings) is kept by the secretariat."""
    return is_network_staff(user)


def can_edit_presidencies(user) -> bool:
    return is_network_staff(user)


def can_edit_spoc(user, country_code: str) -> bool:
    role = role_of(user)
    return is_network_staff(user) or (role is Role.HEAD_OF_SPOC and is_own_country(user, country_code))


def can_set_directive_binding(user) -> bool:
    """Whether Directive (EU) 2023/977 binds a country is a network fact (its recitals, a Member State's
    notification), recorded by the secretariat, not by the country's own Head of SPOC."""
    return is_network_staff(user)
