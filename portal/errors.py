"""The one base of the domains' rule errors, and the one way a page shows one.

A service refuses bad input or a forbidden change of state by raising a subclass of `RuleError`
(MeetingError, TrainingError, FundingError, AccountError, DirectoryError, QuestionnaireError, ...)
with the message a user reads and the field it concerns. A page puts it beside that field
(`show_beside_field`); the API answers with the error's status (422 bad input, 409 a conflict with
the current state) and names the field (portal/api.py's handler). Nothing was changed: the view
rolls the session back.

The message is in the reader's language (issue 19, item 12). It is written in English, a catalogue
message (portal/i18n.py's RULE_ERRORS extract it where it is raised), with named placeholders for
what changes (`DirectoryError("Enter a year between %(low)s and %(high)s.", "year", low=2000, high=2100)`).
It is looked up once, when it is shown: `str(exc)` and `rule_message(exc)` give it in the language of the
page or API answer being made (the API's: its token user's), in English outside a request (the command
line, the worker). `message` and `params` keep the catalogue message and its values, `english` the
English text (for a log).
"""

from __future__ import annotations

from portal.enums import translated


class RuleError(ValueError):
    """A rule refused the input; `field` names the form field or JSON member it is about."""

    status = 422  # the API's answer: 422 bad input, 409 (in a subclass) a conflict with the current state
    code = "invalid"

    def __init__(self, message: str, field: str | None = None, **params):
        super().__init__(message)
        self.field = field
        self.message = message
        self.params = params

    def __str__(self) -> str:
        """The message in the language of the page or API answer being made (English outside a request)."""
        return self.text(translated)

    def text(self, lookup) -> str:
        """The message looked up with `lookup` (a catalogue's, or none for English), its values put in."""
        return fill(lookup(self.message), self.params, self.message)

    @property
    def english(self) -> str:
        """The message in English, its placeholders filled (for a log)."""
        return self.text(str)


def fill(text: str, params: dict, english: str) -> str:
    """`text` with its %(name)s placeholders filled; the English message when a translation is broken."""
    if not params:
        return text
    try:
        return text % params
    except (KeyError, ValueError, TypeError):
        return english % params


def rule_message(exc: Exception) -> str:
    """A rule error's message in the language of the page or API answer being made (its catalogue message
    translated, then its values put in); any other exception's text as it is."""
    return str(exc)


class ConflictError(RuleError):
    """The input is well formed but the object's current state refuses it (API: 409)."""

    status = 409
    code = "conflict"


class NotFoundError(RuleError):
    """What the request names does not exist here, or is not the user's to see (another country's): a page
    answers 404, the API 404 naming no field (portal/api.py's handler)."""

    status = 404
    code = "not_found"


def show_beside_field(form, exc: Exception, *, fallback: str = "flash", fields: dict | None = None) -> None:
    """Put a rule error beside the form field it names. `fields` maps the name a service gives to the
    form's field where it differs ({"password": "new_password"}). When the form has no such field: flash it
    as a message (fallback="flash"), or put it beside the form's first field (fallback="first")."""
    name = getattr(exc, "field", None)
    name = (fields or {}).get(name, name)
    target = getattr(form, name, None) if name and form is not None else None
    if target is None or not hasattr(target, "errors"):
        if fallback == "first" and form is not None:
            target = next(iter(form))
        else:
            from flask import flash

            flash(rule_message(exc), "danger")
            return
    target.errors = [*(target.errors or []), rule_message(exc)]
