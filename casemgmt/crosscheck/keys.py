"""The normalised subject (person, document, vehicle, phone, e-mail, company) and its match keys.

A key is (key_type, key_value). Every record written is indexed under its keys; a query looks up
its own keys (OR-ed) and scores only the records found. Person keys:

* ``dob_ph``  date of birth (to its precision) + phonetic key of one name word, for every word
  (surname and given names, so swapped names still meet) and every spelling; a word that is a
  known given name also gives its group of equivalents ("=joseph" for Giuseppe, José, Józef);
* ``dob_mp``  date of birth + Metaphone key of one name word (phonetic.metaphone_key: Meyer and
  Maier meet here);
* ``name``    the sorted ICAO spellings of the name words (exact; it also tells how common a name is);
* ``name_ph`` the sorted phonetic keys of all the name words (for a date of birth missing on
  either side, or a typo in it).

A query adds the day/month-swapped date and the coarser precisions of its date (a record known
only to the year is found by a query with the full date). Identifier keys are exact: ``doc``
(document number; the issuing country is compared when scoring), ``vin``, ``plate``, ``phone``
(E.164), ``email``, ``company`` (sorted words without legal form), ``address`` (country,
postcode, street, number), ``iban``, ``ip``, ``crypto`` (currency:address) and ``handle``
(platform:handle), each normalised by normalise.py or identifiers.py.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from casemgmt.crosscheck.birthdates import BirthDate
from casemgmt.crosscheck.normalise import (
    PARTICLES,
    NameForm,
    given_name_group,
    metaphone_codes,
    phonetic_codes,
)
from portal.enums import N_

KEY_TYPES = {
    "dob_ph": "date of birth and sound of a name",
    "dob_mp": "date of birth and Metaphone of a name",
    "name": "the whole name",
    "name_ph": "sound of the whole name",
    "doc": "document number",
    "vin": "vehicle identification number",
    "plate": "number plate",
    "phone": "phone number",
    "email": "e-mail address",
    "company": "company name",
    "address": "postal address",
    "iban": "bank account (IBAN)",
    "ip": "IP address",
    "crypto": "crypto-currency address",
    "handle": "social-media or messaging handle",
}


@dataclass(frozen=True)
class IdentifierKind:
    """What an exact agreement on one kind of identifier is worth, and its caveat for the officer."""

    label: str
    points: float
    caveat: str = ""


# labels and caveats marked for the catalogues: the hits page says them in the reader's language (reason_text.py)
# 8 points make a strong hit on their own (to_score(8) = 0.98); 4 points a possible one.
IDENTIFIER_KINDS = {
    "doc": IdentifierKind(N_("document number"), 8.0),
    "vin": IdentifierKind(N_("VIN"), 8.0),
    "plate": IdentifierKind(N_("number plate"), 8.0),
    "phone": IdentifierKind(N_("phone number"), 8.0),
    "email": IdentifierKind(N_("e-mail address"), 8.0),
    "company": IdentifierKind(N_("company name"), 3.0),
    "address": IdentifierKind(N_("postal address"), 4.0, N_("several people and firms share one address: a lead, "
                                                        "not an identification")),
    "iban": IdentifierKind(N_("bank account (IBAN)"), 8.0),
    "ip": IdentifierKind(N_("IP address"), 4.0, N_("an IP address is shared (NAT, VPN, mobile networks) and changes "
                                                   "hands: a lead, not an identification")),
    "crypto": IdentifierKind(N_("crypto-currency address"), 8.0),
    "handle": IdentifierKind(N_("account"), 8.0),
}
IDENTIFIER_TYPES = tuple(IDENTIFIER_KINDS)
MAX_NAME_COMBINATIONS = 8


@dataclass(frozen=True)
class Identifier:
    """An exact identifier: type (doc, vin, plate, phone, email, company), value, issuing country."""

    type: str
    value: str
    country: str | None = None

    def text(self) -> str:
        return f"{self.value} ({self.country})" if self.country else self.value


def identifier_text(ident: Identifier) -> str:
    """An identifier as the officer reads it (IBAN in groups of four, "Telegram @name", …)."""
    if ident.type == "iban":
        from casemgmt.crosscheck.identifiers import format_iban

        return format_iban(ident.value)
    if ident.type == "handle":
        from casemgmt.crosscheck.identifiers import PLATFORMS

        platform, _, handle = ident.value.partition(":")
        return f"{PLATFORMS.get(platform, platform)} {'' if handle.startswith('+') else '@'}{handle}"
    if ident.type == "crypto":
        currency, _, address = ident.value.partition(":")
        from casemgmt.crosscheck.identifiers import CURRENCIES

        checked = "" if currency in CURRENCIES else ", format not checked"
        return f"{address} ({CURRENCIES.get(currency, currency)}{checked})"
    if ident.type == "address":
        country, postcode, street, number = (ident.value.split("|") + ["", "", "", ""])[:4]
        return f"{street} {number}, {postcode} ({country})".replace(" ,", ",")
    return ident.text()


@dataclass
class Subject:
    """One normalised record of any source: a person (name, date of birth, nationality) and/or
    identifiers. `ref` says where it comes from (stable across re-indexing), `display` is the raw
    value shown to the officer."""

    name: NameForm | None = None
    birth: BirthDate | None = None
    nationality: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    display: str = ""
    ref: str = ""
    id: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def is_person(self) -> bool:
        return bool(self.name)


def _word_codes(word) -> frozenset[str]:
    group = given_name_group(word)
    return phonetic_codes(word) | {f"={group}"} if group else phonetic_codes(word)


def _name_code_sets(name: NameForm, groups: bool = True) -> list[frozenset[str]]:
    words = name.significant()
    return [codes for codes in ((_word_codes(t) if groups else phonetic_codes(t)) for t in words) if codes]


def _metaphone_sets(name: NameForm) -> list[frozenset[str]]:
    return [codes for codes in (metaphone_codes(t) for t in name.significant()) if codes]


def _name_ph_values(code_sets: list[frozenset[str]]) -> set[str]:
    if not code_sets:
        return set()
    values = set()
    for combination in itertools.islice(itertools.product(*(sorted(c) for c in code_sets)),
                                        MAX_NAME_COMBINATIONS):
        values.add(" ".join(sorted(combination)))
    return values


def _birth_level(birth: BirthDate) -> str:
    """The date part of a dob_ph key: placeholders (1 January) count for their year only."""
    return f"{birth.year:04d}" if birth.placeholder else birth.key()


def record_keys(subject: Subject) -> set[tuple[str, str]]:
    """The keys a stored record is indexed under."""
    keys: set[tuple[str, str]] = set()
    if subject.name:
        code_sets = _name_code_sets(subject.name)
        if subject.birth:
            level = _birth_level(subject.birth)
            exact = len(level) == 8  # known to the day (see query_keys)
            for codes in code_sets:
                keys.update(("dob_ph", f"{level}:{code}") for code in codes if exact or code[0] != "=")
            if exact:
                for codes in _metaphone_sets(subject.name):
                    keys.update(("dob_mp", f"{level}:{code}") for code in codes)
        # without a date the names must be (nearly) the same: no equivalents' groups here
        keys.update(("name_ph", value) for value in _name_ph_values(_name_code_sets(subject.name, groups=False)))
        keys.add(("name", " ".join(sorted(w.canonical for w in subject.name.significant()))[:120]))
        surname = [w.canonical for w in subject.name.surname if not w <= PARTICLES]
        if len(surname) > 1:  # a compound surname also as one word (Abdel Rahman / Abdelrahman)
            given = [w.canonical for w in subject.name.given if not w <= PARTICLES]
            keys.add(("name", " ".join(sorted(["".join(surname), *given]))[:120]))
    for ident in subject.identifiers:
        keys.add((ident.type, ident.value))
    return {(kt, kv[:120]) for kt, kv in keys}


def query_keys(subject: Subject) -> set[tuple[str, str]]:
    """The keys a query looks up: its record keys, the swapped date, the coarser precisions."""
    keys = record_keys(subject)
    if subject.name and subject.birth:
        dates_exact = _birth_level(subject.birth)
        dates = {dates_exact}
        birth = subject.birth
        if swapped := birth.swapped():
            dates.add(swapped.key())
        if birth.month and not birth.placeholder:
            dates.add(f"{birth.year:04d}{birth.month:02d}")
        dates.add(f"{birth.year:04d}")
        for codes in _name_code_sets(subject.name):
            keys.update(("dob_ph", f"{level}:{code}") for level in dates for code in codes
                        if code[0] != "=" or level == dates_exact)
        # Metaphone (dob_mp, from record_keys) and the given-name groups only where the date agrees
        # to the day: at a coarser precision they would bring more strangers than people
    return keys


__all__ = ["KEY_TYPES", "IDENTIFIER_TYPES", "IDENTIFIER_KINDS", "IdentifierKind", "Identifier", "identifier_text",
           "Subject", "record_keys", "query_keys"]
