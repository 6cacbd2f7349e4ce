"""Dates of birth as the cross-check compares them: year, or year and month, or the day, each with its
precision, and a flag for the placeholder dates registers use when the day is unknown (1900-01-01 …)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from casemgmt.crosscheck.normalise import NormalisationError, fold
from portal.enums import N_


# ----------------------------------------------------------------------------- dates of birth
@dataclass(frozen=True)
class BirthDate:
    """A date of birth as far as it is known: year, or year and month, or the day."""

    year: int
    month: int | None = None
    day: int | None = None
    placeholder: bool = False  # 1 January or 1900-01-01-style: known to the year at best

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def key(self) -> str:
        """YYYY, YYYYMM or YYYYMMDD, to the precision known."""
        return f"{self.year:04d}" + (f"{self.month:02d}" if self.month else "") + (
            f"{self.day:02d}" if self.day else "")

    def swapped(self) -> BirthDate | None:
        """Day and month exchanged (03/04 read as 04/03), when that is another valid date."""
        if not (self.day and self.month) or self.day == self.month or self.day > 12:
            return None
        return BirthDate(self.year, self.day, self.month)

    def text(self) -> str:
        return "-".join(part for part in (
            f"{self.year:04d}", f"{self.month:02d}" if self.month else "", f"{self.day:02d}" if self.day else "")
            if part)

    @classmethod
    def from_key(cls, key: str | None, placeholder: bool = False) -> BirthDate | None:
        if not key:
            return None
        return cls(int(key[:4]), int(key[4:6]) if len(key) >= 6 else None,
                   int(key[6:8]) if len(key) >= 8 else None, placeholder)


# Dates that systems write when the real one is unknown: never evidence of identity.
UNKNOWN_DATES = frozenset({(1900, 1, 1), (1901, 1, 1), (1800, 1, 1), (1, 1, 1), (1970, 1, 1),
                           (9999, 12, 31), (1111, 11, 11), (1899, 12, 31)})
UNKNOWN_YEARS = frozenset({1, 1111, 1800, 1899, 1900, 9999})
_ISO = re.compile(r"^(\d{4})(?:[-./](\d{1,2}|xx|00)(?:[-./](\d{1,2}|xx|00))?)?$")
_DMY = re.compile(r"^(?:(\d{1,2}|xx|00)[-./])?(\d{1,2}|xx|00)[-./](\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _number(part: str | None) -> int | None:
    if part is None or part in ("xx", "00", "0"):
        return None
    return int(part)


def parse_birth_date(value, precision: str | None = None) -> BirthDate | None:
    """Read a date of birth: 1980-03-04, 04.03.1980 (day first, as in Europe), 1980-03, 1980,
    19800304, a date; 00 or XX for an unknown day or month. `precision` (day/month/year) cuts a
    full date to what is known. 1 January is kept as a placeholder (known to the year only);
    1900-01-01, 1970-01-01 and the like are no date at all. Returns None for an empty value."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        year, month, day = value.year, value.month, value.day
    else:
        text = fold(str(value)).strip()
        if not text:
            return None
        if m := _COMPACT.match(text):
            year, month, day = int(m[1]), int(m[2]), int(m[3])
        elif m := _ISO.match(text):
            year, month, day = int(m[1]), _number(m[2]), _number(m[3])
        elif m := _DMY.match(text):
            year, month, day = int(m[3]), _number(m[2]), _number(m[1])
        else:
            raise NormalisationError(N_("%(value)r is not a date of birth (e.g. 1980-03-04, 04.03.1980 or 1980)"), value=value)
    if month is None:
        day = None
    if precision == "year":
        month = day = None
    elif precision == "month":
        day = None
    if (year, month, day) in UNKNOWN_DATES or (month is None and year in UNKNOWN_YEARS):
        return None
    if not 1850 <= year <= dt.date.today().year:
        raise NormalisationError(N_("%(value)r: the year %(year)s is not a plausible year of birth"), value=value, year=year)
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise NormalisationError(N_("%(value)r is not a valid date"), value=value) from None
    if month == 1 and day == 1:
        return BirthDate(year, placeholder=True)
    return BirthDate(year, month, day)

