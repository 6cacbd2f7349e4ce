"""The lines of a case page's log, each written once per what it shows (issue 24: every opening of a case adds an
entry, so the log is never kept whole; loading its 25 entries through the ORM and writing each one's moment, user,
operation and words were a quarter of the page's time).

A line is kept through portal/fragments.py under the whole row of its entry as stored (an entry never changes, but
the key holds all its columns, so a change made by any means is another key), the page's language and the time
zone; the case's country leads the key. A line not kept is written from its entry, loaded through the ORM.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup

from casemgmt.models import Case
from portal.audit import AuditEntry
from portal.fragments import fragments
from portal.layout import user_zone


def log_lines(session, case: Case, rows: list[tuple]) -> list[Markup]:
    """The lines of `rows` (casemgmt.services.access_log.latest_case_rows), newest first as the page shows them."""
    page = (str(get_locale()), str(user_zone()))
    line = current_app.jinja_env.get_template("casemgmt/_case_log_line.html")  # its filters alone, no page context

    def write(entry_id: int) -> str:
        return line.render(e=session.get(AuditEntry, entry_id))

    cache = fragments()
    return [cache.get((case.country_code, "case-log", row, *page), lambda row=row: write(row[0])) for row in rows]
