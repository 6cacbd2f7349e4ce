"""Directory rules: reference data, SPOC contact records, the Presidency calendar."""

from __future__ import annotations

import datetime as dt

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit
from portal.directory.models import Agency, Country, PresidencyTerm, Spoc
from portal.directory.reference import (
    AGENCIES,
    AGENCY_KIND,
    COUNTRIES,
    DIRECTIVE_2023_977_BINDS,
    PRESIDENCIES,
)
from portal.errors import RuleError


class DirectoryError(RuleError):
    """A rule of the directory refused the input (portal/errors.py)."""


def seed_reference_data(session: Session) -> None:
    """Countries, agencies and the Presidency calendar; adds what is missing, changes nothing else."""
    known = set(session.scalars(select(Country.code)))
    for code, iso, name, status in COUNTRIES:
        if code not in known:
            session.add(Country(code=code, iso_code=iso, name=name, status=status,
                                bound_by_2023_977=DIRECTIVE_2023_977_BINDS[code]))
            session.add(Spoc(country_code=code, name=f"SPOC {name}"))
    known_agencies = set(session.scalars(select(Agency.code)))
    for code, name, description in AGENCIES:
        if code not in known_agencies:
            session.add(Agency(code=code, name=name, description=description,
                               kind=AGENCY_KIND.get(code, "eu_agency")))
    session.flush()
    terms = {(t.year, t.half) for t in session.scalars(select(PresidencyTerm))}
    for year, half, cc in PRESIDENCIES:
        if (year, half) not in terms:
            session.add(PresidencyTerm(year=year, half=half, country_code=cc))
    session.flush()


def countries(session: Session) -> list[Country]:
    return list(session.scalars(select(Country).order_by(Country.status, Country.name)))


def agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).order_by(Agency.code)))


def presidency_terms(session: Session) -> list[PresidencyTerm]:
    return list(session.scalars(select(PresidencyTerm).order_by(PresidencyTerm.year, PresidencyTerm.half)))


def presidency_on(session: Session, day: dt.date) -> PresidencyTerm | None:
    half = 1 if day.month <= 6 else 2
    return session.scalar(select(PresidencyTerm).where(PresidencyTerm.year == day.year,
                                                       PresidencyTerm.half == half))


def set_presidency(session: Session, year: int, half: int, country_code: str, actor) -> PresidencyTerm:
    if half not in (1, 2):
        raise DirectoryError("Choose January-June or July-December.", "half")
    if not 2000 <= year <= 2100:
        raise DirectoryError("Enter a year between 2000 and 2100.", "year")
    if session.get(Country, country_code) is None:
        raise DirectoryError("Choose a country of the network.", "country_code")
    term = session.scalar(select(PresidencyTerm).where(PresidencyTerm.year == year, PresidencyTerm.half == half))
    if term is None:
        term = PresidencyTerm(year=year, half=half, country_code=country_code)
        session.add(term)
    else:
        term.country_code = country_code
    audit.record(session, actor=actor, area="directory", action=audit.AuditAction.ADMIN,
                 object_type="presidency", object_id=f"{year}-{half}", details={"country": country_code})
    return term


def normalise_phone(raw: str) -> str:
    raw = raw.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException as exc:
        raise DirectoryError("Enter the number in international form, e.g. +32 2 123 45 67.", "phone_24_7") from exc
    if not phonenumbers.is_possible_number(number):
        raise DirectoryError("This is not a possible phone number.", "phone_24_7")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def update_spoc(session: Session, spoc: Spoc, actor, **values) -> Spoc:
    values["phone_24_7"] = normalise_phone(values.get("phone_24_7", ""))
    email = values.get("email", "").strip()
    if email and ("@" not in email or " " in email):
        raise DirectoryError("Enter a valid functional email address.", "email")
    langs = [x.strip().lower() for x in values.get("languages", "").split(",") if x.strip()]
    if any(len(x) != 2 or not x.isalpha() for x in langs):
        raise DirectoryError("List two-letter language codes separated by commas, e.g. en, fr, nl.", "languages")
    values["languages"] = ", ".join(langs)
    changed = {}
    for key in ("name", "address", "phone_24_7", "email", "languages", "head_name"):
        new = values.get(key, "").strip() if isinstance(values.get(key), str) else values.get(key, "")
        if getattr(spoc, key) != new:
            changed[key] = new
            setattr(spoc, key, new)
    audit.record(session, actor=actor, area="directory", action=audit.AuditAction.ADMIN,
                 object_type="spoc", object_id=spoc.country_code, country_code=spoc.country_code,
                 details={"changed": sorted(changed)})
    return spoc


def set_directive_binding(session: Session, country: Country, actor, bound: bool) -> None:
    """Record whether Directive (EU) 2023/977 binds the country (audit-logged); intake reads it."""
    if bool(country.bound_by_2023_977) == bool(bound):
        return
    country.bound_by_2023_977 = bool(bound)
    audit.record(session, actor=actor, area="directory", action=audit.AuditAction.ADMIN, object_type="country",
                 object_id=country.code, country_code=country.code, details={"bound_by_2023_977": bool(bound)})
    from casemgmt.services.frameworks import forget_bound_countries

    forget_bound_countries()


# the details of a SPOC's record that the directory shows to the network (the seeded name aside)
SPOC_DETAILS = ("address", "phone_24_7", "email", "languages", "head_name")


def missing_spoc_details(session: Session, country_code: str) -> list[str]:
    """The details of SPOC_DETAILS that the country's SPOC record leaves empty."""
    spoc = session.get(Spoc, country_code)
    if spoc is None:
        return list(SPOC_DETAILS)
    return [name for name in SPOC_DETAILS if not str(getattr(spoc, name) or "").strip()]
