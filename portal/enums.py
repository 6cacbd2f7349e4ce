"""Enumerations stored as their value and shown with a label: one base for every domain."""

from __future__ import annotations

import enum
from collections.abc import Callable

_translator: Callable[[str], str] = str


def _english() -> str:
    return "en"


_language: Callable[[], str] = _english


def set_translator(fn: Callable[[str], str]) -> None:
    """How a label is shown in the reader's language (portal.i18n sets it; untranslated outside a request)."""
    global _translator
    _translator = fn


def _untranslated(language: str, message: str, plural: str | None = None, num: int = 1) -> str:
    return plural if plural is not None and num != 1 else message


_translator_in: Callable[..., str] = _untranslated


def set_translator_in(fn: Callable[[str, str], str]) -> None:
    """How a message is put in a given language (portal.i18n sets it; untranslated outside the application)."""
    global _translator_in
    _translator_in = fn


def set_language(fn: Callable[[], str]) -> None:
    """How the reader's language is known (portal.i18n sets it: the page's, or a mail's under force_locale)."""
    global _language
    _language = fn


def reader_language() -> str:
    """The language of the page, API answer or mail being made ('en' outside a request)."""
    try:
        return _language() or "en"
    except RuntimeError:  # no application context
        return "en"


def N_(message: str) -> str:
    """Marks a message for the catalogues where it is written (a table of labels in a service, which has no
    Flask); it is translated where it is shown (`translated`, the templates' `t` filter)."""
    return message


def translated(label: str) -> str:
    """A label (an enumeration's, a role's) in the language of the page being made."""
    return _translator(label)


def say(message: str, **params) -> str:
    """A text a service writes for people (a report's title, a line with figures) in the language of the page or
    document being made, its %(name)s placeholders filled; marked for the catalogues where it is written."""
    return _filled(_translator(message), message, params)


def say_in(language: str, message: str, **params) -> str:
    """`say` in a language chosen for the text, not the reader's: a request to a partner SPOC in the language of
    the exchange (casemgmt/services/requests.py). Marked for the catalogues where it is written."""
    return _filled(_translator_in(language, message), message, params)


def say_n_in(language: str, singular: str, plural: str, num: int, **params) -> str:
    """`say_in` of a text with a count in it (ngettext): the form that language uses for `num` ("1 country",
    "2 countries"; French "0 pays" is singular, German "0 Länder" plural), `%(num)s` and other placeholders filled."""
    params = {"num": num, **params}
    return _filled(_translator_in(language, singular, plural, num), singular if num == 1 else plural, params)


def _filled(text: str, message: str, params: dict) -> str:
    if not params:
        return text
    try:
        return text % params
    except (KeyError, ValueError, TypeError):  # a broken translation: the English
        return message % params


# (enum class, value) -> label. Keyed by class too: members of two string enums with the same
# value compare equal, so a dict keyed by members would let one class's label replace another's.
_LABELS: dict[tuple[type, str], str] = {}


class LabelledEnum(enum.StrEnum):
    """Stored as its value; shown with its label (the value, made readable, when it has none)."""

    @property
    def label(self) -> str:
        return translated(_LABELS.get((type(self), self.value), self.value.replace("_", " ")))

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def of(cls, value):
        """The member stored as `value` (a member or its text); None for any other value (a form's or a
        query string's choice that is none of them)."""
        try:
            return cls(value)
        except ValueError:
            return None


def english_label(member: LabelledEnum) -> str:
    """A member's label as written, untranslated: the words a stored English text holds (a case log entry's
    "closed: information provided", casemgmt/log_text.py)."""
    return _LABELS.get((type(member), member.value), member.value.replace("_", " "))


def label_for(class_name: str, value: str | None) -> str:
    """A stored value shown by its label, the enumeration named by its class: `label_for("Channel", "SIENA")`
    (the `label` filter of the templates: `{{ case.channel|label("Channel") }}`); empty for no value."""
    if not value:
        return ""
    pending = list(LabelledEnum.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls.__name__ == class_name:
            try:
                return cls(value).label
            except ValueError:
                return translated(str(value).replace("_", " "))
        pending.extend(cls.__subclasses__())
    return translated(str(value).replace("_", " "))


def set_labels(labels: dict[type[LabelledEnum], dict[str, str]]) -> None:
    """Give the members of each class their display labels: {Class: {value: label}}."""
    for cls, by_value in labels.items():
        for value, label in by_value.items():
            _LABELS[(cls, str(value))] = label
