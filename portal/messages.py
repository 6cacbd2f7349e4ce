"""Validation messages in plain words: what to type, never a regular expression or a type name. They are
English, marked N_ for the catalogues: a page or API answer shows them through portal.enums.translated."""

from __future__ import annotations

from portal.enums import N_

# What each pattern used in a schema accepts, said as a person would say it
PATTERN_WORDS = {
    r"^\+?[0-9 ()./-]+$": N_("A phone number has digits, spaces and + ( ) . / - only."),
    r"^[A-Z]{2}$": N_("Give the two-letter country code in capitals, e.g. BE."),
    r"^([a-z]{2})?$": N_("Give the two-letter language code in small letters, e.g. en (or leave it empty)."),
    r"^[a-z]{2}$": N_("Give the two-letter language code in small letters, e.g. en."),
}
FALLBACK = N_("This value has characters that are not allowed here.")


def plain_message(error: dict) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) as a sentence for people."""
    kind, msg = error.get("type", ""), str(error.get("msg", ""))
    if kind == "string_pattern_mismatch":
        return PATTERN_WORDS.get(str((error.get("ctx") or {}).get("pattern", "")), FALLBACK)
    if kind == "missing":
        return N_("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return N_("Give a whole number.")
    if kind in ("float_parsing", "float_type", "decimal_parsing"):
        return N_("Give a number.")
    if kind in ("bool_parsing", "bool_type"):
        return N_("Give true or false.")
    if kind in ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"):
        return N_("Give a date and time such as 2026-03-02T09:15:00+01:00.")
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return N_("Give a date such as 2026-03-02.")
    if kind == "extra_forbidden":
        return N_("This field is not known here; leave it out.")
    return msg.removeprefix("Value error, ")
