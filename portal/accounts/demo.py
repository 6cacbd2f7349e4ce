"""Demo users: an administrator, the secretariat, every country role in the demo countries, an observer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.accounts import services as accounts
from portal.accounts.models import Role
from portal.directory.demo_people import DEMO_USERS, NETWORK_USERS

DEMO_COUNTRIES = ("BE", "NL")
COUNTRY_ROLES = (Role.RESPONDENT, Role.OFFICER, Role.SUPERVISOR, Role.HEAD_OF_SPOC, Role.DPO, Role.TRAINER)
_PREFIX = {Role.HEAD_OF_SPOC: "head"}


def demo_emails() -> list[tuple[str, Role, str | None, str | None]]:
    rows = [("admin@demo.invalid", Role.ADMIN, None, None),
            ("secretariat@demo.invalid", Role.SECRETARIAT, None, None)]
    for cc in DEMO_COUNTRIES:
        for role in COUNTRY_ROLES:
            rows.append((f"{_PREFIX.get(role, role.value)}.{cc.lower()}@demo.invalid", role, cc, None))
    rows.append(("observer.europol@demo.invalid", Role.OBSERVER, None, "EUROPOL"))
    return rows


def load_demo_users(session: Session, password: str) -> dict:
    """Create the demo users that are missing and give every one `password`; {email: User}."""
    users = {}
    for email, role, cc, agency in demo_emails():
        user = accounts.find_user(session, email)
        if user is None:
            name, language = DEMO_USERS.get((cc, role.value)) or NETWORK_USERS.get(role.value) or \
                (email.split("@")[0].replace(".", " ").title(), "en")
            user = accounts.create_user(session, email=email, role=role, country_code=cc, agency_code=agency,
                                        name=name, password=password, min_length=8)
            user.language = language  # what each reads the portal in: a Belgian officer French, a Dutch one Dutch
        else:
            user.password_hash = accounts.hash_password(password)
        users[email] = user
    return users


def demo_logins() -> list[tuple[str, str]]:
    """[(email, role label)] of the demo users."""
    return [(email, role.label) for email, role, _, _ in demo_emails()]
