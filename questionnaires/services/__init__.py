"""Business rules of the questionnaires: one module per topic (versions, validation, form values,
responses, rounds, reminders). Services take a session and plain values and import nothing from Flask."""

from __future__ import annotations

from portal.enums import N_
from portal.errors import RuleError


class QuestionnaireError(RuleError):
    """A refused operation; `field` names the form field (or question id) it is about."""


class InvalidAnswers(QuestionnaireError):
    """Some values are not valid; `errors` maps question id → message. Nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(N_("Some answers are not valid: %(problems)s"),
                         problems="; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class StaleVersion(QuestionnaireError):
    """The response changed since the caller read it (API: 409)."""

    status, code = 409, "stale_version"


class Locked(QuestionnaireError):
    """The response is submitted or its round is closed: it cannot be edited."""

    status, code = 409, "locked"
