"""Country profiles: the list of countries and one country's profile."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from portal import policy
from portal.db import get_session
from portal.directory.models import Country, Spoc
from portal.directory.reference import country_name
from portal.i18n import current_language
from reports import services
from reports.profiles import country_profile
from reports.views import bp


@bp.route("/countries")
@login_required
def countries():
    policy.ensure(policy.can_view_country_profiles(current_user))
    session = get_session()
    rows = session.execute(select(Country, Spoc).outerjoin(Spoc, Spoc.country_code == Country.code)
                           .order_by(Country.name)).all()
    dates = services.latest_submission_dates(session)
    openable = None  # every profile (Member State users, the secretariat)
    if not policy.can_view_country_profile(current_user, ""):
        # an observer: only the profiles whose round is released to observers are links (the others are 404)
        openable = {code for code in dates if (latest := services.latest_submitted(session, code)) is not None
                    and policy.can_view_country_profile(current_user, code, latest.round)}
    return render_template("reports/countries.html", rows=rows, dates=dates, openable=openable)


@bp.route("/countries/<code>")
@login_required
def profile(code: str):
    session = get_session()
    country = session.get(Country, code.upper())
    policy.ensure(country is not None)
    latest = services.latest_submitted(session, country.code)
    policy.ensure(policy.can_view_country_profile(current_user, country.code, latest.round if latest else None))
    spoc = session.get(Spoc, country.code)
    readable = latest is not None and policy.can_view_round_report(current_user, latest.round)
    free_text = readable and policy.sees_free_text_of(current_user, latest.round, country.code,
                                                      latest.shares_free_text)
    directory = {k: getattr(spoc, k) for k in ("name", "address", "phone_24_7", "email", "languages", "head_name",
                                               "updated_at")} if spoc else {}
    profile_ = country_profile(country.code, country_name(country.code, country.name), directory, latest.definition if readable else None,
                               latest.answers if readable else None, free_text=free_text,
                               lang=current_language())
    return render_template("reports/profile.html", country=country, profile=profile_, latest=latest,
                           readable=readable)
