"""Rules of training coordination, one module per topic; each takes a session and imports nothing from Flask."""

from __future__ import annotations


class TrainingError(ValueError):
    """A rule refused the input; `field` names the form field (or API field) it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
