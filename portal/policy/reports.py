"""Reports: which rounds' reports and free text a user reads."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.policy.base import is_network_staff, role_of


# Network staff read every report of every round. A user of a country invited to a round reads
# its network-wide report and their own country's position; observers read shared rounds only.
# Another country's free text (text answers, SWOT, process descriptions, file names) is shown only
# when the round is shared. Country profiles are readable by everyone logged in (the directory is
# public inside the network); their questionnaire part follows the round's rules above.
def can_view_reports(user) -> bool:
    return role_of(user) is not None


def can_view_round_report(user, round_) -> bool:
    role = role_of(user)
    if role is None:
        return False
    if is_network_staff(user):
        return True
    if role is Role.OBSERVER:
        return bool(round_.shared)
    return bool(getattr(user, "country_code", None)) and user.country_code in round_.country_codes


def sees_all_free_text(user, round_) -> bool:
    """Every country's free text of the round; otherwise only the user's own country's."""
    return is_network_staff(user) or (bool(round_.shared) and can_view_round_report(user, round_))


def visible_report_rounds(user):
    """select(Round) restricted to the rounds whose report the user may read."""
    from sqlalchemy import false, select

    from questionnaires.models import Round, RoundCountry

    query = select(Round)
    role = role_of(user)
    if is_network_staff(user):
        return query
    if role is Role.OBSERVER:
        return query.where(Round.shared.is_(True))
    if role is None or not getattr(user, "country_code", None):
        return query.where(false())
    mine = select(RoundCountry.round_id).where(RoundCountry.country_code == user.country_code)
    return query.where(Round.id.in_(mine))


def can_view_country_profile(user, country_code: str) -> bool:
    return role_of(user) is not None
