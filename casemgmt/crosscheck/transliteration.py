"""Transliteration to Latin: several spellings of one name (ICAO Doc 9303 first, then common others).

A name written in Cyrillic or Greek reaches a SPOC spelt in whatever system the sender's
passport office, police or clerk used: Щербаков is SHCHERBAKOV (ICAO 9303), SHCHERBAKOV or
SCHTSCHERBAKOW (German) or CHTCHERBAKOV (French). We cannot know which, so every name is kept in
a small set of spellings, one per system, and two names agree when any of their spellings do.
Latin letters with diacritics get two spellings too: Müller is both MUELLER and MULLER.

Each system is a table from a lower-case letter (after case folding) to its Latin spelling.
"""

from __future__ import annotations

import re
import unicodedata

# Doc 9303 Part 3, section 6 (Cyrillic). Г is G here; Ukrainian and Belarusian H is a variant below.
ICAO_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "ѓ": "g", "ђ": "d", "е": "e", "ё": "e",
    "є": "ie", "ж": "zh", "з": "z", "ѕ": "dz", "и": "i", "і": "i", "ї": "i", "й": "i", "ј": "j",
    "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "c", "ќ": "k", "у": "u", "ў": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "џ": "dz", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}
# English-language press and BGN/PCGN style.
ENGLISH_CYRILLIC = ICAO_CYRILLIC | {
    "е": "e", "ё": "yo", "є": "ye", "й": "y", "ї": "yi", "ъ": "", "ю": "yu", "я": "ya", "і": "i",
}
# German (Duden) style: W, SCH, TSCH, JA, JU.
GERMAN_CYRILLIC = ICAO_CYRILLIC | {
    "в": "w", "ж": "sh", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
    "щ": "schtsch", "ъ": "", "ю": "ju", "я": "ja", "ё": "jo", "є": "je", "ї": "ji",
}
# French style: OU, TCH, CH, J.
FRENCH_CYRILLIC = ICAO_CYRILLIC | {
    "ж": "j", "у": "ou", "х": "kh", "ч": "tch", "ш": "ch", "щ": "chtch", "ъ": "", "ю": "iou",
    "я": "ia", "й": "i", "ё": "io",
}
# Ukrainian and Bulgarian national systems: Г is H (uk), И is Y (uk), Щ is SHT and Ъ is A (bg).
UKRAINIAN_CYRILLIC = ICAO_CYRILLIC | {"г": "h", "и": "y", "є": "ye", "ї": "yi", "ю": "yu", "я": "ya",
                                      "й": "y"}
BULGARIAN_CYRILLIC = ICAO_CYRILLIC | {"щ": "sht", "ъ": "a", "ю": "yu", "я": "ya", "й": "y"}

# Polish: SZ, CZ, SZCZ, W, J (Szewczenko); Czech and Slovak (and ISO 9 / scholarly): Š, Č, Ž, H, C
# (Ševčenko), whose letters with a háček are expanded or stripped like any Latin letter.
POLISH_CYRILLIC = ICAO_CYRILLIC | {"в": "w", "ж": "ż", "й": "j", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz",
                                   "щ": "szcz", "ы": "y", "ъ": "", "ю": "ju", "я": "ja", "ё": "io", "є": "je",
                                   "ї": "ji", "л": "l"}
CZECH_CYRILLIC = ICAO_CYRILLIC | {"г": "h", "ж": "ž", "й": "j", "х": "ch", "ц": "c", "ч": "č", "ш": "š",
                                  "щ": "šč", "ы": "y", "ъ": "", "ю": "ju", "я": "ja", "ё": "jo", "є": "je",
                                  "ї": "ji"}

CYRILLIC_SYSTEMS = (ICAO_CYRILLIC, ENGLISH_CYRILLIC, GERMAN_CYRILLIC, FRENCH_CYRILLIC,
                    UKRAINIAN_CYRILLIC, BULGARIAN_CYRILLIC, POLISH_CYRILLIC, CZECH_CYRILLIC)
# Е and Ё are YE / JE at the start of a word in the English and German styles (Yevgeny, Jelena).
INITIAL_CYRILLIC = {id(ENGLISH_CYRILLIC): {"е": "ye"}, id(GERMAN_CYRILLIC): {"е": "je"}}

# Doc 9303 Part 3, section 6 (Greek), letter by letter but ΟΥ as OU (as Greek passports print it);
# accents are dropped before the lookup.
ICAO_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o", "ου": "ou",
}
# Spoken-style spellings: Η, Υ and the diphthongs as I, ΟΥ as OU, Χ as H; ΜΠ/ΝΤ/ΓΚ as B/D/G.
PHONETIC_GREEK = ICAO_GREEK | {"υ": "i", "χ": "h", "ξ": "ks", "ου": "ou", "αι": "e", "ει": "i", "οι": "i",
                               "μπ": "b", "ντ": "d", "γκ": "g", "γγ": "ng", "αυ": "av", "ευ": "ev"}
# Classical (scholarly) style: Η as E, Φ as PH, Χ as KH, ΑΥ/ΕΥ as AU/EU.
CLASSICAL_GREEK = ICAO_GREEK | {"η": "e", "φ": "ph", "χ": "kh", "β": "b", "αυ": "au", "ευ": "eu",
                                "ου": "ou"}
# BGN/PCGN 1962 (used on maps and in older English-language files until 1996): Γ before a front vowel
# is Y (Yeoryios), Δ is DH, Χ is KH, Β is V, Η and Υ are I and Y.
BGN_1962_GREEK = ICAO_GREEK | {"β": "v", "δ": "dh", "χ": "kh", "η": "i", "υ": "y", "γε": "ye", "γι": "yi",
                               "γη": "yi", "γυ": "yi", "ου": "ou", "αυ": "av", "ευ": "ev", "γγ": "ng"}
GREEK_SYSTEMS = (ICAO_GREEK, PHONETIC_GREEK, CLASSICAL_GREEK, BGN_1962_GREEK)

# Latin letters that Unicode does not decompose into base letter + mark.
LATIN_SPECIAL = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
                 "ŀ": "l", "ß": "ss", "ŋ": "n", "ĸ": "k", "ſ": "s", "ʼ": "", "’": "", "'": "", "`": ""}
# Expansions kept as a second spelling: German and Nordic vowels (Müller → mueller and muller),
# Slavic consonants with a háček or an acute (Novák-Dvořáček: č → ch, Wiśniewski: ś → sh).
EXPANDED = {"ü": "ue", "ö": "oe", "ä": "ae", "å": "aa", "ø": "oe",
            "č": "ch", "š": "sh", "ž": "zh", "ć": "ch", "ś": "sh", "ź": "zh", "ż": "zh"}


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _script_of(ch: str) -> str:
    if "\u0400" <= ch <= "\u052f":
        return "cyrillic"
    if "\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff":
        return "greek"
    return "latin"


def _compile(table: dict[str, str]) -> tuple[dict, tuple[tuple[str, str], ...]]:
    """A table as str.translate's map (single letters) and its digraphs (read first)."""
    singles = str.maketrans({k: v for k, v in table.items() if len(k) == 1})
    digraphs = tuple((k, v) for k, v in table.items() if len(k) == 2)
    return singles, digraphs


_COMPILED: dict[int, tuple[dict, tuple[tuple[str, str], ...]]] = {}


def _apply(word: str, table: dict[str, str], initial: dict[str, str] | None = None) -> str:
    """Spell one word (lower case, Greek accents already removed) with one table, digraphs first."""
    compiled = _COMPILED.get(id(table))
    if compiled is None:
        compiled = _COMPILED[id(table)] = _compile(table)
    singles, digraphs = compiled
    prefix = ""
    if initial and word[:1] in initial:
        prefix, word = initial[word[0]], word[1:]
    for pair, latin in digraphs:
        if pair in word:
            word = word.replace(pair, latin)
    return prefix + word.translate(singles)


def _latin_spellings(word: str) -> set[str]:
    """A Latin word: the umlauts expanded (mueller) and stripped (muller)."""
    if word.isascii():
        return {word}
    expanded = "".join(EXPANDED.get(ch, ch) for ch in word)
    spellings = set()
    for form in (expanded, word):
        form = "".join(LATIN_SPECIAL.get(ch, ch) for ch in form)
        spellings.add(_strip_marks(form))
    return spellings


_NOT_LATIN = re.compile("[^a-z0-9]+")


def spellings(word: str) -> tuple[str, set[str]]:
    """(the ICAO 9303 spelling, every Latin spelling) of one case-folded word, letters a-z and digits.

    The first is the one a passport would print (for a Latin word: its letters without marks).

    >>> canonical, spelt = spellings("щербаков")
    >>> canonical, sorted(spelt & {"shcherbakov", "schtscherbakow", "szczerbakow", "chtcherbakov", "x"})
    ('shcherbakov', ['chtcherbakov', 'schtscherbakow', 'shcherbakov', 'szczerbakow'])
    """
    scripts = {_script_of(ch) for ch in word if ch.isalpha()}
    results: set[str] = set()
    if "cyrillic" in scripts or "greek" in scripts:
        # Й and Ё lose their marks under NFKD: keep them whole for the Cyrillic tables.
        base = word if "cyrillic" in scripts else _strip_marks(word)
        tables = (CYRILLIC_SYSTEMS if "cyrillic" in scripts else ()) + (
            GREEK_SYSTEMS if "greek" in scripts else ())
        primary = ""
        for table in tables:
            spelt = _apply(base, table, INITIAL_CYRILLIC.get(id(table)))
            if "greek" in scripts and "cyrillic" in scripts:
                spelt = _apply(spelt, ICAO_GREEK if table in CYRILLIC_SYSTEMS else ICAO_CYRILLIC)
            forms = _latin_spellings(spelt)
            if not primary:
                primary = _NOT_LATIN.sub("", _strip_marks("".join(LATIN_SPECIAL.get(c, c) for c in spelt)))
            results |= forms
    else:
        results = _latin_spellings(word)
        primary = _NOT_LATIN.sub("", _strip_marks("".join(LATIN_SPECIAL.get(c, c) for c in word)))
    cleaned = {_NOT_LATIN.sub("", s) for s in results}
    cleaned.discard("")
    if primary:
        cleaned.add(primary)
    return primary or min(cleaned, default=""), cleaned


__all__ = ["spellings", "CYRILLIC_SYSTEMS", "GREEK_SYSTEMS", "ICAO_CYRILLIC", "ICAO_GREEK"]
