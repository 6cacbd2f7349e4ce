"""The directory's cards of the shared dashboard (added to the app's registry in init_app, last): a Head
of SPOC's record still missing details, and the directory itself."""

from __future__ import annotations


def dashboard_cards(user, session) -> list[dict]:
    from flask import url_for
    from flask_babel import gettext as _

    from portal import policy
    from portal.directory.services import SPOC_DETAILS, missing_spoc_details

    cards = []
    country = getattr(user, "country_code", None)
    if country and policy.can_edit_spoc(user, country):
        missing = missing_spoc_details(session, country)
        if missing:
            cards.append({"title": _("Your SPOC in the directory"),
                          "text": _("%(missing)s of %(total)s contact details are missing; the network reaches "
                                    "your SPOC through them.", missing=len(missing), total=len(SPOC_DETAILS)),
                          "url": url_for("directory.edit_spoc", code=country), "link": _("Complete the record"),
                          "warning": True})
    if policy.can_view_directory(user):
        cards.append({"title": _("Directory"),
                      "text": _("SPOCs of the 31 countries, agencies and the Council Presidency calendar."),
                      "url": url_for("directory.index"), "link": _("Open the directory"), "warning": False})
    return cards
