"""Rules of case management: each module takes a session and plain values, and imports nothing from Flask."""


class CaseError(ValueError):
    """A rule was broken; `field` names the form or payload field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
