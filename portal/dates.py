"""How the portal writes a day: one format on pages, in mails and in documents (31 Jan 2030)."""

from __future__ import annotations

import datetime as dt

DATE_FORMAT = "%d %b %Y"


def format_day(value: dt.date | str | None, empty: str = "—") -> str:
    """A calendar day (a due date, a deadline; or an answer stored as YYYY-MM-DD) as 31 Jan 2030."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value or empty
    return value.strftime(DATE_FORMAT) if value else empty
