"""Entities named in a case's messages: persons, documents, vehicles, phones, emails, companies,
postal addresses, bank accounts, IP addresses, crypto-currency addresses and handles.

Each row keeps `raw`, the entity exactly as received (an entity added or edited later keeps what
was first entered); the cross-check (casemgmt.crosscheck) adds its own normalised columns and tables.
Any entity's data may be flagged inaccurate or out of date (Directive 2016/680 Art. 7(2)): flagged
data stay in the folder, marked, and are never passed on. Erasure deletes these rows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.enums import say


class EntityColumns:
    """Columns every entity table has: its case, the message that named it, the country, the raw data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("case_messages.id"), index=True)
    country_code: Mapped[str] = mapped_column(String(2))  # not indexed: entities are read by case
    raw: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    flagged_inaccurate: Mapped[bool] = mapped_column(Boolean, default=False)  # never passed on
    flag_reason: Mapped[str] = mapped_column(Text, default="")
    flagged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    kind = ""

    @property
    def label(self) -> str:
        """How the entity is named in lists; each kind says it better."""
        return f"{self.kind} #{self.id}"

    @property
    def stored_label(self) -> str:
        """The label as the cross-check's index and its hits keep it, for officers of every language
        to read later: the same text whoever wrote the entity, in English where a kind's label has a
        word (a person's "born"), as the reference lists' subjects (crosscheck/reference.py)."""
        return self.label


class Person(EntityColumns, Base):
    __tablename__ = "case_persons"
    kind = "person"

    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    date_of_birth_precision: Mapped[str | None] = mapped_column(String(5))  # day | month | year
    nationality: Mapped[str | None] = mapped_column(String(2))
    category: Mapped[str] = mapped_column(String(30), default="unknown")  # data-subject category
    assessment: Mapped[bool] = mapped_column(Boolean, default=False)  # an assessment, not a fact

    documents = relationship("Document", back_populates="person", order_by="Document.id")

    @property
    def date_of_birth_text(self) -> str:
        d = self.date_of_birth
        if d is None:
            return ""
        return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}"}.get(
            self.date_of_birth_precision or "day", d.isoformat())

    def _label(self, born) -> str:
        parts = [f"{self.surname.upper()}, {self.given_names}".strip(", ")]
        if self.date_of_birth:
            parts.append(born(self.date_of_birth_text))  # ISO: a date may be known to the year
        if self.nationality:
            parts.append(self.nationality)
        return " · ".join(parts)

    @property
    def label(self) -> str:
        return self._label(lambda date: say("born %(date)s", date=date))

    @property
    def stored_label(self) -> str:
        return self._label(lambda date: f"born {date}")


class Document(EntityColumns, Base):
    __tablename__ = "case_documents"
    kind = "document"

    person_id: Mapped[int | None] = mapped_column(ForeignKey("case_persons.id"))
    type: Mapped[str] = mapped_column(String(40), default="")  # passport, id_card, driving_licence…
    number: Mapped[str] = mapped_column(String(80))
    country: Mapped[str | None] = mapped_column(String(2))

    person = relationship("Person", back_populates="documents")

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.type, self.number, f"({self.country})" if self.country else "") if x)


class Vehicle(EntityColumns, Base):
    __tablename__ = "case_vehicles"
    kind = "vehicle"

    plate: Mapped[str] = mapped_column(String(30), default="")
    country: Mapped[str | None] = mapped_column(String(2))
    vin: Mapped[str] = mapped_column(String(30), default="")

    @property
    def label(self) -> str:
        text = " ".join(x for x in (self.plate, f"({self.country})" if self.country else "") if x)
        return text + (f" VIN {self.vin}" if self.vin else "")


class Phone(EntityColumns, Base):
    __tablename__ = "case_phones"
    kind = "phone"

    number: Mapped[str] = mapped_column(String(40))

    @property
    def label(self) -> str:
        return self.number


class Email(EntityColumns, Base):
    __tablename__ = "case_emails"
    kind = "email"

    address: Mapped[str] = mapped_column(String(254))

    @property
    def label(self) -> str:
        return self.address


class Company(EntityColumns, Base):
    __tablename__ = "case_companies"
    kind = "company"

    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))

    @property
    def label(self) -> str:
        return self.name + (f" ({self.country})" if self.country else "")


class Address(EntityColumns, Base):
    """A postal address; the cross-check compares country, postcode, street and number."""

    __tablename__ = "case_addresses"
    kind = "address"

    country: Mapped[str] = mapped_column(String(2))
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[str] = mapped_column(String(20), default="")

    @property
    def label(self) -> str:
        first = " ".join(x for x in (self.street, self.number) if x)
        second = " ".join(x for x in (self.postcode, self.city) if x)
        return ", ".join(x for x in (first, second) if x) + f" ({self.country})"


class BankAccount(EntityColumns, Base):
    """A bank account: its IBAN (check digits verified at intake), the bank's BIC, the holder named."""

    __tablename__ = "case_bank_accounts"
    kind = "bank_account"

    iban: Mapped[str] = mapped_column(String(34))  # compact, capitals
    bic: Mapped[str] = mapped_column(String(11), default="")
    holder: Mapped[str] = mapped_column(String(200), default="")

    @property
    def label(self) -> str:
        from stdnum import iban

        return " · ".join(x for x in (f"IBAN {iban.format(self.iban)}", f"BIC {self.bic}" if self.bic else "",
                                      self.holder) if x)


class IpAddress(EntityColumns, Base):
    __tablename__ = "case_ip_addresses"
    kind = "ip_address"

    address: Mapped[str] = mapped_column(String(45))  # compressed form (ipaddress)

    @property
    def label(self) -> str:
        return f"IP {self.address}"


class CryptoAddress(EntityColumns, Base):
    __tablename__ = "case_crypto_addresses"
    kind = "crypto_address"

    currency: Mapped[str] = mapped_column(String(10))  # BTC, ETH, or another currency's code
    address: Mapped[str] = mapped_column(String(130))

    @property
    def label(self) -> str:
        return f"{self.currency} {self.address}"


class Handle(EntityColumns, Base):
    """An account on a social network or messenger: platform and handle."""

    __tablename__ = "case_handles"
    kind = "handle"

    platform: Mapped[str] = mapped_column(String(30))
    handle: Mapped[str] = mapped_column(String(120))

    @property
    def label(self) -> str:
        from casemgmt.crosscheck.identifiers import PLATFORMS

        at = "" if self.handle.startswith("+") else "@"
        return f"{PLATFORMS.get(self.platform, self.platform)} {at}{self.handle}"


ENTITY_MODELS = (Person, Document, Vehicle, Phone, Email, Company, Address, BankAccount, IpAddress, CryptoAddress,
                 Handle)
ENTITY_KINDS = {model.kind: model for model in ENTITY_MODELS}
