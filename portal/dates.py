"""How the portal writes a day: one format per language on pages, in mails and in documents (DOCX, PDF, XLSX).

English 31 Jan 2030, French 31 janv. 2030, German 31. Jan. 2030 (Babel's month abbreviations, CLDR). The language
is the page's (the reader's), or the one a mail or a worker's build forces (Flask-Babel's `force_locale`), or the
one given; English outside a request. Every day a person reads goes through `format_day` (the `day` filter of the
pages, `local_day` of the mails, `local_time` for a moment), never through a hand-written strftime pattern.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date, get_day_names

# One medium format per language (CLDR patterns); English as the portal always wrote it ("%d %b %Y")
DAY_PATTERNS = {"en": "dd MMM y", "fr": "d MMM y", "de": "d. MMM y"}
SHORT_DAY_PATTERNS = {"en": "dd MMM", "fr": "d MMM", "de": "d. MMM"}  # the first day of a span: 30 Jan – 31 Jan 2030
DATE_FORMAT = "%d %b %Y"  # the English pattern, as strftime writes it


def language_now() -> str:
    """The language of what is being written: the page's, or the one forced for a mail or a build; else English."""
    from portal.i18n import current_language

    return current_language()


def _language(language: str | None) -> str:
    language = language or language_now()
    return language if language in DAY_PATTERNS else "en"


def format_day(value: dt.date | str | None, empty: str = "—", language: str | None = None) -> str:
    """A calendar day (a due date, a deadline; or an answer stored as YYYY-MM-DD) as 31 Jan 2030 in English,
    31 janv. 2030 in French, 31. Jan. 2030 in German."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value or empty
    if not value:
        return empty
    lang = _language(language)
    return _written(_day_of(value), DAY_PATTERNS[lang], lang)


def format_short_day(value: dt.date, language: str | None = None) -> str:
    """A day without its year (the first day of a span): 30 Jan, 30 janv., 30. Jan."""
    lang = _language(language)
    return _written(_day_of(value), SHORT_DAY_PATTERNS[lang], lang)


def _day_of(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@lru_cache(maxsize=4096)
def _written(day: dt.date, pattern: str, lang: str) -> str:
    """Babel's writing of a day, once per day, pattern and language (issue 24: a case page's log writes 25 moments,
    mostly of the same few days, and Babel's formatting of each was a tenth of the page's time)."""
    return format_date(day, pattern, locale=lang)


def format_weekday(value: dt.date, language: str | None = None) -> str:
    """The abbreviated name of the day of the week: Mon, lun., Mo."""
    lang = _language(language)
    return get_day_names("abbreviated", locale=lang)[value.weekday()]


_PARTS = (("%a %d %b %Y", "\x01\x02"), ("%d %b %Y", "\x02"), ("%d %b", "\x03"), ("%a", "\x01"))


def format_moment(value: dt.datetime | dt.date, fmt: str = "%d %b %Y %H:%M", language: str | None = None) -> str:
    """A local time (or a day) written with a strftime pattern whose day parts are written in the reader's language:
    "%d %b %Y" is `format_day`, "%d %b" `format_short_day`, "%a" `format_weekday`; the rest (%H:%M) as strftime."""
    lang = _language(language)
    for part, mark in _PARTS:
        fmt = fmt.replace(part, mark)
    text = value.strftime(fmt)
    if "\x01\x02" in text:
        text = text.replace("\x01\x02", f"{format_weekday(value, lang)} {format_day(value, language=lang)}")
    # each part written only when the pattern has it
    if "\x02" in text:
        text = text.replace("\x02", format_day(value, language=lang))
    if "\x03" in text:
        text = text.replace("\x03", format_short_day(value, lang))
    if "\x01" in text:
        text = text.replace("\x01", format_weekday(value, lang))
    return text


class Later:
    """A text written when it is shown, not when it is made: a mail's context is made once and rendered in each
    recipient's language (portal/mail/ forces it), so a day in it is written then. `str(Later(fn))` is fn()."""

    __slots__ = ("_write",)

    def __init__(self, write):
        self._write = write

    def __str__(self) -> str:
        return self._write()

    def __bool__(self) -> bool:
        return True
