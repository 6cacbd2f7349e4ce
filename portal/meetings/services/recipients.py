"""Who receives the mail addressed to a country, an agency or the secretariat."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import policy
from portal.accounts.models import User
from portal.directory.models import Spoc


def country_heads(session: Session, country_code: str) -> list[str]:
    """The active Heads of SPOC of a country; the SPOC's functional address when it has none."""
    emails = list(session.scalars(select(User.email).where(policy.heads_of_spoc_of(country_code))
                                  .order_by(User.email)))
    if not emails:
        spoc = session.get(Spoc, country_code)
        if spoc is not None and spoc.email:
            emails = [spoc.email]
    return emails


def agency_observers(session: Session, agency_code: str) -> list[str]:
    return list(session.scalars(select(User.email).where(policy.observers_of(agency_code)).order_by(User.email)))


def secretariat(session: Session) -> list[str]:
    return list(session.scalars(select(User.email).where(policy.secretariat_staff()).order_by(User.email)))


def for_invitation(session: Session, invitation) -> list[str]:
    if invitation.country_code:
        return country_heads(session, invitation.country_code)
    return agency_observers(session, invitation.agency_code)


def user_label(user) -> str:
    if user is None:
        return "the portal"
    return f"{user.name or user.email} ({user.scope_label})"
