"""Demo data: `spoc demo` loads users and every domain's demo content (idempotently)."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from portal.accounts import services as accounts
from portal.accounts.models import Role
from portal.directory.models import Spoc
from portal.registry import registry

DEMO_COUNTRIES = ("BE", "NL")
COUNTRY_ROLES = (Role.RESPONDENT, Role.OFFICER, Role.SUPERVISOR, Role.HEAD_OF_SPOC, Role.DPO, Role.TRAINER)
_PREFIX = {Role.HEAD_OF_SPOC: "head"}

SPOC_RECORDS = {
    "BE": dict(name="Federal Police – Directorate of International Police Cooperation (CGI)",
               address="Rue Fritz Toussaint 8\n1050 Brussels\nBelgium", phone_24_7="+3226426380",
               email="spoc@police.demo.invalid", languages="nl, fr, de, en", head_name="Anne Dubois"),
    "NL": dict(name="National Police – International Operations Team (LIRC)",
               address="Postbus 100\n3970 AC Driebergen\nNetherlands", phone_24_7="+31343535000",
               email="spoc@politie.demo.invalid", languages="nl, en, de", head_name="Pieter de Vries"),
    "DE": dict(name="Bundeskriminalamt – SPOC", address="65173 Wiesbaden\nGermany", phone_24_7="+49611550",
               email="spoc@bka.demo.invalid", languages="de, en", head_name="Jürgen Schmidt"),
    "FR": dict(name="SCCOPOL – Section centrale de coopération opérationnelle de police",
               address="Nanterre\nFrance", phone_24_7="+33140972000", email="spoc@interieur.demo.invalid",
               languages="fr, en", head_name="Claire Martin"),
    "LT": dict(name="Lithuanian Criminal Police Bureau – International Liaison Office",
               address="Vilnius\nLithuania", phone_24_7="+37052719900", email="spoc@policija.demo.invalid",
               languages="lt, en, ru", head_name="Tomas Kazlauskas"),
}


def demo_emails() -> list[tuple[str, Role, str | None, str | None]]:
    rows = [("admin@demo.invalid", Role.ADMIN, None, None),
            ("secretariat@demo.invalid", Role.SECRETARIAT, None, None)]
    for cc in DEMO_COUNTRIES:
        for role in COUNTRY_ROLES:
            rows.append((f"{_PREFIX.get(role, role.value)}.{cc.lower()}@demo.invalid", role, cc, None))
    rows.append(("observer.europol@demo.invalid", Role.OBSERVER, None, "EUROPOL"))
    return rows


def load_demo(session: Session, password: str | None, app=None) -> tuple[str, list[tuple[str, str]]]:
    """Create what is missing, then every domain's demo content (the loaders in `app`'s registry,
    default: the current app's); (the password, [(email, role label)])."""
    password = password or secrets.token_urlsafe(12)
    users = {}
    for email, role, cc, agency in demo_emails():
        user = accounts.find_user(session, email)
        if user is None:
            name = email.split("@")[0].replace(".", " ").title()
            user = accounts.create_user(session, email=email, role=role, country_code=cc, agency_code=agency,
                                        name=name, password=password, min_length=8)
        else:
            user.password_hash = accounts.hash_password(password)
        users[email] = user
    for cc, values in SPOC_RECORDS.items():
        spoc = session.get(Spoc, cc)
        if spoc is not None and not spoc.email:
            for key, value in values.items():
                setattr(spoc, key, value)
    session.flush()
    for loader in registry(app).demo_loaders:
        loader(session, users)
        session.flush()
    return password, [(email, role.label) for email, role, _, _ in demo_emails()]
