"""Questionnaires: rounds, responses, national clearance, questions to the secretariat."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.policy.base import is_network_staff, is_own_country, role_of


def can_manage_rounds(user) -> bool:
    return is_network_staff(user)


def can_view_response(user, country_code: str) -> bool:
    role = role_of(user)
    if is_network_staff(user):
        return True
    return role in (Role.RESPONDENT, Role.HEAD_OF_SPOC) and is_own_country(user, country_code)


def can_edit_response(user, country_code: str) -> bool:
    return role_of(user) is Role.RESPONDENT and is_own_country(user, country_code)


# Respondents edit their own country's response; that country's Head of SPOC reads it; network
# staff read every response and run the rounds; everyone else gets 404.
def can_use_questionnaires(user) -> bool:
    """Sees the questionnaires area at all (navigation, round list)."""
    return is_network_staff(user) or (role_of(user) in (Role.RESPONDENT, Role.HEAD_OF_SPOC)
                                      and bool(getattr(user, "country_code", None)))


def can_view_round(user, round_) -> bool:
    """Knows the round exists (title, deadline, countries): staff, and the users of an invited country."""
    if is_network_staff(user):
        return True
    return role_of(user) is not None and bool(user.country_code) and user.country_code in round_.country_codes


def visible_rounds(user):
    """select(Round) restricted to the rounds the user may see (their country's, or all for staff);
    seeing a round is not reading its responses (can_view_response)."""
    from sqlalchemy import false, select

    from questionnaires.models import Round, RoundCountry

    query = select(Round)
    if is_network_staff(user):
        return query
    if role_of(user) is None or not getattr(user, "country_code", None):
        return query.where(false())
    mine = select(RoundCountry.round_id).where(RoundCountry.country_code == user.country_code)
    return query.where(Round.id.in_(mine))


def can_reopen_response(user) -> bool:
    return is_network_staff(user)


def can_ask_secretariat(user, country_code: str) -> bool:
    """Questions to the secretariat: the country's respondents and Head of SPOC ask and read its threads."""
    return role_of(user) in (Role.RESPONDENT, Role.HEAD_OF_SPOC) and is_own_country(user, country_code)


def can_answer_threads(user) -> bool:
    return is_network_staff(user)


def can_clear_response(user, country_code: str) -> bool:
    """National clearance: the country's Head of SPOC submits its response or sends it back."""
    return role_of(user) is Role.HEAD_OF_SPOC and is_own_country(user, country_code)


def can_download_answer_file(user, country_code: str) -> bool:
    return can_view_response(user, country_code)
