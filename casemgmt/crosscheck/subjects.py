"""A case's entity as the matcher reads it (keys.Subject): names, date of birth, nationality and the
identifiers of every entity kind, normalised as at intake (normalise.py, identifiers.py)."""

from __future__ import annotations

from casemgmt.crosscheck.birthdates import BirthDate
from casemgmt.crosscheck.keys import Identifier, Subject
from casemgmt.crosscheck.normalise import (
    NormalisationError,
    normalise_company,
    normalise_country,
    normalise_document,
    normalise_email,
    normalise_name,
    normalise_phone,
    normalise_plate,
    normalise_vin,
)
from casemgmt.models import (
    Address,
    BankAccount,
    Company,
    CryptoAddress,
    Document,
    Email,
    Handle,
    IpAddress,
    Person,
    Phone,
    Vehicle,
)


def entity_ref(entity) -> str:
    return f"case:{entity.case_id}:{entity.kind}:{entity.id}"


def subject_of(entity) -> Subject | None:
    """A case entity as the matcher reads it; None when nothing in it can be compared. A value
    that cannot be normalised (a malformed phone number) is left out of the keys, never guessed."""
    identifiers: list[Identifier] = []
    name = birth = nationality = None
    country = entity.country_code

    def attempt(fn, *args):
        try:
            return fn(*args)
        except NormalisationError:
            return None

    if isinstance(entity, Person):
        name = normalise_name(entity.surname, entity.given_names) or None
        if entity.date_of_birth:
            d = entity.date_of_birth
            precision = entity.date_of_birth_precision or "day"
            month = d.month if precision in ("day", "month") else None
            day = d.day if precision == "day" else None
            birth = BirthDate(d.year, month, day) if (month, day) != (1, 1) else BirthDate(d.year, placeholder=True)
        nationality = attempt(normalise_country, entity.nationality)
        for doc in entity.documents:
            if found := attempt(normalise_document, doc.number, doc.country):
                identifiers.append(Identifier("doc", found[0], found[1]))
    elif isinstance(entity, Document):
        if found := attempt(normalise_document, entity.number, entity.country):
            identifiers.append(Identifier("doc", found[0], found[1]))
    elif isinstance(entity, Vehicle):
        if entity.vin and (vin := attempt(normalise_vin, entity.vin)):
            identifiers.append(Identifier("vin", vin))
        if entity.plate and (plate := attempt(normalise_plate, entity.plate, entity.country)):
            identifiers.append(Identifier("plate", plate[0], plate[1]))
    elif isinstance(entity, Phone):
        if phone := attempt(normalise_phone, entity.number, country):
            identifiers.append(Identifier("phone", phone))
    elif isinstance(entity, Email):
        if email := attempt(normalise_email, entity.address):
            identifiers.append(Identifier("email", email))
    elif isinstance(entity, Company):
        if words := normalise_company(entity.name):
            identifiers.append(Identifier("company", " ".join(words)))
    else:
        identifiers.extend(new_kind_identifiers(entity, attempt))
    if not name and not identifiers:
        return None
    return Subject(name=name, birth=birth, nationality=nationality, identifiers=tuple(identifiers),
                   display=entity.stored_label, ref=entity_ref(entity))


def new_kind_identifiers(entity, attempt) -> list[Identifier]:
    """The identifier of an address, bank account, IP address, crypto-currency address or handle
    (normalised as at intake, identifiers.py); `attempt(fn, *args)` gives None for a bad value."""
    from casemgmt.crosscheck import identifiers as ids

    found = None
    kind = None
    if isinstance(entity, Address):
        kind, found = "address", attempt(ids.normalise_address, entity.country, entity.postcode, entity.street,
                                         entity.number)
    elif isinstance(entity, BankAccount):
        kind, found = "iban", attempt(ids.normalise_iban, entity.iban)
    elif isinstance(entity, IpAddress):
        kind, found = "ip", attempt(ids.normalise_ip, entity.address)
    elif isinstance(entity, CryptoAddress):
        kind, found = "crypto", attempt(ids.normalise_crypto, entity.address, entity.currency)
    elif isinstance(entity, Handle):
        kind, found = "handle", attempt(ids.normalise_handle, entity.platform, entity.handle, entity.country_code)
    return [Identifier(kind, found)] if found else []


__all__ = ["entity_ref", "subject_of", "new_kind_identifiers"]
