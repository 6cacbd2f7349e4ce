"""Whom a rule writes to, named by role: conditions on User for the mail and notices of the domains
(an invitation to a country's Heads of SPOC, a question to the secretariat, a reminder to a
country's respondents). Only active users receive anything."""

from __future__ import annotations

from sqlalchemy import and_

from portal.accounts.models import Role, User


def _active(role: Role, *conditions):
    return and_(User.role == role.value, User.active.is_(True), *conditions)


def heads_of_spoc_of(country_code: str):
    return _active(Role.HEAD_OF_SPOC, User.country_code == country_code)


def respondents_of(country_code: str):
    return _active(Role.RESPONDENT, User.country_code == country_code)


def observers_of(agency_code: str):
    return _active(Role.OBSERVER, User.agency_code == agency_code)


def secretariat_staff():
    return _active(Role.SECRETARIAT)


def core_group_members():
    """The training core group: every active user with the trainer role."""
    return _active(Role.TRAINER)
