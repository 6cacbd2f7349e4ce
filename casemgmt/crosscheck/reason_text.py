"""A cross-check hit's words in the reader's language: its reasons and the two sides' short descriptions.

A hit's reasons are stored in English as the matcher wrote them (`matching.py`, `names.py`), and stay so: the
API and the case file's export give them as stored, and a decision refers to what the officer read. Shown on
the hits page, each is matched against the sentences the matcher writes and said again in the page's language,
its values (names, dates, numbers, identifiers, country codes) unchanged, as the case's log is
(`casemgmt/log_text.py`). A text no sentence matches (one written before a sentence changed) is shown as it is
stored. tests/casemgmt/crosscheck/test_reason_text.py says every reason the demo's hits hold in French and German.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from casemgmt.crosscheck.keys import IDENTIFIER_KINDS
from casemgmt.crosscheck.names import AGREEMENT
from portal.enums import N_, reader_language, say, say_n_in, translated

# the identifier kinds' labels and caveats and the names' agreement levels, as the matcher writes them (marked N_
# where they are defined: casemgmt/crosscheck/keys.py, names.py)
KIND_LABELS = frozenset(kind.label for kind in IDENTIFIER_KINDS.values())
CAVEATS = frozenset(kind.caveat for kind in IDENTIFIER_KINDS.values() if kind.caveat)
LEVELS = AGREEMENT
SIDES = {"either side": N_("either side"), "the case's entity": N_("the case's entity"),
         "the matched record": N_("the matched record")}


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _kind(value: str) -> str:
    return translated(value) if value in KIND_LABELS else value


def _caveat(value: str) -> str:
    return translated(value) if value in CAVEATS else value


def _side(value: str) -> str:
    return translated(SIDES[value]) if value in SIDES else value


@cache
def _level_patterns() -> list[tuple[re.Pattern, str]]:
    """Each level's English words (AGREEMENT) as a pattern: its %(code)s and %(sim)s read back as values."""
    out = []
    for english in AGREEMENT.values():
        pattern = re.escape(english).replace(re.escape("%(code)s"), "(?P<code>.+?)")
        pattern = pattern.replace(re.escape("%(sim)s"), "(?P<sim>\\d+%)")
        out.append((re.compile(f"^{pattern}$"), english))
    return out


def _level(value: str) -> str:
    for pattern, sentence in _level_patterns():
        if (found := pattern.match(value)) is not None:
            return say(sentence, **found.groupdict()) if found.groupdict() else translated(sentence)
    return value


def _pairs(value: str) -> str:
    """The aligned words with their levels ("sanne: the same; vanderberg: particle written joined and apart")."""
    def one(part: str) -> str:
        words, sep, level = part.partition(": ")
        return f"{words}: {_level(level)}" if sep else part
    return "; ".join(one(p) for p in value.split("; "))


def _without(value: str) -> str:
    return "; " + say_n_in(reader_language(), "%(num)s word without a counterpart", "%(num)s words without a counterpart",
                            int(value)) if value else ""


def _limits(value: str) -> str:
    return "; ".join(readable_reason(x) for x in value.split("; "))


_DATE = r"(?P<date>\d{4}(?:-\d{2}){0,2})"
_OTHER = r"(?P<other>\d{4}(?:-\d{2}){0,2})"
_NAMES = r"\(after transliteration, Jaro-Winkler and Indel: (?P<pairs>.*?)(?:; (?P<without>\d+) word\(s\) without a counterpart)?\)"
_SENTENCES_ENGLISH: list[tuple[str, str, dict[str, Callable[[str], str]]]] = [
    # names.py name_reason
    (f"names agree (?P<pct>\\d+%) {_NAMES}",
     N_("names agree %(pct)s (after transliteration, Jaro-Winkler and Indel: %(pairs)s%(without)s)"),
     {"pairs": _pairs, "without": _without}),
    (f"names differ \\((?P<pct>\\d+%)\\) {_NAMES}",
     N_("names differ (%(pct)s) (after transliteration, Jaro-Winkler and Indel: %(pairs)s%(without)s)"),
     {"pairs": _pairs, "without": _without}),
    # matching.py _birth_evidence
    (f"date of birth {_DATE} and {_OTHER} differ only in the year \\(a typo\\?\\)",
     N_("date of birth %(date)s and %(other)s differ only in the year (a typo?)"), {}),
    (f"dates of birth differ: {_DATE} and {_OTHER}", N_("dates of birth differ: %(date)s and %(other)s"), {}),
    (f"same date of birth {_DATE}", N_("same date of birth %(date)s"), {}),
    (f"date of birth {_DATE} is {_OTHER} with day and month swapped",
     N_("date of birth %(date)s is %(other)s with day and month swapped"), {}),
    (f"dates of birth differ in the day: {_DATE} and {_OTHER}",
     N_("dates of birth differ in the day: %(date)s and %(other)s"), {}),
    (f"born the same month {_DATE} \\(known to the month only\\)",
     N_("born the same month %(date)s (known to the month only)"), {}),
    (f"born the same year {_DATE} \\(1 January is a placeholder date: year only\\)",
     N_("born the same year %(date)s (1 January is a placeholder date: year only)"), {}),
    (f"born the same year {_DATE} \\(known to the year only\\)",
     N_("born the same year %(date)s (known to the year only)"), {}),
    # matching.py score_person
    ("surname and given names swapped", N_("surname and given names swapped"), {}),
    (f"no date of birth to compare \\(none on (?P<side>{_alternatives(SIDES)})\\): the name alone makes at most a "
     "possible hit", N_("no date of birth to compare (none on %(side)s): the name alone makes at most a possible hit"),
     {"side": _side}),
    ("same nationality (?P<country>.+)", N_("same nationality %(country)s"), {}),
    ("nationality differs: (?P<country>.+?) and (?P<other>.+)", N_("nationality differs: %(country)s and %(other)s"),
     {}),
    (f"nationality not compared \\(not known on (?P<side>{_alternatives(SIDES)})\\)",
     N_("nationality not compared (not known on %(side)s)"), {"side": _side}),
    ("very common name: the name alone cannot make a hit", N_("very common name: the name alone cannot make a hit"),
     {}),
    # matching.py score_identifiers, score
    (f"same (?P<kind>{_alternatives(KIND_LABELS)}) (?P<value>.+) but issued by (?P<country>\\S+) and (?P<other>\\S+)",
     N_("same %(kind)s %(value)s but issued by %(country)s and %(other)s"), {"kind": _kind}),
    (f"same (?P<kind>{_alternatives(KIND_LABELS)}) (?P<value>.+) \\((?P<caveat>{_alternatives(CAVEATS)})\\)",
     N_("same %(kind)s %(value)s (%(caveat)s)"), {"kind": _kind, "caveat": _caveat}),
    (f"same (?P<kind>{_alternatives(KIND_LABELS)}) (?P<value>.+)", N_("same %(kind)s %(value)s"), {"kind": _kind}),
    (f"(?P<kind>{_alternatives(KIND_LABELS)}) differs: (?P<value>.+?) and (?P<other>.+)",
     N_("%(kind)s differs: %(value)s and %(other)s"), {"kind": _kind}),
    ("no name compared: the matched record names nobody", N_("no name compared: the matched record names nobody"), {}),
    ("no name compared: the case's entity names nobody", N_("no name compared: the case's entity names nobody"), {}),
    # matching.py why_not_stronger and the limits it gives
    ("possible, not strong: (?P<limits>.+)", N_("possible, not strong: %(limits)s"), {"limits": _limits}),
    ("(?P<words>.+?) agree only as (?P<level>.+?): a strong hit needs every word the same up to a transliteration, "
     "a spelling or one keying error, or an identifier in common",
     N_("%(words)s agree only as %(level)s: a strong hit needs every word the same up to a transliteration, a spelling "
        "or one keying error, or an identifier in common"), {"level": _level}),
    ("the names are alike, not the same \\((?P<pct>\\d+%)\\)", N_("the names are alike, not the same (%(pct)s)"), {}),
    ("the dates of birth differ", N_("the dates of birth differ"), {}),
    ("the date of birth is not known to the day on both sides",
     N_("the date of birth is not known to the day on both sides"), {}),
    ("no date of birth to compare", N_("no date of birth to compare"), {}),
    ("the nationalities differ", N_("the nationalities differ"), {}),
    ("the name is very common", N_("the name is very common"), {}),
    (f"the (?P<kind>{_alternatives(KIND_LABELS)}) was issued by two countries",
     N_("the %(kind)s was issued by two countries"), {"kind": _kind}),
    (f"(?P<caveat>{_alternatives(CAVEATS)})", "%(caveat)s", {"caveat": _caveat}),  # said as its own label
    ("the evidence adds up to (?P<pct>\\d+%), below the (?P<strong>\\d+%) of a strong hit",
     N_("the evidence adds up to %(pct)s, below the %(strong)s of a strong hit"), {}),
]
SENTENCES = [(re.compile(f"^{p}$"), s, c) for p, s, c in _SENTENCES_ENGLISH]


def readable_reason(reason: str) -> str:
    """One of a hit's reasons in the page's language (above); the stored reason is not changed."""
    text = str(reason or "")
    for pattern, sentence, converters in SENTENCES:
        if (found := pattern.match(text)) is not None:
            values = {k: converters[k](v or "") if k in converters else v for k, v in found.groupdict().items()}
            return say(sentence, **values) if values else translated(sentence)
    return text


def readable_subject(display: str) -> str:
    """A side's short description ("VAN DER BERG, Sanne · born 1993-08-02 · NL") in the page's language: its
    date of birth said so; names, nationality and identifiers as stored (casemgmt/crosscheck/reference.py)."""
    parts = str(display or "").split(" · ")
    return " · ".join(say("born %(date)s", date=p.removeprefix("born ")) if re.fullmatch(r"born \d[-\d]*", p) else p
                      for p in parts)


__all__ = ["readable_reason", "readable_subject", "KIND_LABELS", "CAVEATS", "LEVELS"]
