"""Reports: which rounds' reports, league tables, free text and country profiles a user reads."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.policy.base import is_network_staff, role_of


# Network staff read every report of every round, with its league tables. A Member State user of a country
# invited to a round reads its network view: aggregate and factual tables, and their own country's maturity
# index and position; league tables and ranks only where the secretariat turned them on for the round.
# Observers (EU agencies, international organisations) read a round's report only once it is released to
# them (Round.shared). Another country's own words (free text, SWOT, process descriptions, file names) are
# read only where that country agreed, per response, when it submitted (Response.share_free_text); by
# observers only in a released round. Country profiles: Member State users and the secretariat; observers
# when the profile's round is released to them.
def can_view_reports(user) -> bool:
    return role_of(user) is not None


def is_member_state_user(user) -> bool:
    role = role_of(user)
    return role is not None and role is not Role.OBSERVER and bool(getattr(user, "country_code", None))


def can_view_round_report(user, round_) -> bool:
    role = role_of(user)
    if role is None:
        return False
    if is_network_staff(user):
        return True
    if role is Role.OBSERVER:
        return bool(round_.shared)
    return bool(getattr(user, "country_code", None)) and user.country_code in round_.country_codes


def sees_league_tables(user, round_) -> bool:
    """League tables and ranks: the secretariat always; everyone else where turned on for the round."""
    return is_network_staff(user) or bool(round_.league_tables)


def can_set_league_tables(user) -> bool:
    return is_network_staff(user)


def free_text_countries(user, round_, consenting) -> frozenset[str] | None:
    """The countries whose own words `user` reads in the round's report; None: every country's.

    `consenting`: the countries that agreed, when submitting, to share them, or a function giving them,
    called only when the answer depends on them (a query the network's staff do not wait for)."""
    if is_network_staff(user):
        return None
    if role_of(user) is Role.OBSERVER and not round_.shared:
        return frozenset()
    if callable(consenting):
        consenting = consenting()
    if role_of(user) is Role.OBSERVER:
        return frozenset(consenting)
    own = {user.country_code} if getattr(user, "country_code", None) else set()
    return frozenset(set(consenting) | own)


def sees_free_text_of(user, round_, country_code: str, consented: bool) -> bool:
    """One country's own words in one round (a country profile)."""
    found = free_text_countries(user, round_, {country_code} if consented else set())
    return found is None or country_code in found


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


def can_view_country_profiles(user) -> bool:
    """The list of country profiles: Member State users, the secretariat, observers (who open only released ones)."""
    return role_of(user) is not None


def can_view_country_profile(user, country_code: str, latest_round=None) -> bool:
    """Member State users and the secretariat; an observer when the profile's round is released to observers."""
    if is_network_staff(user) or is_member_state_user(user):
        return True
    return role_of(user) is Role.OBSERVER and latest_round is not None and bool(latest_round.shared)
