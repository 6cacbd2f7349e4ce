"""Nominations: a Head of SPOC nominates (own country only), the secretariat confirms, attendance, certificate."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session
from portal.directory.models import Country
from portal.directory.reference import country_name
from portal.files import download_response
from portal.i18n import current_language, in_language
from portal.training.forms import NominationForm
from portal.training.models import Activity, Nomination, NominationStatus
from portal.training.services import TrainingError, certificates, nominations
from portal.training.views import base_url, bp, commit, field_error, load, organizer
from portal.training.views.activities import activity_page


def _load_nomination(nomination_id: int) -> Nomination:
    nomination = load(Nomination, nomination_id)
    policy.ensure(policy.can_view_nomination(current_user, nomination))
    return nomination


def _back(nomination: Nomination):
    return redirect(url_for("training.activity", activity_id=nomination.activity_id) + "#nominations")


@bp.route("/activities/<int:activity_id>/nominations", methods=["POST"])
@login_required
def nominate(activity_id: int):
    policy.ensure(policy.can_nominate(current_user))
    session = get_session()
    activity = load(Activity, activity_id)
    form = NominationForm()
    form.country_code.choices = [(c.code, country_name(c.code, c.name)) for c in session.query(Country).order_by(Country.name)]
    if policy.acting_country(current_user):
        form.country_code.data = policy.acting_country(current_user)  # a Head of SPOC nominates for their own country
    if form.validate_on_submit():
        try:
            nomination = nominations.nominate(session, current_user, activity, nominations.NominationInput(
                nominee_name=form.nominee_name.data, nominee_email=form.nominee_email.data,
                nominee_position=form.nominee_position.data or "", country_code=form.country_code.data or ""))
        except TrainingError as exc:
            session.rollback()
            field_error(form, exc)
        else:
            commit()
            if nomination.status == NominationStatus.WAITING:
                flash(_("%(name)s is on the waiting list: the country's quota or the capacity is reached. A place "
                        "freed by a withdrawal goes to the waiting list in order.", name=nomination.nominee_name),
                      "warning")
            else:
                flash(_("%(name)s is nominated; the secretariat will confirm.", name=nomination.nominee_name), "success")
            return redirect(url_for("training.activity", activity_id=activity.id) + "#nominations")
    return activity_page(activity, form, 422)


@bp.route("/nominations/<int:nomination_id>/confirm", methods=["POST"])
@login_required
def confirm_nomination(nomination_id: int):
    nomination = _load_nomination(nomination_id)
    policy.ensure(policy.can_confirm_nominations(current_user))
    session = get_session()
    try:
        nominations.confirm(session, current_user, nomination, base_url(), organizer())
    except TrainingError as exc:
        session.rollback()
        flash(str(exc), "danger")
    else:
        commit()
        flash(_("%(name)s is confirmed and has been sent the invitation (.ics).", name=nomination.nominee_name), "success")
    return _back(nomination)


@bp.route("/nominations/<int:nomination_id>/withdraw", methods=["POST"])
@login_required
def withdraw_nomination(nomination_id: int):
    nomination = _load_nomination(nomination_id)
    policy.ensure(policy.can_withdraw_nomination(current_user, nomination))
    session = get_session()
    try:
        promoted = nominations.withdraw(session, current_user, nomination, base_url(), organizer())
    except TrainingError as exc:
        session.rollback()
        flash(str(exc), "danger")
    else:
        commit()
        message = _("The nomination of %(name)s is withdrawn.", name=nomination.nominee_name)
        if promoted:
            message += " " + _("%(names)s moved up from the waiting list.",
                               names=", ".join(n.nominee_name for n in promoted))
        flash(message, "success")
    return _back(nomination)


@bp.route("/nominations/<int:nomination_id>/attendance", methods=["POST"])
@login_required
def record_attendance(nomination_id: int):
    nomination = _load_nomination(nomination_id)
    policy.ensure(policy.can_record_attendance(current_user))
    session = get_session()
    attended = request.form.get("attended")
    if attended not in ("yes", "no"):
        flash("Choose attended or absent.", "danger")
        return _back(nomination)
    try:
        nominations.record_attendance(session, current_user, nomination, attended == "yes")
    except TrainingError as exc:
        session.rollback()
        flash(str(exc), "danger")
    else:
        commit()
        flash(_("Attendance of %(name)s recorded.", name=nomination.nominee_name), "success")
    return _back(nomination)


@bp.route("/nominations/<int:nomination_id>/certificate.pdf")
@login_required
def certificate(nomination_id: int):
    nomination = _load_nomination(nomination_id)
    policy.ensure(policy.can_download_certificate(current_user, nomination))
    country = get_session().get(Country, nomination.country_code)
    language = certificates.participant_language(get_session(), nomination, current_language())
    try:
        with in_language(language):  # the participant's, else the reader's (issue 19)
            pdf = certificates.certificate_pdf(
                nomination, country_name(nomination.country_code, country.name if country else None, language=language),
                language=language)
    except TrainingError:
        abort(404)  # no certificate before attendance is recorded
    filename = f"certificate-{certificates.certificate_reference(nomination)}.pdf"
    return download_response(pdf, filename, "application/pdf")


__all__ = ["nominate", "NominationForm"]
