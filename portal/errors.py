"""The one base of the domains' rule errors, and the one way a page shows one.

A service refuses bad input or a forbidden change of state by raising a subclass of `RuleError`
(MeetingError, TrainingError, FundingError, AccountError, DirectoryError, QuestionnaireError, ...)
with the message a user reads and the field it concerns. A page puts it beside that field
(`show_beside_field`); the API answers with the error's status (422 bad input, 409 a conflict with
the current state) and names the field (portal/api.py's handler). Nothing was changed: the view
rolls the session back.

The message is a catalogue message (the error's class is an extraction keyword, portal/i18n.py
RULE_ERRORS): a plain string, its values as named placeholders given as keywords
(`CaseError("%(number)s is already linked.", "other", number=...)`) so that a translation may reorder
them. `str(exc)` is the English text (logs, the command line); `rule_message(exc)` the reader's, which
is what a page and the API show.
"""

from __future__ import annotations

from portal.enums import translated


class RuleError(ValueError):
    """A rule refused the input; `field` names the form field or JSON member it is about."""

    status = 422  # the API's answer: 422 bad input, 409 (in a subclass) a conflict with the current state
    code = "invalid"

    def __init__(self, message: str, field: str | None = None, **params):
        super().__init__(message % params if params else message)
        self.message = message  # the catalogue's message, before its values are put in
        self.params = params
        self.field = field


def rule_message(exc: Exception) -> str:
    """A rule error's message in the language of the page or API answer being made (its catalogue message
    translated, then its values put in); any other exception's text as it is."""
    message = getattr(exc, "message", None)
    if not isinstance(exc, RuleError) or not isinstance(message, str):
        return str(exc)
    text = translated(message)  # portal.i18n's lookup once the app is made (no Flask here: services may call it)
    if exc.params:
        try:
            return text % exc.params
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder: the English text
            return str(exc)
    return text


class ConflictError(RuleError):
    """The input is well formed but the object's current state refuses it (API: 409)."""

    status = 409
    code = "conflict"


def show_beside_field(form, exc: Exception, *, fallback: str = "flash") -> None:
    """Put a rule error beside the form field it names. When the form has no such field: flash it as
    a message (fallback="flash"), or put it beside the form's first field (fallback="first")."""
    name = getattr(exc, "field", None)
    target = getattr(form, name, None) if name and form is not None else None
    if target is None or not hasattr(target, "errors"):
        if fallback == "first" and form is not None:
            target = next(iter(form))
        else:
            from flask import flash

            flash(rule_message(exc), "danger")
            return
    target.errors = [*(target.errors or []), rule_message(exc)]
