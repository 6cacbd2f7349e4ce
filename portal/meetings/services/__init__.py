"""Rules of the meetings domain, one module per topic; each takes a session and imports nothing from Flask."""

from __future__ import annotations

from portal.errors import RuleError


class MeetingError(RuleError):
    """A rule refused the input; `field` names the form field (or API field) it is about."""
