"""Reference data: the countries of the network, the agencies and the Presidency calendar."""

from __future__ import annotations

from portal.enums import reader_language

# (EU code, ISO code, English name, status)
COUNTRIES: list[tuple[str, str, str, str]] = [
    ("AT", "AT", "Austria", "eu_member"),
    ("BE", "BE", "Belgium", "eu_member"),
    ("BG", "BG", "Bulgaria", "eu_member"),
    ("HR", "HR", "Croatia", "eu_member"),
    ("CY", "CY", "Cyprus", "eu_member"),
    ("CZ", "CZ", "Czechia", "eu_member"),
    ("DK", "DK", "Denmark", "eu_member"),
    ("EE", "EE", "Estonia", "eu_member"),
    ("FI", "FI", "Finland", "eu_member"),
    ("FR", "FR", "France", "eu_member"),
    ("DE", "DE", "Germany", "eu_member"),
    ("EL", "GR", "Greece", "eu_member"),
    ("HU", "HU", "Hungary", "eu_member"),
    ("IE", "IE", "Ireland", "eu_member"),
    ("IT", "IT", "Italy", "eu_member"),
    ("LV", "LV", "Latvia", "eu_member"),
    ("LT", "LT", "Lithuania", "eu_member"),
    ("LU", "LU", "Luxembourg", "eu_member"),
    ("MT", "MT", "Malta", "eu_member"),
    ("NL", "NL", "Netherlands", "eu_member"),
    ("PL", "PL", "Poland", "eu_member"),
    ("PT", "PT", "Portugal", "eu_member"),
    ("RO", "RO", "Romania", "eu_member"),
    ("SK", "SK", "Slovakia", "eu_member"),
    ("SI", "SI", "Slovenia", "eu_member"),
    ("ES", "ES", "Spain", "eu_member"),
    ("SE", "SE", "Sweden", "eu_member"),
    ("IS", "IS", "Iceland", "schengen_associated"),
    ("LI", "LI", "Liechtenstein", "schengen_associated"),
    ("NO", "NO", "Norway", "schengen_associated"),
    ("CH", "CH", "Switzerland", "schengen_associated"),
]
COUNTRY_CODES = [c[0] for c in COUNTRIES]

# Whom Directive (EU) 2023/977 binds, by default (a field of the directory, editable):
# - recital 44: Denmark does not take part in its adoption and is not bound by it (Arts 1 and 2 of
#   Protocol No 22); as it builds on the Schengen acquis, Denmark decides under Art. 4 of that
#   Protocol whether to implement it: not bound here until the secretariat records that it does;
# - recital 45: Ireland takes part (Protocol No 19, Council Decision 2002/192/EC);
# - recitals 46-48: for Iceland, Norway, Switzerland and Liechtenstein it develops the Schengen
#   acquis, so they apply it.
DIRECTIVE_2023_977_NOT_BINDING = frozenset({"DK"})
DIRECTIVE_2023_977_BINDS = {code: code not in DIRECTIVE_2023_977_NOT_BINDING for code in COUNTRY_CODES}

# The time zone of each SPOC (its capital's): Art. 18 years and the officer's day are counted in it.
SPOC_TIME_ZONES = {
    "AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia", "HR": "Europe/Zagreb",
    "CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DK": "Europe/Copenhagen", "EE": "Europe/Tallinn",
    "FI": "Europe/Helsinki", "FR": "Europe/Paris", "DE": "Europe/Berlin", "EL": "Europe/Athens",
    "HU": "Europe/Budapest", "IE": "Europe/Dublin", "IT": "Europe/Rome", "LV": "Europe/Riga",
    "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg", "MT": "Europe/Malta", "NL": "Europe/Amsterdam",
    "PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "RO": "Europe/Bucharest", "SK": "Europe/Bratislava",
    "SI": "Europe/Ljubljana", "ES": "Europe/Madrid", "SE": "Europe/Stockholm", "IS": "Atlantic/Reykjavik",
    "LI": "Europe/Vaduz", "NO": "Europe/Oslo", "CH": "Europe/Zurich",
}
COUNTRY_NAMES = {c[0]: c[2] for c in COUNTRIES}  # English; a page shows country_name(code)
ISO_CODES = {**{c[0]: c[1] for c in COUNTRIES if c[0] != c[1]}, "UK": "GB"}  # EU codes not ISO 3166-1 (EL -> GR)


def country_name(code: str | None, default: str | None = None, *, language: str | None = None) -> str:
    """A country's name in the reader's language (or `language`) from its EU (EL, UK) or ISO 3166-1 code, from
    Babel's locale data (CLDR: 'DK' -> 'Danemark' in French, 'Dänemark' in German); in English, and for a code
    Babel does not know, the name of the network's list, else `default` (e.g. the directory record's name),
    else the code. Issue 19: a page in French is wholly French."""
    if not code:
        return ""
    code = code.strip().upper()
    lang = language or reader_language()
    name = _babel_names(lang).get(ISO_CODES.get(code, code))
    if name and lang != "en":
        return name
    return COUNTRY_NAMES.get(code) or name or default or code


def _babel_names(lang: str) -> dict[str, str]:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang).territories
    except (ValueError, UnknownLocaleError):
        return {}


def country_names(codes=None, language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of the network's countries (or of `codes`), by name in the reader's language: a form's list."""
    lang = language or reader_language()
    pairs = [(c, country_name(c, language=lang)) for c in (COUNTRY_CODES if codes is None else codes)]
    return sorted(pairs, key=lambda pair: _sort_key(pair[1]))


def _sort_key(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()

# the observers' organisations; INTERPOL is an international organisation, not an EU agency (AGENCY_KIND)
AGENCIES: list[tuple[str, str, str]] = [
    ("INTERPOL", "INTERPOL", "International Criminal Police Organization"),
    ("EUROPOL", "EUROPOL", "European Union Agency for Law Enforcement Cooperation"),
    ("CEPOL", "CEPOL", "European Union Agency for Law Enforcement Training"),
    ("FRONTEX", "FRONTEX", "European Border and Coast Guard Agency"),
    ("EU-LISA", "eu-LISA", "European Union Agency for the Operational Management of Large-Scale IT Systems"),
]
AGENCY_KIND = {"INTERPOL": "international_organisation"}  # every other one: eu_agency

# The Council's published order of Presidencies; the secretariat edits the calendar in the app.
PRESIDENCIES: list[tuple[int, int, str]] = [
    (2024, 1, "BE"), (2024, 2, "HU"),
    (2025, 1, "PL"), (2025, 2, "DK"),
    (2026, 1, "CY"), (2026, 2, "IE"),
    (2027, 1, "LT"), (2027, 2, "EL"),
    (2028, 1, "IT"), (2028, 2, "LV"),
    (2029, 1, "LU"), (2029, 2, "NL"),
    (2030, 1, "SK"), (2030, 2, "MT"),
]


def language_label(value: str | None, language: str | None = None) -> str:
    """Languages by ISO 639-1 code in the reader's language (or `language`), from Babel's locale data (CLDR):
    'en, fr' -> 'English, French', 'anglais, français', 'Englisch, Französisch'; anything else as typed.
    Issue 19: a page in French is wholly French."""
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    names = _babel_languages(language or reader_language())
    return ", ".join(names.get(p.lower()) or p for p in parts)


def _babel_languages(lang: str) -> dict[str, str]:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang).languages
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en").languages
