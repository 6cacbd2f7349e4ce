"""Reference data: the countries of the network, the agencies and the Presidency calendar."""

from __future__ import annotations

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
COUNTRY_NAMES = {c[0]: c[2] for c in COUNTRIES}

AGENCIES: list[tuple[str, str, str]] = [
    ("INTERPOL", "INTERPOL", "International Criminal Police Organization"),
    ("EUROPOL", "EUROPOL", "European Union Agency for Law Enforcement Cooperation"),
    ("CEPOL", "CEPOL", "European Union Agency for Law Enforcement Training"),
    ("FRONTEX", "FRONTEX", "European Border and Coast Guard Agency"),
    ("EU-LISA", "eu-LISA", "European Union Agency for the Operational Management of Large-Scale IT Systems"),
]

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

# Languages by ISO 639-1 code, as people read them (the procedural and the network's working languages)
LANGUAGE_NAMES = {
    "bg": "Bulgarian", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "fi": "Finnish", "fr": "French", "ga": "Irish", "hr": "Croatian",
    "hu": "Hungarian", "is": "Icelandic", "it": "Italian", "lb": "Luxembourgish", "lt": "Lithuanian",
    "lv": "Latvian", "mt": "Maltese", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "sk": "Slovak", "sl": "Slovenian", "sv": "Swedish",
}


def language_label(value: str | None) -> str:
    """'en' -> 'English'; 'en, fr' -> 'English, French'; anything else is shown as typed."""
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    return ", ".join(LANGUAGE_NAMES.get(p.lower(), p) for p in parts)
