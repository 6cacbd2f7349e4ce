"""The legal framework and the counterpart of an exchange, and the time limits the law sets.

Directive (EU) 2023/977 governs exchanges between the SPOCs and law-enforcement authorities of the
Member States it binds (Art. 1, Art. 2(1)); SIRENE work (SIS rules), INTERPOL and third countries,
Europol (Europol Regulation), Prüm, mutual legal assistance and exchanges with the SPOC's own
authorities are outside it: no Art. 5 clock, no Art. 13 channel rule, no place in Art. 18.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.models import CounterpartKind, LegalFramework
from casemgmt.services import CaseError
from portal.directory.reference import (
    COUNTRY_CODES,
    COUNTRY_NAMES,
    DIRECTIVE_2023_977_BINDS,
    country_names,
)
from portal.directory.reference import country_name as _country_name

K, F = CounterpartKind, LegalFramework

# EU agencies and bodies a SPOC exchanges with (a name, no country)
AGENCIES = ("EUROPOL", "EUROJUST", "FRONTEX", "EU-LISA", "CEPOL", "OLAF", "EPPO")
INTERNATIONAL_ORGANISATIONS = ("INTERPOL",)

# Art. 5(1): the time limits, in calendar hours from receipt, that a SPOC may not lengthen
LEGAL_LIMIT_HOURS = {
    "limit_urgent_direct_hours": 8,  # Art. 5(1)(a): urgent, directly accessible information
    "limit_urgent_indirect_hours": 72,  # Art. 5(1)(b): urgent, indirectly accessible (3 calendar days)
    "limit_other_hours": 168,  # Art. 5(1)(c): all other requests (7 calendar days)
}

# Art. 6(3): only a request for clarification suspends the time limits, until the clarification
PAUSING_STATES = ("awaiting_clarification",)


def country_name(code: str | None) -> str:
    """A country's name in the reader's language from its EU (EL) or ISO 3166-1 code; the code when unknown
    (portal.directory.reference.country_name, then pycountry's English name for a code Babel lacks)."""
    if not code:
        return ""
    name = _country_name(code)
    if name == code and code not in COUNTRY_NAMES:
        found = pycountry.countries.get(alpha_2=code)
        return found.name if found else code
    return name


def is_iso_country(code: str) -> bool:
    return code == "EL" or pycountry.countries.get(alpha_2=code) is not None


def iso_choices() -> list[tuple[str, str]]:
    """(code, name) of every ISO 3166-1 country outside the network, by name: a form's list."""
    network = set(COUNTRY_CODES) | {"GR"}
    return country_names([c.alpha_2 for c in pycountry.countries if c.alpha_2 not in network])


@dataclass(frozen=True)
class Counterpart:
    kind: str
    country: str | None = None
    name: str = ""

    def as_dict(self) -> dict:
        out: dict = {"kind": self.kind}
        if self.country:
            out["country"] = self.country
        if self.name:
            out["name"] = self.name
        return out

    @property
    def label(self) -> str:
        if self.kind in (K.MEMBER_STATE, K.THIRD_COUNTRY):
            return country_name(self.country)
        return self.name or K(self.kind).label


def check_counterpart(kind: str, country: str | None, name: str, field: str = "counterpart") -> Counterpart:
    """A typed counterpart, its country checked against the ISO list (`field`.country / .name on error)."""
    country = (country or "").strip().upper() or None
    name = (name or "").strip()
    if kind in (K.MEMBER_STATE, K.THIRD_COUNTRY):
        if not country:
            raise CaseError("Choose the country.", f"{field}.country")
        if kind == K.MEMBER_STATE and country not in COUNTRY_CODES:
            if country == "GR":
                raise CaseError("Greece is EL in the network; choose the country from the list.", f"{field}.country")
            raise CaseError("%(country)s is not a Member State of the network; choose one from the list.",
                            f"{field}.country", country=country)
        if kind == K.THIRD_COUNTRY:
            if not is_iso_country(country):
                raise CaseError("%(country)s is not an ISO 3166-1 country code; choose the country from the list.",
                                f"{field}.country", country=country)
            if country in COUNTRY_CODES or country == "GR":
                raise CaseError("%(country)s is a Member State of the network, not a third country.",
                                f"{field}.kind", country=country_name(country))
        return Counterpart(kind, country, "")
    if kind == K.AGENCY:
        name = name.upper()
        if name not in AGENCIES:
            raise CaseError("Choose the agency: %(agencies)s.", f"{field}.name", agencies=", ".join(AGENCIES))
        return Counterpart(kind, None, name)
    if kind == K.INTERNATIONAL_ORGANISATION:
        name = name.upper()
        if name not in INTERNATIONAL_ORGANISATIONS:
            raise CaseError("Choose the organisation: INTERPOL.", f"{field}.name")
        return Counterpart(kind, None, name)
    if kind in (K.NATIONAL_AUTHORITY, K.DESIGNATED_AUTHORITY):
        return Counterpart(kind, None, name[:200])
    raise CaseError("Choose the kind of counterpart.", f"{field}.kind")


def from_legacy(own_country: str, country: str | None, counterpart_type: str) -> Counterpart:
    """`counterpart_country` + `counterpart_type` of the first API version, as a typed counterpart."""
    country = (country or "").strip().upper() or None
    if counterpart_type == "europol":
        return Counterpart(K.AGENCY, None, "EUROPOL")
    if country and not is_iso_country(country):
        raise CaseError("%(country)s is not an ISO 3166-1 country code; choose the country from the list.",
                        "counterpart_country", country=country)
    if country == own_country and counterpart_type in ("competent_authority", "designated_authority", "other"):
        kind = K.DESIGNATED_AUTHORITY if counterpart_type == "designated_authority" else K.NATIONAL_AUTHORITY
        return Counterpart(kind, None, "")
    if country in COUNTRY_CODES:
        return Counterpart(K.MEMBER_STATE, country, "")
    if country == "GR":
        return Counterpart(K.MEMBER_STATE, "EL", "")
    if country:
        return Counterpart(K.THIRD_COUNTRY, country, "")
    raise CaseError("Name the counterpart.", "counterpart")


_COUNTRIES = None
_BOUND_CACHE: dict[str, tuple[float, dict[str, bool]]] = {}
BOUND_CACHE_SECONDS = 30  # the directory field changes a few times in a decade; intake reads it many times a second


def bound_countries(session: Session) -> dict[str, bool]:
    """Whom Directive (EU) 2023/977 binds, from the directory (defaults: portal.directory.reference);
    read at most every BOUND_CACHE_SECONDS per database and process."""
    global _COUNTRIES
    import time

    from portal.directory.models import Country

    key = str(session.get_bind().url)
    cached = _BOUND_CACHE.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[0] < BOUND_CACHE_SECONDS:
        return cached[1]
    if _COUNTRIES is None:
        _COUNTRIES = select(Country.__table__.c.code, Country.__table__.c.bound_by_2023_977)
    known = dict(session.connection().execute(_COUNTRIES).all())
    value = {code: bool(known.get(code, DIRECTIVE_2023_977_BINDS.get(code, False))) for code in COUNTRY_CODES}
    _BOUND_CACHE[key] = (now, value)
    return value


def forget_bound_countries() -> None:
    """After the directory's field changed (and in tests)."""
    _BOUND_CACHE.clear()


def default_framework(channel: str, counterpart: Counterpart, own_country: str, bound: dict[str, bool]) -> str:
    """The framework an exchange has unless the officer names another (issue 16, point 2)."""
    if channel == "SIRENE":
        return F.SIS_SIRENE.value
    if counterpart.kind == K.AGENCY and counterpart.name == "EUROPOL":
        return F.EUROPOL_REGULATION.value
    if channel == "INTERPOL" or counterpart.kind == K.INTERNATIONAL_ORGANISATION:
        return F.INTERPOL.value
    if channel == "NATIONAL" or counterpart.kind in (K.NATIONAL_AUTHORITY, K.DESIGNATED_AUTHORITY):
        return F.NATIONAL.value
    if counterpart.kind == K.MEMBER_STATE and bound.get(counterpart.country) and bound.get(own_country):
        return F.DIRECTIVE_2023_977.value
    return F.OTHER_AGREEMENT.value


def check_framework(framework: str, counterpart: Counterpart, own_country: str, bound: dict[str, bool]) -> str:
    """An exchange under 2023/977 is one with a Member State the Directive binds (Art. 1, Art. 2)."""
    if framework != F.DIRECTIVE_2023_977:
        return framework
    if counterpart.kind != K.MEMBER_STATE:
        raise CaseError("Directive (EU) 2023/977 governs exchanges with the SPOCs and law-enforcement authorities of "
                        "other Member States, not with this counterpart (%(kind)s); choose another legal framework.",
                        "legal_framework", kind=K(counterpart.kind).label)
    if counterpart.country == own_country:
        raise CaseError("An exchange with your own country's authorities is national, not under Directive (EU) "
                        "2023/977.", "legal_framework")
    for code in (counterpart.country, own_country):
        if not bound.get(code):
            raise CaseError("Directive (EU) 2023/977 does not bind %(country)s (see its recitals); choose another "
                            "legal framework.", "legal_framework", country=country_name(code))
    return framework


def legal_limit_hours(urgent: bool, information_access: str | None) -> int:
    """Art. 5(1)(a)-(c): 8 hours, 3 calendar days or 7 calendar days from receipt."""
    if urgent and information_access == "direct":
        return LEGAL_LIMIT_HOURS["limit_urgent_direct_hours"]
    if urgent:
        return LEGAL_LIMIT_HOURS["limit_urgent_indirect_hours"]
    return LEGAL_LIMIT_HOURS["limit_other_hours"]


def target_hours(urgent: bool, information_access: str | None, settings: dict) -> int:
    """The SPOC's internal target (never above the legal limit: casemgmt.services.settings refuses it)."""
    if urgent and information_access == "direct":
        key = "limit_urgent_direct_hours"
    elif urgent:
        key = "limit_urgent_indirect_hours"
    else:
        key = "limit_other_hours"
    return min(int(settings.get(key, LEGAL_LIMIT_HOURS[key])), LEGAL_LIMIT_HOURS[key])


def has_legal_clock(framework: str, type_: str) -> bool:
    """Art. 5(1) times requests under the Directive (incoming ones for the SPOC, outgoing ones for the
    partner); own-initiative information and copies need no reply (Art. 7)."""
    return framework == F.DIRECTIVE_2023_977 and type_ == "request"


def clock_for(framework: str, type_: str, received_at: dt.datetime, urgent: bool, information_access: str | None,
              settings: dict) -> tuple[int | None, dt.datetime | None, dt.datetime | None]:
    """(legal limit in hours, legal deadline, internal target) of a new exchange; Nones without a clock."""
    if not has_legal_clock(framework, type_):
        return None, None, None
    limit = legal_limit_hours(urgent, information_access)
    target = target_hours(urgent, information_access, settings)
    due = received_at + dt.timedelta(hours=limit)
    return limit, due, (received_at + dt.timedelta(hours=target) if target < limit else None)
