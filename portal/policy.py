"""Who may do what: every authorisation decision of the portal lives here.

Views and API handlers ask `can_*` questions or call `ensure(...)`; lists use the `visible_*`
query filters so that a list never shows what a page would refuse. A refusal about another
country's object is a 404 so that nobody learns it exists.
"""

from __future__ import annotations

from werkzeug.exceptions import NotFound

from portal.accounts.models import CASE_ROLES, Role


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


# accounts -------------------------------------------------------------------------------------
def can_manage_users(user) -> bool:
    return role_of(user) is Role.ADMIN


# directory ------------------------------------------------------------------------------------
def can_view_directory(user) -> bool:
    return role_of(user) is not None


def can_edit_presidencies(user) -> bool:
    return is_network_staff(user)


def can_edit_spoc(user, country_code: str) -> bool:
    role = role_of(user)
    return is_network_staff(user) or (role is Role.HEAD_OF_SPOC and is_own_country(user, country_code))


# questionnaires -------------------------------------------------------------------------------
def can_manage_rounds(user) -> bool:
    return is_network_staff(user)


def can_view_response(user, country_code: str) -> bool:
    role = role_of(user)
    if is_network_staff(user):
        return True
    return role in (Role.RESPONDENT, Role.HEAD_OF_SPOC) and is_own_country(user, country_code)


def can_edit_response(user, country_code: str) -> bool:
    return role_of(user) is Role.RESPONDENT and is_own_country(user, country_code)


def can_view_reports(user) -> bool:
    return role_of(user) is not None


# case management ------------------------------------------------------------------------------
def can_use_cases(user) -> bool:
    """Case management is a SPOC's own: network staff and admins are not in it."""
    return role_of(user) in CASE_ROLES and bool(user.country_code)


def can_view_case(user, case) -> bool:
    return can_use_cases(user) and is_own_country(user, case.country_code)


def can_handle_case(user, case) -> bool:
    return can_view_case(user, case) and role_of(user) in (Role.OFFICER, Role.SUPERVISOR)


def can_read_access_log(user, country_code: str) -> bool:
    return role_of(user) in (Role.DPO, Role.SUPERVISOR) and is_own_country(user, country_code)
