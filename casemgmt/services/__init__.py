"""Rules of case management: each module takes a session and plain values, and imports nothing from Flask."""

from portal.errors import RuleError


class CaseError(RuleError):
    """A rule was broken; `field` names the form or payload field it belongs to (portal.errors.RuleError:
    a page shows it beside that field, the API answers 422 naming it)."""
