"""Normalisation on write: pure functions from a raw value to the forms the cross-check compares.

The raw value is always kept beside (the officer sees what was received); these forms only serve
matching: text folded (Unicode NFKC, case folding), names transliterated into a set of Latin
spellings and cut into tokens, identifiers reduced to A-Z0-9 with their issuing country, phone
numbers in E.164, dates of birth with their precision and a flag for placeholder dates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from casemgmt.crosscheck.given_names import equivalence_group
from casemgmt.crosscheck.phonetic import metaphone_key, phonetic_key
from casemgmt.crosscheck.transliteration import spellings
from portal.enums import N_, say


class NormalisationError(ValueError):
    """A value that cannot be read; the message says why, for the field it came from. Written in English with
    named placeholders (marked N_, a catalogue message): `str(exc)` is English (logs, the command line),
    `in_reader_language()` the page's or API answer's language (issue 19)."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params

    def in_reader_language(self) -> str:
        return say(self.message, **self.params) if self.params else say(self.message)


def fold(text: str | None) -> str:
    """Unicode NFKC and case folding (ß → ss, ﬁ → fi, full-width letters → ASCII)."""
    return unicodedata.normalize("NFKC", text or "").casefold()


# ---------------------------------------------------------------------------------------- names
# Words that join a surname rather than name anyone: kept for scoring, never a key on their own.
PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "la", "le", "zu",
    "ten", "ter", "y", "e", "al", "el", "bin", "ben", "ibn", "bint", "abu", "mac", "st", "saint",
})
_SPLIT = re.compile(r"[^\w]+", re.UNICODE)
_APOSTROPHES = re.compile(r"[’'`ʼ]")


def raw_tokens(text: str | None) -> list[str]:
    """The folded words of a name: apostrophes join (O'Brien), hyphens and spaces separate."""
    folded = _APOSTROPHES.sub("", fold(text))
    return [t for t in _SPLIT.split(folded.replace("_", " ")) if t]


class Word(frozenset):
    """One word of a name: the set of its Latin spellings, `canonical` (its ICAO 9303 spelling)
    and, for a Cyrillic or Greek word, `native`: the word as written, marks removed (two words
    of one script are also compared as written, where a typo is one letter)."""

    canonical: str
    native: str

    def __new__(cls, spelt, canonical: str, native: str = ""):
        word = super().__new__(cls, spelt)
        word.canonical = canonical
        word.native = native
        return word

    def __reduce__(self):
        return (Word, (frozenset(self), self.canonical, self.native))


def _is_latin(ch: str) -> bool:
    return ch < "\u0250" or "\u1e00" <= ch <= "\u1eff"


@lru_cache(maxsize=500_000)
def token_spellings(token: str) -> Word:
    """Every Latin spelling of one folded word (several for Cyrillic, Greek and umlauts)."""
    canonical, spelt = spellings(token)
    native = ""
    if not token.isascii() and any(ch.isalpha() and not _is_latin(ch) for ch in token):
        native = unicodedata.normalize("NFC", "".join(
            ch for ch in unicodedata.normalize("NFD", token) if not unicodedata.combining(ch)))
        spelt.add(native)
    return Word(spelt, canonical, native)


@dataclass(frozen=True)
class NameForm:
    """A name as the cross-check compares it: for each word, the set of its Latin spellings."""

    surname: tuple[Word, ...]
    given: tuple[Word, ...]

    @property
    def tokens(self) -> tuple[Word, ...]:
        return self.surname + self.given

    def significant(self) -> tuple[Word, ...]:
        """Words that may make a key: particles only when nothing else is there."""
        words = tuple(t for t in self.tokens if not t <= PARTICLES)
        return words or self.tokens

    def primary(self) -> str:
        """The ICAO spelling of every word, surname first."""
        return " ".join(t.canonical for t in self.tokens)

    def encode(self) -> str:
        """A compact text form stored with the record: words by spaces, spellings by | (the ICAO
        spelling first), surname and given names by /."""
        def words(part):
            return " ".join("|".join([t.canonical, *sorted(t - {t.canonical})]) for t in part)
        return f"{words(self.surname)}/{words(self.given)}"

    @classmethod
    def decode(cls, text: str) -> NameForm:
        surname, _, given = (text or "").partition("/")

        def words(part):
            out = []
            for w in part.split(" "):
                if w:
                    spelt = w.split("|")
                    native = next((x for x in spelt if not x.isascii()), "")
                    out.append(Word(spelt, spelt[0], native))
            return tuple(out)
        return cls(words(surname), words(given))

    def __bool__(self) -> bool:
        return bool(self.surname or self.given)


# Prefixes written joined or apart: O'Brien / OBrien / O Brien, D'Angelo / D Angelo, Mc Donald.
JOINED_PREFIXES = PARTICLES | {"o", "d", "l", "mc", "fitz", "ap", "bar"}


def _joined(prefix: list[Word], word: Word) -> Word:
    """A surname particle (or several) and the word after it as one word: every spelling of the
    word with the particles in front (Van der Berg → vanderberg) and, so that a name written
    without them still agrees, the word's own spellings (berg)."""
    front = "".join(p.canonical for p in prefix)
    spelt = {front + s for s in word if s.isascii()} | set(word)
    return Word(spelt, front + word.canonical, word.native)


def _join_particles(words: list[Word]) -> tuple[Word, ...]:
    """Particles joined to the word that follows them (the last word of a part stays alone)."""
    out: list[Word] = []
    pending: list[Word] = []
    for word in words:
        if word.canonical in JOINED_PREFIXES and word <= JOINED_PREFIXES | {word.canonical}:
            pending.append(word)
            continue
        out.append(_joined(pending, word) if pending else word)
        pending = []
    return tuple(out + pending)


def normalise_name(surname: str | None, given_names: str | None = "") -> NameForm:
    """Transliterate and tokenise a person's name; empty words (punctuation only) are dropped;
    particles are joined to the word after them (Van der Berg, Vanderberg and Berg all agree)."""
    def part(text):
        return _join_particles([s for s in (token_spellings(t) for t in raw_tokens(text)) if s])
    return NameForm(part(surname), part(given_names))


@lru_cache(maxsize=500_000)
def phonetic_codes(token: frozenset[str]) -> frozenset[str]:
    """The phonetic keys of every spelling of a word (usually one or two)."""
    return frozenset(code for code in (phonetic_key(s) for s in _hard_ch(token)) if code)


def _hard_ch(token) -> set[str]:
    """The spellings of a word, and a CH before R or L at its start also read as K (German and Greek
    Christa, Christos, Chlodwig are Krista, Kristos, as well as Hristos)."""
    return set(token) | {"k" + s[2:] for s in token if s[:3] in ("chr", "chl")}


@lru_cache(maxsize=500_000)
def metaphone_codes(token: frozenset[str]) -> frozenset[str]:
    """The Metaphone keys (phonetic.metaphone_key) of a word's ICAO spelling (its other spellings are
    transliteration variants, which phonetic_key already joins), and of the word without its
    particles when they were joined to it."""
    spelt = {token.canonical} if isinstance(token, Word) else set(token)
    if isinstance(token, Word):
        spelt |= {s for s in token if len(s) < len(token.canonical) and token.canonical.endswith(s)}
    return frozenset(code for code in (metaphone_key(s) for s in _hard_ch(spelt) if s.isascii()) if code)


@lru_cache(maxsize=500_000)
def given_name_group(token: frozenset[str]) -> str | None:
    """The group of equivalent given names (given_names.py) the word belongs to, or None."""
    return equivalence_group(token)


# ---------------------------------------------------------------------------------- countries
# EU documents write Greece EL and the United Kingdom UK; ISO alpha-3 codes of travel documents.
_ALIASES = {"GR": "EL", "GB": "UK"}
ALPHA3 = {
    "AUT": "AT", "BEL": "BE", "BGR": "BG", "HRV": "HR", "CYP": "CY", "CZE": "CZ", "DNK": "DK", "EST": "EE",
    "FIN": "FI", "FRA": "FR", "DEU": "DE", "D": "DE", "D<<": "DE", "GRC": "EL", "HUN": "HU", "IRL": "IE",
    "ITA": "IT", "LVA": "LV", "LTU": "LT", "LUX": "LU", "MLT": "MT", "NLD": "NL", "POL": "PL", "PRT": "PT",
    "ROU": "RO", "SVK": "SK", "SVN": "SI", "ESP": "ES", "SWE": "SE", "ISL": "IS", "LIE": "LI", "NOR": "NO",
    "CHE": "CH", "GBR": "UK", "USA": "US", "RUS": "RU", "UKR": "UA", "BLR": "BY", "TUR": "TR", "SRB": "RS",
    "ALB": "AL", "MKD": "MK", "MDA": "MD", "GEO": "GE", "ARM": "AM", "BIH": "BA", "MNE": "ME",
    "MAR": "MA", "DZA": "DZ", "TUN": "TN", "CHN": "CN", "IND": "IN", "PAK": "PK", "AFG": "AF", "SYR": "SY",
    "IRQ": "IQ", "IRN": "IR", "NGA": "NG", "BRA": "BR", "COL": "CO", "VNM": "VN", "KOS": "XK", "RKS": "XK",
}
# phonenumbers speaks ISO 3166: the portal's EL and UK are GR and GB there.
_PHONE_REGION = {"EL": "GR", "UK": "GB"}


def normalise_country(code: str | None) -> str | None:
    """A country as the portal writes it (EU style: EL for Greece); ISO alpha-3 accepted."""
    text = re.sub(r"[^A-Z<]", "", fold(code).upper())
    if not text:
        return None
    if text in ALPHA3:
        return ALPHA3[text]
    text = text.replace("<", "")
    if len(text) != 2:
        raise NormalisationError(N_("%(code)r is not a country code (two letters, e.g. BE or EL)"), code=code)
    return _ALIASES.get(text, text)


# -------------------------------------------------------------------------------- identifiers
def normalise_identifier(value: str | None) -> str:
    """A document number, plate or VIN reduced to A-Z0-9 (spaces, dashes, dots, case dropped).

    Letters with diacritics lose them first (Ö → O), so that a plate typed on any keyboard agrees.
    """
    text = unicodedata.normalize("NFKD", fold(value))
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum()).upper()


def normalise_document(number: str | None, country: str | None) -> tuple[str, str | None]:
    """(number, issuing country); the number must keep at least 4 characters to identify anything."""
    reduced = normalise_identifier(number)
    if len(reduced) < 4:
        raise NormalisationError(N_("%(number)r is too short for a document number"), number=number)
    return reduced, normalise_country(country)


def normalise_vin(vin: str | None) -> str:
    """A vehicle identification number: 17 characters, never I, O or Q (ISO 3779)."""
    reduced = normalise_identifier(vin)
    if len(reduced) != 17 or set(reduced) & set("IOQ"):
        raise NormalisationError(N_("%(vin)r is not a VIN (17 letters and digits, no I, O or Q)"), vin=vin)
    return reduced


def normalise_plate(plate: str | None, country: str | None) -> tuple[str, str | None]:
    reduced = normalise_identifier(plate)
    if len(reduced) < 2:
        raise NormalisationError(N_("%(plate)r is too short for a number plate"), plate=plate)
    return reduced, normalise_country(country)


def normalise_phone(number: str | None, default_country: str | None) -> str:
    """E.164 (+3225551234); a number without a country prefix is read as the SPOC's own country's."""
    region = _PHONE_REGION.get(default_country or "", default_country or None)
    try:
        parsed = phonenumbers.parse(number or "", region)
    except phonenumbers.NumberParseException as exc:
        raise NormalisationError(N_("%(number)r is not a phone number (%(reason)s)"), number=number, reason=exc._msg) from None
    if not phonenumbers.is_possible_number(parsed):
        raise NormalisationError(N_("%(number)r is not a possible phone number"), number=number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(address: str | None) -> str:
    """Folded address; "mailto:" and surrounding angle brackets dropped."""
    text = fold(address).strip().removeprefix("mailto:").strip("<> ")
    if not _EMAIL.match(text):
        raise NormalisationError(N_("%(address)r is not an e-mail address"), address=address)
    return text


_LEGAL_FORMS = frozenset({
    "ltd", "limited", "llc", "inc", "plc", "gmbh", "ag", "kg", "ohg", "ug", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "vof", "bvba", "sprl", "oy", "oyj", "ab", "as", "asa", "aps", "kft", "zrt",
    "sro", "doo", "dd", "ad", "ood", "eood", "sp", "zoo", "spzoo", "oü", "ou", "uab", "sia", "co",
})


def normalise_company(name: str | None) -> tuple[str, ...]:
    """A company name as sorted words in their primary spelling, legal forms (GmbH, B.V.) dropped."""
    words = []
    for token in raw_tokens((name or "").replace(".", "")):
        spelt = token_spellings(token)
        if spelt and not spelt & _LEGAL_FORMS:
            words.append(min(spelt, key=lambda s: (len(s), s)))
    return tuple(sorted(words))


__all__ = [
    "NormalisationError", "fold", "raw_tokens", "token_spellings", "Word", "NameForm", "normalise_name",
    "phonetic_codes", "metaphone_codes", "given_name_group", "normalise_country", "normalise_identifier",
    "normalise_document", "normalise_vin", "normalise_plate", "normalise_phone", "normalise_email",
    "normalise_company", "PARTICLES",
]
