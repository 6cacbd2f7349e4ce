"""Question types of one value: text, long text, number, date, time, date and time, file, calculated."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

from portal.dates import format_day
from questionnaires.definitions import Question, tr
from questionnaires.question_types import FormData, QuestionType, TidyRow, first_value
from questionnaires.xlsform.layout import OWN_CONSTRAINT, bounds_constraint

MAX_TEXT_CHARS = 50_000  # any text answer, whatever max_length its question sets or omits
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2})?")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?")


def number_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def on_step(value: float, start: float, step: float) -> bool:
    steps = (value - start) / step
    return abs(steps - round(steps)) < 1e-9


class Text(QuestionType):
    name, multiline = "text", False
    xlsform_types = frozenset({"text"})

    def parse(self, q: Question, form: FormData):
        return (first_value(form, f"a.{q.id}").strip() or None), None

    def check(self, q: Question, value: object) -> str | None:
        if not isinstance(value, str):
            return "Enter text."
        limit = min(q.max_length, MAX_TEXT_CHARS) if q.max_length is not None else MAX_TEXT_CHARS
        if len(value) > limit:
            return f"At most {limit} characters (this is {len(value)})."
        if not self.multiline and ("\n" in value or "\r" in value):
            return "Enter a single line."
        return None


    def demo_values(self, q: Question, demo):
        for _ in range(3):
            yield demo.text(q)


class LongText(Text):
    name, multiline = "long_text", True

    def parse(self, q: Question, form: FormData):
        return (first_value(form, f"a.{q.id}").replace("\r\n", "\n").strip() or None), None

    def xlsform(self, q, row, meta, writer) -> None:
        row["type"], row["appearance"] = "text", "multiline"


class Number(QuestionType):
    name = "number"
    stepped = True
    report = "number"
    tables = frozenset({"numbers", "figures", "compared"})
    xlsform_types = frozenset({"integer", "decimal", "range"})

    def demo_values(self, q: Question, demo):
        """Within the bounds: a random figure, then halfway closer to the lower bound each time."""
        rng = demo.rng
        lo = q.min if q.min is not None else 0.0
        hi = q.max if q.max is not None else lo + 1000
        hi = min(hi, lo + rng.choice([20, 60, 150, 400]))
        value = rng.uniform(lo, hi)
        for _ in range(12):
            yield int(round(value)) if q.integer else round(value, 1)
            value = lo + (value - lo) / 2
        yield int(round(lo)) if q.integer else round(lo, 1)

    def parse(self, q: Question, form: FormData):
        text = first_value(form, f"a.{q.id}").strip().replace(" ", "").replace(",", ".")
        if not text:
            return None, None
        try:
            number = float(text)
        except ValueError:
            return text, "Enter a number."
        if number != number or number in (float("inf"), float("-inf")):
            return text, "Enter a number."
        if number.is_integer():
            return int(number), None
        return number, None

    def check(self, q: Question, value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return "Enter a number."
        if q.integer and not float(value).is_integer():
            return "Enter a whole number."
        if q.min is not None and value < q.min:
            return f"The smallest allowed value is {number_text(q.min)}."
        if q.max is not None and value > q.max:
            return f"The largest allowed value is {number_text(q.max)}."
        if q.step is not None and not on_step(value, q.min or 0, q.step):
            return f"Choose a value in steps of {number_text(q.step)} from {number_text(q.min or 0)}."
        return None

    def display(self, q: Question, value: object, lang: str) -> str:
        unit = tr(q.unit, lang) if q.unit else ""
        return f"{number_text(value)} {unit}".strip()

    def export_columns(self, q: Question, label: str, lang: str):
        unit = f" ({tr(q.unit, lang)})" if q.unit else ""
        return [("", label + unit, lambda v: int(v) if isinstance(v, float) and v.is_integer() else v, "")]

    def tidy_rows(self, q: Question, value: object, lang: str) -> list[TidyRow]:
        """One row: the number as a float, its label as text."""
        if isinstance(value, bool):
            return []
        try:
            number = float(value)
        except (TypeError, ValueError):
            return []
        return [("", number, f"{number:g}")]

    def profile_values(self, q: Question, value: object, lang: str) -> list[str]:
        unit = f" {tr(q.unit, lang)}" if q.unit else ""
        return [f"{float(value):g}{unit}"]

    def xlsform(self, q, row, meta, writer) -> None:
        row["type"] = "integer" if q.integer else "decimal"
        row["constraint"] = bounds_constraint(q.constraint, q.min, q.max)
        if row["constraint"] != q.constraint:
            meta[OWN_CONSTRAINT] = q.constraint  # so our import restores the question's own constraint


class _Timed(QuestionType):
    """A date, a time or both, as ISO text."""

    report = "time"
    tables: frozenset[str] = frozenset()
    pattern: re.Pattern
    parser = staticmethod(dt.date.fromisoformat)
    asks = ""

    def check(self, q: Question, value: object) -> str | None:
        if not isinstance(value, str) or not self.pattern.fullmatch(value):
            return f"Enter a {self.asks}."
        try:
            self.parser(value)
        except ValueError:
            return f"Enter a real {self.asks}."
        return None


class Date(_Timed):
    name, report, pattern, asks = "date", "date", _ISO_DATE, "date as YYYY-MM-DD"
    tables = frozenset({"numbers"})
    xlsform_types = frozenset({"date"})

    def demo_values(self, q: Question, demo):
        for _ in range(5):
            yield (demo.reference_day + dt.timedelta(days=demo.rng.randint(-900, 400))).isoformat()
        yield demo.reference_day.isoformat()

    def display(self, q: Question, value: object, lang: str) -> str:
        return format_day(value)


class Time(_Timed):
    name, pattern, asks = "time", _TIME, "time as HH:MM"
    xlsform_types = frozenset({"time"})
    parser = staticmethod(dt.time.fromisoformat)


class DateTime(_Timed):
    name, pattern, asks = "datetime", _DATETIME, "date and time as YYYY-MM-DDTHH:MM"
    xlsform_types = frozenset({"datetime"})
    parser = staticmethod(dt.datetime.fromisoformat)

    def display(self, q: Question, value: object, lang: str) -> str:
        return value.replace("T", " ") if isinstance(value, str) else str(value)

    def xlsform(self, q, row, meta, writer) -> None:
        row["type"] = "dateTime"


class File(QuestionType):
    name, report, in_form, uploaded, carried_over = "file", "free_text", False, True, False
    xlsform_types = frozenset({"file"})

    def parse(self, q: Question, form: FormData):
        return None, None  # uploads are handled by the caller; see form_values.file_removed

    def check(self, q: Question, value: object) -> str | None:
        if (not isinstance(value, dict) or set(value) != {"file_id", "name"}
                or not isinstance(value["file_id"], int) or isinstance(value["file_id"], bool)
                or not isinstance(value["name"], str)):
            return "Upload a file."
        return None

    def display(self, q: Question, value: object, lang: str) -> str:
        return str(value.get("name", "file")) if isinstance(value, dict) else str(value)

    def export_columns(self, q: Question, label: str, lang: str):
        return [("", label, lambda v: v.get("name") if isinstance(v, dict) else str(v), "")]

    def tidy_rows(self, q: Question, value: object, lang: str) -> list[TidyRow]:
        """One row: the file's name."""
        name = value.get("name", "") if isinstance(value, Mapping) else str(value)
        return [("", name, name)] if name else []

    def profile_values(self, q: Question, value: object, lang: str) -> list[str]:
        return [str(value.get("name", ""))] if isinstance(value, Mapping) else [str(value)]


class Calculated(QuestionType):
    name, report, in_form, computed, carried_over = "calculated", "calculated", False, True, False
    tables: frozenset[str] = frozenset()
    xlsform_types = frozenset({"calculate"})

    def parse(self, q: Question, form: FormData):
        return None, None  # computed from the other answers, never sent

    def check(self, q: Question, value: object) -> str | None:
        return "This value is calculated; it cannot be answered."

    def display(self, q: Question, value: object, lang: str) -> str:
        return Number.display(self, q, value, lang) if isinstance(value, int | float) else str(value)

    def xlsform(self, q, row, meta, writer) -> None:
        row["type"], row["calculation"] = "calculate", q.calculation


TYPES = (Text(), LongText(), Number(), Date(), Time(), DateTime(), File(), Calculated())
