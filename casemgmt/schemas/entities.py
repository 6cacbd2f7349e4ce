"""Persons and objects as intake, the case page and the API take them (issue 21's identifiers too)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from casemgmt.models import (
    DataSubjectCategory,
    EntityKind,
)
from casemgmt.schemas.common import (
    _DOB,
    _EMAIL,
    CountryCode,
    Strict,
    Text,
    _msg,
)
from portal.enums import N_, say


class DocumentFields(Strict):
    type: Annotated[Text, Field(max_length=40)] = ""
    number: Annotated[Text, Field(min_length=1, max_length=80)]
    country: CountryCode | None = None


def parse_date_of_birth(value: str | None) -> tuple[dt.date | None, str | None]:
    """'1980-04-03' (day), '1980-04' (month) or '1980' (year) -> (date, precision)."""
    if value is None or value == "":
        return None, None
    if not _DOB.match(value):
        raise ValueError(N_("use YYYY-MM-DD, YYYY-MM or YYYY"))
    parts = [int(p) for p in value.split("-")]
    precision = {1: "year", 2: "month", 3: "day"}[len(parts)]
    try:
        day = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise ValueError(N_("this date does not exist")) from None
    if day.year < 1880 or day > dt.date.today():
        raise ValueError(N_("the date of birth is not plausible"))
    return day, precision


class PersonFields(Strict):
    """What is recorded of a person, at intake and when the person is edited later."""

    surname: Annotated[Text, Field(min_length=1, max_length=200)]
    given_names: Annotated[Text, Field(max_length=200)] = ""
    date_of_birth: str | None = Field(default=None, description="YYYY-MM-DD, or YYYY-MM / YYYY when only "
                                                                "the month or year is known")
    nationality: CountryCode | None = None
    category: DataSubjectCategory = DataSubjectCategory.UNKNOWN
    assessment: bool = Field(default=False, description="true when this is an assessment, not a fact")

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, value):
        parse_date_of_birth(value)
        return value or None


class PersonIn(PersonFields):
    kind: Literal["person"]
    documents: Annotated[list[DocumentFields], Field(max_length=20)] = []


class DocumentIn(DocumentFields):
    kind: Literal["document"]


class VehicleIn(Strict):
    kind: Literal["vehicle"]
    plate: Annotated[Text, Field(max_length=30)] = ""
    country: CountryCode | None = None
    vin: Annotated[Text, Field(max_length=30)] = ""

    @model_validator(mode="after")
    def _plate_or_vin(self):
        if not self.plate and not self.vin:
            raise ValueError(N_("a vehicle needs a plate or a VIN"))
        return self


class PhoneIn(Strict):
    kind: Literal["phone"]
    number: Annotated[Text, Field(min_length=3, max_length=40, pattern=r"^\+?[0-9 ()./-]+$")]


class EmailIn(Strict):
    kind: Literal["email"]
    address: Annotated[Text, Field(min_length=3, max_length=254)]

    @field_validator("address")
    @classmethod
    def _address(cls, value):
        if not _EMAIL.match(value):
            raise ValueError(N_("not an email address"))
        return value


class CompanyIn(Strict):
    kind: Literal["company"]
    name: Annotated[Text, Field(min_length=1, max_length=200)]
    country: CountryCode | None = None


def _checked(fn, *args):
    """A cross-check normaliser (casemgmt/crosscheck/identifiers.py) as a field check: its message
    names what is wrong; the normalised value is what is stored."""
    from casemgmt.crosscheck.normalise import NormalisationError

    try:
        return fn(*args)
    except NormalisationError as exc:
        raise ValueError(exc.in_reader_language()) from None


class AddressIn(Strict):
    """A postal address; compared by country, postcode, street and number."""

    kind: Literal["address"]
    country: CountryCode
    postcode: Annotated[Text, Field(min_length=1, max_length=20)]
    city: Annotated[Text, Field(max_length=120)] = ""
    street: Annotated[Text, Field(min_length=1, max_length=200)]
    number: Annotated[Text, Field(max_length=20)] = ""

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value):
        if not re.fullmatch(r"[A-Za-z0-9 -]{2,20}", value) or len(re.sub(r"[ -]", "", value)) < 2:
            raise ValueError(N_("not a postcode (letters, digits, spaces)"))
        return value

    @field_validator("street")
    @classmethod
    def _street(cls, value):
        from casemgmt.crosscheck.identifiers import normalise_street

        if not normalise_street(value):
            raise ValueError(N_("give the street's name"))
        return value


class BankAccountIn(Strict):
    """A bank account: the IBAN (its check digits are verified), the BIC, the holder as named."""

    kind: Literal["bank_account"]
    iban: Annotated[Text, Field(min_length=1, max_length=50)]
    bic: Annotated[Text, Field(max_length=20)] = ""
    holder: Annotated[Text, Field(max_length=200)] = ""

    @field_validator("iban")
    @classmethod
    def _iban(cls, value):
        from casemgmt.crosscheck.identifiers import normalise_iban

        return _checked(normalise_iban, value)

    @field_validator("bic")
    @classmethod
    def _bic(cls, value):
        from casemgmt.crosscheck.identifiers import normalise_bic

        return _checked(normalise_bic, value) if value else ""


class IpAddressIn(Strict):
    kind: Literal["ip_address"]
    address: Annotated[Text, Field(min_length=1, max_length=60, description="IPv4 or IPv6")]

    @field_validator("address")
    @classmethod
    def _address(cls, value):
        from casemgmt.crosscheck.identifiers import normalise_ip

        return _checked(normalise_ip, value)


class CryptoAddressIn(Strict):
    kind: Literal["crypto_address"]
    currency: Annotated[Text, Field(max_length=10, description="BTC, ETH (told by the format when left out) "
                                                               "or another currency's code (not checked)")] = ""
    address: Annotated[Text, Field(min_length=1, max_length=130)]

    @field_validator("address")
    @classmethod
    def _address(cls, value, info: ValidationInfo):
        from casemgmt.crosscheck.identifiers import normalise_crypto

        return _checked(normalise_crypto, value, info.data.get("currency", ""))

    @model_validator(mode="after")
    def _currency(self):
        # the address comes back as CURRENCY:address (the currency told by the format when not given)
        currency, _, address = self.address.partition(":")
        self.currency, self.address = currency, address
        return self


class HandleIn(Strict):
    """An account on a social network or messenger (platform and handle)."""

    kind: Literal["handle"]
    platform: Annotated[Text, Field(min_length=1, max_length=30, description="e.g. telegram, x, instagram, "
                                                                             "whatsapp, signal")]
    handle: Annotated[Text, Field(min_length=1, max_length=200)]

    @field_validator("platform")
    @classmethod
    def _platform(cls, value):
        from casemgmt.crosscheck.identifiers import normalise_platform

        return _checked(normalise_platform, value)

    @field_validator("handle")
    @classmethod
    def _handle(cls, value, info: ValidationInfo):
        from casemgmt.crosscheck.identifiers import normalise_handle

        platform = info.data.get("platform")
        if platform is None:
            return value  # the platform's own error is reported
        return _checked(normalise_handle, platform, value).partition(":")[2]


ENTITY_KINDS = frozenset(k.value for k in EntityKind)  # the union's tags
ENTITY_IN = (PersonIn, DocumentIn, VehicleIn, PhoneIn, EmailIn, CompanyIn, AddressIn, BankAccountIn, IpAddressIn,
             CryptoAddressIn, HandleIn)
Entity = Annotated[PersonIn | DocumentIn | VehicleIn | PhoneIn | EmailIn | CompanyIn | AddressIn | BankAccountIn
                   | IpAddressIn | CryptoAddressIn | HandleIn, Field(discriminator="kind")]


ENTITY_ADAPTER = TypeAdapter(Entity)


def _errors(exc: ValidationError, drop_tag: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in exc.errors():
        parts = [str(p) for p in e["loc"]]
        if drop_tag and parts and parts[0] in ENTITY_KINDS:
            del parts[0]
        out.setdefault(".".join(parts) or "body", _msg(e))
    return out


def validate_entity(data: object) -> tuple[object | None, dict[str, str]]:
    """One entity added to a case after intake, checked as the intake checks it: (entity, {}) or
    (None, {field: message}), a rule across fields (a vehicle's plate or VIN) under "body"."""
    if not isinstance(data, dict):
        return None, {"body": say("The entity must be a JSON object.")}
    try:
        return ENTITY_ADAPTER.validate_python(data), {}
    except ValidationError as exc:
        return None, _errors(exc, drop_tag=True)


def validate_person(data: object) -> tuple[PersonFields | None, dict[str, str]]:
    """A person's recorded fields as edited (the same rules as at intake)."""
    if not isinstance(data, dict):
        return None, {"body": say("The person must be a JSON object.")}
    try:
        return PersonFields.model_validate(data), {}
    except ValidationError as exc:
        return None, _errors(exc, drop_tag=False)
