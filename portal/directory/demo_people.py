"""Who the demo's countries are (issue 19, item 13): one source for the demo users, the directory records
and the questionnaire answers, so that a country's names, languages and contacts agree everywhere."""

from __future__ import annotations

import unicodedata

# The languages each country notifies for requests (its official languages, and English: Directive
# (EU) 2023/977 Art. 11), in the codes of the questionnaire's choices.
NOTIFIED_LANGUAGES: dict[str, tuple[str, ...]] = {
    "AT": ("de", "en"), "BE": ("nl", "fr", "de", "en"), "BG": ("bg", "en"), "HR": ("hr", "en"),
    "CY": ("el", "en"), "CZ": ("cs", "en"), "DK": ("da", "en"), "EE": ("et", "en"), "FI": ("fi", "sv", "en"),
    "FR": ("fr", "en"), "DE": ("de", "en"), "EL": ("el", "en"), "HU": ("hu", "en"), "IE": ("en", "ga"),
    "IT": ("it", "en"), "LV": ("lv", "en"), "LT": ("lt", "en"), "LU": ("fr", "de", "en"), "MT": ("mt", "en"),
    "NL": ("nl", "en"), "PL": ("pl", "en"), "PT": ("pt", "en"), "RO": ("ro", "en"), "SK": ("sk", "en"),
    "SI": ("sl", "en"), "ES": ("es", "en"), "SE": ("sv", "en"), "IS": ("is", "en"), "LI": ("de", "en"),
    "NO": ("no", "en"), "CH": ("de", "fr", "it", "en"),
}

# The person who answers the questionnaire for each country (for BE and NL: the demo respondent)
CONTACTS: dict[str, str] = {
    "AT": "Katharina Gruber", "BE": "Lotte Peeters", "BG": "Georgi Ivanov", "HR": "Ivana Horvat",
    "CY": "Andreas Georgiou", "CZ": "Petra Dvořáková", "DK": "Mette Nielsen", "EE": "Kristjan Tamm",
    "FI": "Aino Korhonen", "FR": "Julien Moreau", "DE": "Stefanie Fischer", "EL": "Eleni Papadopoulou",
    "HU": "Zoltán Nagy", "IE": "Siobhán Murphy", "IT": "Giulia Romano", "LV": "Ilze Bērziņa",
    "LT": "Rūta Petrauskienė", "LU": "Marc Schmit", "MT": "Joseph Borg", "NL": "Sanne Bakker",
    "PL": "Agnieszka Kowalczyk", "PT": "Inês Ferreira", "RO": "Andrei Popa", "SK": "Martina Kováčová",
    "SI": "Luka Novak", "ES": "Lucía García", "SE": "Erik Lindqvist", "IS": "Guðrún Jónsdóttir",
    "LI": "Thomas Büchel", "NO": "Ingrid Hansen", "CH": "Nicolas Favre",
}

# The demo users of the demo countries: name and the language they read the portal in. The Head of SPOC
# is the one of the directory record; the respondent is the questionnaire's contact person.
DEMO_USERS: dict[tuple[str, str], tuple[str, str]] = {
    ("BE", "respondent"): ("Lotte Peeters", "nl"), ("BE", "officer"): ("Thomas Lambert", "fr"),
    ("BE", "supervisor"): ("Sophie Janssens", "en"), ("BE", "head_of_spoc"): ("Anne Dubois", "fr"),
    ("BE", "dpo"): ("Pieter Claes", "nl"), ("BE", "trainer"): ("Nathalie Renard", "fr"),
    ("NL", "respondent"): ("Sanne Bakker", "nl"), ("NL", "officer"): ("Daan Visser", "nl"),
    ("NL", "supervisor"): ("Eva Mulder", "en"), ("NL", "head_of_spoc"): ("Pieter de Vries", "nl"),
    ("NL", "dpo"): ("Femke Smit", "nl"), ("NL", "trainer"): ("Ruben Meijer", "en"),
}
NETWORK_USERS = {"admin": ("Portal Administrator", "en"), "secretariat": ("Marta Kowalska", "en"),
                 "observer": ("Hanna Schultz", "en")}


def spoc_domain(country: str) -> str:
    """The mail domain of the country's SPOC: its directory record's, else spoc-<cc>.demo.invalid."""
    from portal.directory.demo import SPOC_RECORDS

    record = SPOC_RECORDS.get(country)
    return record["email"].split("@", 1)[1] if record else f"spoc-{country.lower()}.demo.invalid"


def spoc_email(country: str) -> str:
    """The SPOC's functional address (the directory record's where the demo has one)."""
    from portal.directory.demo import SPOC_RECORDS

    record = SPOC_RECORDS.get(country)
    return record["email"] if record else f"spoc@{spoc_domain(country)}"


def email_of(name: str, country: str) -> str:
    """'Lotte Peeters', BE -> 'lotte.peeters@police.demo.invalid' (ASCII letters, the SPOC's domain)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    local = ".".join(part for part in plain.replace("-", " ").split() if part.isalpha())
    return f"{local}@{spoc_domain(country)}"
