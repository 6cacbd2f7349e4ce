"""The SPOC records as the directory shows them to every user of the network: one per country, in the
directory's order (EU Member States, then the Schengen associated countries, each by name). The API and
`spoc directory` read them here, so they give what the pages show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.directory.models import Country

FIELDS = ("country", "iso_code", "country_name", "name", "address", "phone_24_7", "email", "languages",
          "head_name", "bound_by_2023_977", "updated_at")


@dataclass(frozen=True)
class SpocRecord:
    country: str
    iso_code: str
    country_name: str
    name: str
    address: str
    phone_24_7: str  # E.164, as stored
    email: str
    languages: list[str]  # ISO 639-1 codes
    head_name: str
    bound_by_2023_977: bool
    updated_at: dt.datetime | None


def _record(country: Country) -> SpocRecord:
    spoc = country.spoc
    return SpocRecord(country=country.code, iso_code=country.iso_code, country_name=country.name,
                      name=spoc.name if spoc else "", address=spoc.address if spoc else "",
                      phone_24_7=spoc.phone_24_7 if spoc else "", email=spoc.email if spoc else "",
                      languages=spoc.language_list if spoc else [], head_name=spoc.head_name if spoc else "",
                      bound_by_2023_977=country.bound_by_2023_977, updated_at=spoc.updated_at if spoc else None)


def spoc_records(session: Session) -> list[SpocRecord]:
    """Every country's SPOC record, in the directory's order."""
    countries = session.scalars(select(Country).options(selectinload(Country.spoc))
                                .order_by(Country.status, Country.name))
    return [_record(c) for c in countries]


def spoc_record(session: Session, code: str) -> SpocRecord | None:
    """The SPOC record of the country `code` (EU style, any case), or None for an unknown country."""
    country = session.get(Country, (code or "").upper())
    return _record(country) if country is not None else None
