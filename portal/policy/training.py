"""Training: core group, trainer pool, activities, nominations, needs, feedback."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.policy.base import is_network_staff, is_own_country, role_of


# The core group (users with the trainer role) and the secretariat manage opportunities, the trainer
# pool and activities; only the secretariat confirms nominations and edits the topic list and quota.
# Heads of SPOC propose opportunities and trainers and nominate staff for their own country only,
# and see only their own country's nominations and proposals. The activity catalogue is open to
# every user; nominations, feedback and certificates are not.
def can_manage_training(user) -> bool:
    return is_network_staff(user) or role_of(user) is Role.TRAINER


def can_view_trainings(user) -> bool:
    return role_of(user) is not None


def can_configure_training(user) -> bool:
    return is_network_staff(user)


def can_view_trainer_pool(user) -> bool:
    return can_manage_training(user) or role_of(user) is Role.HEAD_OF_SPOC


def can_propose_trainer(user) -> bool:
    return can_view_trainer_pool(user)


def can_edit_core_group_member(user, member) -> bool:
    return is_network_staff(user) or (role_of(user) is Role.TRAINER and user.id == member.id)


def can_propose_opportunity(user) -> bool:
    return can_manage_training(user) or (role_of(user) is Role.HEAD_OF_SPOC and bool(user.country_code))


def _sees_country_record(user, country_code: str | None) -> bool:
    """An opportunity or nomination of a country: those who manage training, and that country's Head of SPOC."""
    if can_manage_training(user):
        return True
    return role_of(user) is Role.HEAD_OF_SPOC and is_own_country(user, country_code)


def _visible_country_records(user, model):
    """select(model) (a model with a country_code) restricted to the records _sees_country_record allows."""
    from sqlalchemy import false, select

    query = select(model)
    if can_manage_training(user):
        return query
    if role_of(user) is Role.HEAD_OF_SPOC and user.country_code:
        return query.where(model.country_code == user.country_code)
    return query.where(false())


def can_view_opportunity(user, opportunity) -> bool:
    return _sees_country_record(user, opportunity.country_code)


def visible_opportunities(user):
    """select(Opportunity) restricted to what the user may see."""
    from portal.training.models import Opportunity

    return _visible_country_records(user, Opportunity)


def can_nominate(user, country_code: str | None = None) -> bool:
    """The secretariat for any country; a Head of SPOC for their own."""
    if is_network_staff(user):
        return True
    return role_of(user) is Role.HEAD_OF_SPOC and bool(user.country_code) and (
        country_code is None or is_own_country(user, country_code))


def can_view_nomination(user, nomination) -> bool:
    return _sees_country_record(user, nomination.country_code)


def visible_nominations(user):
    """select(Nomination) restricted to what the user may see: a Head of SPOC only their country's."""
    from portal.training.models import Nomination

    return _visible_country_records(user, Nomination)


def can_see_nominee_contact(user, nomination) -> bool:
    """A nominee's email address: the secretariat (who confirms and writes to them) and their own
    Head of SPOC. The core group's trainers run the activities and record attendance, for which
    names, countries and positions suffice; another country's staff's contact details are not
    theirs to hold (data minimisation, GDPR Art. 5(1)(c))."""
    return is_network_staff(user) or (role_of(user) is Role.HEAD_OF_SPOC
                                      and is_own_country(user, nomination.country_code))


def can_confirm_nominations(user) -> bool:
    return is_network_staff(user)


def can_withdraw_nomination(user, nomination) -> bool:
    return is_network_staff(user) or (role_of(user) is Role.HEAD_OF_SPOC
                                      and is_own_country(user, nomination.country_code))


def can_record_attendance(user) -> bool:
    return can_manage_training(user)


def can_download_certificate(user, nomination) -> bool:
    return is_network_staff(user) or (role_of(user) is Role.HEAD_OF_SPOC
                                      and is_own_country(user, nomination.country_code))


def can_view_training_needs(user) -> bool:
    """The full matrix: network staff and core group; a Head of SPOC sees their own country's row."""
    return can_manage_training(user) or (role_of(user) is Role.HEAD_OF_SPOC and bool(user.country_code))


def training_needs_countries(user) -> set[str] | None:
    """The countries whose needs the user may see (None: all)."""
    return None if can_manage_training(user) else {user.country_code}


def can_view_training_feedback(user) -> bool:
    return can_manage_training(user)


def can_view_training_reports(user) -> bool:
    return can_manage_training(user)


def acting_country(user) -> str | None:
    """The one country a user nominates and proposes trainers for: a Head of SPOC's own. None for
    the secretariat and the core group, who act for any country."""
    return user.country_code if role_of(user) is Role.HEAD_OF_SPOC else None


def is_core_group_member(user) -> bool:
    """The core group is every user with the trainer role."""
    return Role(user.role) is Role.TRAINER


def proposes_as(user) -> str:
    """On whose behalf a user proposes a training opportunity or a trainer: "country" (a Head of
    SPOC, for their own country), "core_group" (a trainer) or "secretariat" (everyone else who may)."""
    role = role_of(user)
    return "country" if role is Role.HEAD_OF_SPOC else "core_group" if role is Role.TRAINER else "secretariat"
