"""Directory pages: countries and their SPOCs, agencies, the Presidency calendar."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session
from portal.directory import services
from portal.directory.forms import PresidencyForm, SpocForm
from portal.directory.models import Country
from portal.directory.reference import country_name
from portal.errors import show_beside_field
from portal.i18n import gettext as _

bp = Blueprint("directory", __name__, url_prefix="/directory", template_folder="../templates")


def _load_country(code: str) -> Country:
    country = get_session().get(Country, code.upper())
    if country is None:
        abort(404)
    return country


@bp.route("", strict_slashes=False)
@login_required
def index():
    session = get_session()
    form = PresidencyForm()
    countries = services.countries(session)
    form.country_code.choices = [(c.code, country_name(c.code, c.name)) for c in countries]
    return render_template("directory/index.html", countries=countries,
                           agencies=services.agencies(session), terms=services.presidency_terms(session),
                           presidency_form=form, can_edit_presidencies=policy.can_edit_presidencies(current_user),
                           format_phone=services.format_phone)


@bp.route("/presidencies", methods=["POST"])
@login_required
def set_presidency():
    policy.ensure(policy.can_edit_presidencies(current_user))
    session = get_session()
    form = PresidencyForm()
    countries = services.countries(session)
    form.country_code.choices = [(c.code, country_name(c.code, c.name)) for c in countries]
    if form.validate_on_submit():
        try:
            term = services.set_presidency(session, form.year.data, int(form.half.data),
                                           form.country_code.data, current_user)
        except services.DirectoryError as exc:
            show_beside_field(form, exc)
        else:
            session.commit()
            flash(_("%(half_year)s: %(country)s holds the Presidency.", half_year=term.label, country=term.country.name),
                  "success")
            return redirect(url_for("directory.index") + "#presidency")
    return render_template("directory/index.html", countries=countries,
                           agencies=services.agencies(session), terms=services.presidency_terms(session),
                           presidency_form=form, can_edit_presidencies=True,
                           format_phone=services.format_phone), 422


@bp.route("/markings", methods=["GET", "POST"])
@login_required
def markings():
    """The secretariat's list of markings (besides none); a marking of EU classified information is refused."""
    from portal import markings as service

    policy.ensure(policy.can_edit_markings(current_user))
    session = get_session()
    error, status = None, 200
    text = "\n".join(m for m in service.markings(session) if m)
    if request.method == "POST":
        text = request.form.get("markings", "")
        try:
            service.set_markings(session, text.splitlines(), current_user)
        except service.MarkingError as exc:
            session.rollback()
            error, status = str(exc), 422
        else:
            session.commit()
            flash("The list of markings is saved.", "success")
            return redirect(url_for("directory.markings"))
    return render_template("directory/markings.html", text=text, error=error), status


@bp.route("/<code>")
@login_required
def country(code: str):
    country = _load_country(code)
    return render_template("directory/country.html", country=country, spoc=country.spoc,
                           can_edit=policy.can_edit_spoc(current_user, country.code),
                           format_phone=services.format_phone)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@login_required
def edit_spoc(code: str):
    country = _load_country(code)
    policy.ensure(policy.can_edit_spoc(current_user, country.code))
    session = get_session()
    spoc = country.spoc
    form = SpocForm(obj=spoc, bound_by_2023_977=country.bound_by_2023_977)
    can_bind = policy.can_set_directive_binding(current_user)
    if form.validate_on_submit():
        values = {k: (getattr(form, k).data or "") for k in
                  ("name", "address", "phone_24_7", "email", "languages", "head_name")}
        try:
            services.update_spoc(session, spoc, current_user, **values)
            if can_bind:
                services.set_directive_binding(session, country, current_user, form.bound_by_2023_977.data)
        except services.DirectoryError as exc:
            show_beside_field(form, exc)
            session.rollback()
        else:
            session.commit()
            flash(_("The SPOC of %(country)s is updated.", country=country.name), "success")
            return redirect(url_for("directory.country", code=country.code))
    return render_template("directory/spoc_form.html", form=form, country=country, can_bind=can_bind), (
        422 if form.errors else 200)
