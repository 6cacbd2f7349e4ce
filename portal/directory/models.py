"""Countries, agencies, Presidency terms and SPOC contact records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow


class Country(Base):
    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)  # EU style: EL for Greece
    iso_code: Mapped[str] = mapped_column(String(2))  # ISO 3166-1: GR for Greece
    name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))  # eu_member | schengen_associated
    # Does Directive (EU) 2023/977 bind this country? Defaults in portal.directory.reference
    # (DIRECTIVE_2023_977_BINDS, from the Directive's recitals); the secretariat may change it.
    bound_by_2023_977: Mapped[bool] = mapped_column(Boolean, default=True)

    spoc: Mapped[Spoc | None] = relationship(back_populates="country", uselist=False)

    @property
    def status_label(self) -> str:
        from portal.enums import N_, translated

        return translated(N_("EU Member State") if self.status == "eu_member" else N_("Schengen-associated country"))


AGENCY_KINDS = {"eu_agency": "EU agency", "international_organisation": "International organisation"}


class Agency(Base):
    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # eu_agency | international_organisation (INTERPOL is not an EU agency)
    kind: Mapped[str] = mapped_column(String(30), default="eu_agency", server_default="eu_agency")

    @property
    def kind_label(self) -> str:
        return AGENCY_KINDS.get(self.kind, self.kind)


class PresidencyTerm(Base):
    """Which country holds the rotating Council Presidency in a half-year."""

    __tablename__ = "presidency_terms"
    __table_args__ = (UniqueConstraint("year", "half"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    half: Mapped[int]  # 1: January-June, 2: July-December
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))

    country: Mapped[Country] = relationship()

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        from portal.enums import N_, say

        return say("%(half)s %(year)s", half=say(N_("January-June") if self.half == 1 else N_("July-December")),
                   year=self.year)


class Spoc(Base):
    """A country's Single Point of Contact: how to reach it."""

    __tablename__ = "spocs"

    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone_24_7: Mapped[str] = mapped_column(String(40), default="")  # E.164
    email: Mapped[str] = mapped_column(String(254), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")  # comma-separated ISO 639-1
    head_name: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    country: Mapped[Country] = relationship(back_populates="spoc")

    @property
    def language_list(self) -> list[str]:
        return [x for x in (s.strip() for s in self.languages.split(",")) if x]

