"""The accounts card of the shared dashboard (added to the app's registry in init_app): the user's own API
tokens that are about to expire, so that a client is given a new one before it is locked out."""

from __future__ import annotations

import datetime as dt

EXPIRING_DAYS = 14  # a token expiring within this many days is worth replacing now


def dashboard_cards(user, session) -> list[dict]:
    from flask import url_for
    from flask_babel import gettext as _

    from portal.accounts.services import token_counts
    from portal.db import utcnow

    live, expiring = token_counts(session, user, utcnow(), dt.timedelta(days=EXPIRING_DAYS))
    if not expiring:
        return []  # nothing to do: no token, or none close to its end
    return [{"title": _("API tokens expiring"),
             "text": _("%(expiring)s of your %(live)s API tokens expire within %(days)s days: make a new one "
                       "for each client that still needs it.", expiring=expiring, live=live, days=EXPIRING_DAYS),
             "url": url_for("accounts.account"), "link": _("Manage your tokens"), "warning": True}]
