"""Who receives the mail addressed to a country, an agency or the secretariat."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.directory.models import Spoc


def country_heads(session: Session, country_code: str) -> list[str]:
    """The active Heads of SPOC of a country; the SPOC's functional address when it has none."""
    emails = list(session.scalars(select(User.email).where(
        User.role == Role.HEAD_OF_SPOC.value, User.country_code == country_code, User.active.is_(True))
        .order_by(User.email)))
    if not emails:
        spoc = session.get(Spoc, country_code)
        if spoc is not None and spoc.email:
            emails = [spoc.email]
    return emails


def agency_observers(session: Session, agency_code: str) -> list[str]:
    return list(session.scalars(select(User.email).where(
        User.role == Role.OBSERVER.value, User.agency_code == agency_code, User.active.is_(True))
        .order_by(User.email)))


def secretariat(session: Session) -> list[str]:
    return list(session.scalars(select(User.email).where(
        User.role == Role.SECRETARIAT.value, User.active.is_(True)).order_by(User.email)))


def for_invitation(session: Session, invitation) -> list[str]:
    if invitation.country_code:
        return country_heads(session, invitation.country_code)
    return agency_observers(session, invitation.agency_code)


def user_label(user) -> str:
    if user is None:
        return "the portal"
    return f"{user.name or user.email} ({user.scope_label})"
