"""The case page's folder (exchanges, approvals, the request, messages, persons and objects, attachments,
disseminations, tasks and notes, retention decisions) rendered once per what it shows, through
portal/fragments.py (issue 24: its rendering and the ORM loading of its ~25 tables' rows were two thirds
of the page's CPU).

The key holds every row the folder is made of, read as the driver returns them
(`casemgmt.services.folder.folder_fingerprint`: whole rows of each table, joined to the names of the
users and authorities it prints), every column of the case row, the page's language and time zone, and
what the template decides by the user: whether the user may handle the case, may approve four-eyes
drafts, and who the user is (a user never decides a draft of their own). The case's country leads the
key. A refused form re-shown (an entity's flag form with its error), any request but a GET, or a page
with a query string is rendered afresh. The log of the case (`_case_log.html`) gains an entry at every
opening and is never kept.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from casemgmt.models import Case
from portal.fragments import fragments, frozen
from portal.layout import user_zone

_COLUMNS = [c.key for c in Case.__mapper__.column_attrs]


def case_columns(case: Case) -> tuple:
    """Every column of the case row, for a key (the folder's and the column of actions')."""
    return tuple(frozen(getattr(case, c)) for c in _COLUMNS)


def folder_key(case: Case, context: dict) -> tuple:
    return (case.country_code, "case-folder", case.id, context["case_columns"], str(get_locale()), str(user_zone()),
            context["can_handle"], context["can_approve"], current_user.id, context["fingerprint"])


def folder_html(case: Case, context: dict, load: Callable[[], dict]) -> Markup:
    """The folder's HTML: kept by its key, or rendered with the page's context and the folder's data
    (`load()` reads them into the context)."""

    def render() -> str:
        return render_template("casemgmt/_case_folder.html", **load())

    if context["flag_target"] or context["f"].get("flag") or request.method != "GET" or request.args:
        return Markup(render())  # noqa: S704 - rendered by the template, escaped there
    return fragments().get(folder_key(case, context), render)


def xc_panel_html(case: Case, context: dict) -> Markup:
    """The cross-check panel, kept by the case's runs, hits and the SPOC's reference data sets (the side
    rows), today's date (a data set expires), the case row, language and time zone."""

    def render() -> str:
        return render_template("crosscheck/_case_panel.html", **context)

    key = (case.country_code, "xc-panel", case.id, context["case_columns"], str(get_locale()), str(user_zone()),
           context["side_rows"], context["today"])
    return fragments().get(key, render)
