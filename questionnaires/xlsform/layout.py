"""The XLSForm layout that import and export share: sheets, columns, languages, type names, our markers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from portal.enums import N_

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
SHEET_ORDER = {SETTINGS: 0, SURVEY: 1, CHOICES: 2}

# Our own columns: other XLSForm tools ignore unknown columns, our importer reads them back.
SPOC_TYPE = "spoc_type"
SPOC_META = "spoc_meta"
STEPS_LIST = "steps_list"  # spoc_meta key of a process question: the choices list holding its steps
OWN_CONSTRAINT = "constraint"  # spoc_meta key: the question's own constraint when the cell combines min/max

TRANSLATABLE = ("label", "hint", "constraint_message", "required_message", "guidance_hint",
                "media::image", "media::audio", "media::video", "image", "audio", "video")
HEADER_ALIASES = {"list name": "list_name", "list_name": "list_name", "constraint message": "constraint_message",
                  "jr:constraintmsg": "constraint_message", "relevance": "relevant", "caption": "label",
                  "required message": "required_message", "jr:requiredmsg": "required_message"}

# Names used in "label::French (fr)" columns; a column may also say "label::fr" or "label::French".
LANGUAGE_NAMES = {
    "bg": "Bulgarian", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "fi": "Finnish", "fr": "French", "ga": "Irish", "hr": "Croatian",
    "hu": "Hungarian", "is": "Icelandic", "it": "Italian", "lb": "Luxembourgish", "lt": "Lithuanian",
    "lv": "Latvian", "mt": "Maltese", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "sk": "Slovak", "sl": "Slovenian", "sv": "Swedish",
}
_CODES_BY_NAME = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
_CODE_IN_PARENS = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)\s*\)\s*$")
_BARE_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")

# XLSForm type → the type of ours it becomes when the row has no spoc_type marker.
DEFAULT_TYPES = {"select_one": "single_choice", "select_multiple": "multiple_choice", "rank": "ranking",
                 "text": "text", "integer": "number", "decimal": "number", "range": "number", "date": "date",
                 "time": "time", "datetime": "datetime", "file": "file", "calculate": "calculated"}
RANGE_DEFAULTS = {"start": 1.0, "end": 10.0, "step": 1.0}  # pyxform's, when the parameters column leaves one out
TYPE_ALIASES = {"begin_group": "begin group", "end_group": "end group", "begin_repeat": "begin repeat",
                "end_repeat": "end repeat", "int": "integer", "string": "text", "select one": "select_one",
                "select multiple": "select_multiple", "datetime": "datetime", "date_time": "datetime",
                "date time": "datetime", "begin_loop": "begin loop", "end_loop": "end loop"}
METADATA_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
                  "email", "audit", "background-audio"}
# catalogue messages (N_): an import's problems are shown in the author's language
_GEO = N_("geographic types (geopoint, geotrace, geoshape) are not supported: ask for a place as text")
UNSUPPORTED = {
    "begin repeat": N_("repeats are not supported (a process question holds a table of steps)"),
    "end repeat": N_("repeats are not supported"),
    "begin loop": N_("repeats (loops) are not supported"),
    "end loop": N_("repeats (loops) are not supported"),
    "hidden": N_("hidden fields are not supported"),
    "geopoint": _GEO, "geotrace": _GEO, "geoshape": _GEO, "start-geopoint": _GEO, "gps": _GEO,
}
UNSUPPORTED_COLUMNS = {
    "default": N_("default values are not supported"),
    "trigger": N_("triggers are not supported"),
    "repeat_count": N_("repeats are not supported"),
}

YES_NO_LABELS = {
    "yes": {"en": "Yes", "fr": "Oui", "de": "Ja", "nl": "Ja", "es": "Sí", "it": "Sì", "pt": "Sim", "pl": "Tak"},
    "no": {"en": "No", "fr": "Non", "de": "Nein", "nl": "Nee", "es": "No", "it": "No", "pt": "Não", "pl": "Nie"},
}


@lru_cache(maxsize=1)
def _babel_codes() -> dict[str, str]:
    """English language names → ISO 639 codes, from the CLDR data Babel ships ('swahili' → 'sw')."""
    from babel import Locale

    return {name.lower(): code for code, name in Locale("en").languages.items() if "_" not in code}


def language_code(spec: str) -> str | None:
    """'French (fr)', 'fr', 'French', 'english' or 'Swahili' → the code; None when the language cannot be told.

    A name alone is what pyxform accepts (`label::Swahili`); its code comes from the CLDR's English names."""
    spec = spec.strip()
    if m := _CODE_IN_PARENS.search(spec):
        return m.group(1).lower().replace("_", "-")
    if spec.lower() in _CODES_BY_NAME:
        return _CODES_BY_NAME[spec.lower()]
    if code := _babel_codes().get(spec.lower()):
        return code
    if _BARE_CODE.fullmatch(spec):
        return spec.lower().replace("_", "-")
    return None


def language_name(code: str) -> str:
    """'English', 'Swahili': a language's English name (the code when none is known)."""
    return LANGUAGE_NAMES.get(code) or _babel_names().get(code) or code


@lru_cache(maxsize=1)
def _babel_names() -> dict[str, str]:
    from babel import Locale

    return dict(Locale("en").languages)


def language_column(code: str) -> str:
    """The language part of a column header as ODK/KoboToolbox write it: 'French (fr)'."""
    return f"{language_name(code)} ({code})"


@dataclass(frozen=True)
class Header:
    """One header cell: `label::French (fr)` is base 'label', language 'French (fr)'."""

    text: str
    base: str
    language: str | None


SINGLE_COLON_BASES = ("label", "hint", "constraint_message", "required_message", "guidance_hint")


def parse_header(text: str) -> Header:
    raw = text.strip()
    base, sep, lang = raw.partition("::")
    if not sep:  # 'label:english', as older XLSForms write it
        head, colon, rest = raw.partition(":")
        if colon and HEADER_ALIASES.get(head.strip().lower(), head.strip().lower()) in SINGLE_COLON_BASES:
            base, sep, lang = head, "::", rest
    base = base.strip().lower()
    base = HEADER_ALIASES.get(base, base)
    if sep and base in ("media", "body", "bind", "instance"):  # namespaced columns, not languages
        inner, sep2, lang2 = lang.partition("::")
        return Header(raw, f"{base}::{inner.strip().lower()}", lang2.strip() if sep2 else None)
    return Header(raw, base, lang.strip() if sep else None)


def number_text(x: float) -> str:
    """A bound as it reads in an expression: 0 rather than 0.0."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def bounds_constraint(own: str | None, minimum: float | None, maximum: float | None) -> str | None:
    """The constraint an XLSForm tool needs to enforce a number's min/max as well as its own constraint."""
    parts = []
    if minimum is not None:
        parts.append(f". >= {number_text(minimum)}")
    if maximum is not None:
        parts.append(f". <= {number_text(maximum)}")
    bounds = " and ".join(parts)
    if not own:
        return bounds or None
    if not bounds or own.strip() == bounds:
        return own
    return f"({own}) and {bounds}"


def split_type(text: str) -> tuple[str, str | None, list[str]]:
    """'select_one  yes_no' → ('select_one', 'yes_no', []); 'begin_group' → ('begin group', None, [])."""
    words = text.split()
    joined = " ".join(words).lower()
    if joined.startswith(("begin loop", "begin_loop")):  # 'begin loop over L': pyxform's older repeat
        return "begin loop", None, []
    if joined in TYPE_ALIASES:
        return TYPE_ALIASES[joined], None, []
    head = words[0].lower()
    lowered = [w.lower() for w in words]
    # pyxform's older spellings: 'select one from L', 'select all that apply from L'
    for phrase, kind in (("select one from", "select_one"), ("select_one from", "select_one"),
                         ("select all that apply from", "select_multiple"),
                         ("select multiple from", "select_multiple")):
        n = len(phrase.split())
        if " ".join(lowered[:n]) == phrase and len(words) > n:
            return kind, words[n], words[n + 1:]
    if len(words) >= 3 and f"{head} {words[1].lower()}" in ("select one", "select multiple"):
        return TYPE_ALIASES[f"{head} {words[1].lower()}"], words[2], words[3:]
    if head in ("select_one", "select_multiple", "rank", "select_one_external", "select_multiple_from_file",
                "select_one_from_file") and len(words) >= 2:
        return head, words[1], words[2:]
    return TYPE_ALIASES.get(joined, joined), None, []
