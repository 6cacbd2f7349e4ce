"""A phonetic key for names, tuned so that transliteration variants of one name share it.

Soundex and Metaphone were made for English spellings; the names a SPOC sees come through
Cyrillic, Greek, German, Polish, French and English spelling habits. This key follows the idea
of Daitch–Mokotoff (letter groups that sound alike map to one code, the group read longest
first) with groups chosen for those habits:

  P  p, b, mp (Greek ΜΠ)                             Labros / Lampros
  F  f, v, w, ph                                     Ivanov / Iwanow / Ivanoff
  T  t, d, th, dt, nt (Greek ΝΤ)                     Theodoros / Teodoros
  K  k, g, q, ck, gh, gk, qu, hard c; x is KS        Alexandros / Aleksandros
  H  h, ch, kh, tch, tsch, cz, cs                    Khristos / Christos / Hristos, Chernov / Tschernow
  S  s, z, sh, sch, shch, szcz, schtsch, zh, ts,     Shevchenko / Schewtschenko / Szewczenko
     tz, sz, zs, dz, soft c (before e, i, y)
  L, M, N, R  themselves

The input is one Latin spelling in lower case (transliteration.py makes them: ß is already ss,
č already c or ch). Vowels (a e i o u y) and j are dropped, as is a final h (Abdullah/Abdulla);
a code repeated next to itself is written once (Papadopoulos → PTPLS). A word with no consonant keeps its vowels
in brackets, so that short names such as "Ia" still have a key.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish

# Longest groups first: the reader takes the longest group that starts at the current letter.
_GROUPS = {
    "schtsch": "S", "shch": "S", "szcz": "S", "tsch": "H", "sch": "S", "tch": "H",
    "ch": "H", "kh": "H", "cz": "H", "cs": "H",
    "sh": "S", "zh": "S", "ts": "S", "tz": "S", "sz": "S", "zs": "S", "dz": "S",
    "ph": "F", "th": "T", "dt": "T", "ck": "K", "gh": "K", "gk": "K", "qu": "K",
    "mp": "P", "nt": "T", "ks": "KS",
    "ce": "S", "ci": "S", "cy": "S",  # a soft c (the vowel after it is dropped anyway)
    "b": "P", "p": "P", "f": "F", "v": "F", "w": "F", "t": "T", "d": "T", "k": "K", "g": "K", "q": "K",
    "c": "K", "x": "KS", "h": "H", "s": "S", "z": "S", "l": "L", "m": "M", "n": "N", "r": "R",
}
_READER = re.compile("|".join(sorted((g for g in _GROUPS if len(g) > 1), key=len, reverse=True)) + "|[a-z]")
_REPEATS = re.compile(r"(.)\1+")
_NOT_LETTERS = re.compile("[^a-z]+")


@lru_cache(maxsize=300_000)
def phonetic_key(word: str) -> str:
    """The phonetic key of one Latin word (lower case a-z; other characters are ignored).

    >>> phonetic_key("ivanov"), phonetic_key("iwanow"), phonetic_key("ivanoff")
    ('FNF', 'FNF', 'FNF')
    >>> phonetic_key("shevchenko"), phonetic_key("schewtschenko"), phonetic_key("szewczenko")
    ('SFHNK', 'SFHNK', 'SFHNK')
    """
    word = _NOT_LETTERS.sub("", word.lower())
    if len(word) > 2 and word[-1] == "h" and word[-2] in "aeiouy":
        word = word[:-1]
    get = _GROUPS.get
    key = _REPEATS.sub(r"\1", "".join([get(group, "") for group in _READER.findall(word)]))
    if not key:
        return f"[{word}]" if word else ""
    return key


_Y_BETWEEN_VOWELS = re.compile(r"(?<=[aeiou])y(?=[aeiou])|(?<=[aeiou])y$")


@lru_cache(maxsize=300_000)
def metaphone_key(word: str) -> str:
    """Lawrence Philips' Metaphone (1990; jellyfish's implementation) of one Latin word: a second,
    published phonetic key beside phonetic_key, for sound-alike spellings of Western European
    names that the letter groups above do not join (Meyer / Maier, Philips / Filips).

    A y between vowels or after a final vowel is read as i first (German and Dutch ey / ay are
    ei / ai: Meyer, Mayer, Maier and Meier all read MR); a key shorter than two letters is none.

    >>> metaphone_key("meyer"), metaphone_key("maier"), metaphone_key("philips"), metaphone_key("filips")
    ('MR', 'MR', 'FLPS', 'FLPS')
    """
    word = _NOT_LETTERS.sub("", word.lower())
    if len(word) < 3:
        return ""
    key = jellyfish.metaphone(_Y_BETWEEN_VOWELS.sub("i", word))
    return key if len(key) >= 2 else ""


__all__ = ["phonetic_key", "metaphone_key"]
