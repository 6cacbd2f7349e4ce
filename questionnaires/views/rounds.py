"""Round pages: the list, opening a round, progress per country, closing, sharing, exports."""

from __future__ import annotations

import datetime as dt

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session, utcnow
from portal.errors import show_beside_field
from questionnaires.forms import OpenRoundForm, ReopenRoundForm
from questionnaires.models import ResponseStatus
from questionnaires.services import QuestionnaireError, versions
from questionnaires.services import rounds as service
from questionnaires.services.responses import progress
from questionnaires.views import bp, load_round


def links() -> service.Links:
    return service.Links(current_app.config["BASE_URL"], int(current_app.config["INVITE_LINK_HOURS"]))


@bp.route("/", strict_slashes=False)
@login_required
def index():
    policy.ensure(policy.can_use_questionnaires(current_user))
    session = get_session()
    rounds = service.all_rounds(session, policy.visible_rounds(current_user))
    own = {}
    if current_user.country_code and not policy.is_network_staff(current_user):
        from questionnaires.services.responses import get_response

        for r in rounds:
            response = get_response(session, r, current_user.country_code)
            if response is not None:
                own[r.id] = (response, progress(response))
    counts = {}
    if policy.can_manage_rounds(current_user):
        for r in rounds:
            submitted = sum(1 for resp in r.responses if resp.status == ResponseStatus.SUBMITTED)
            counts[r.id] = (submitted, len(r.responses))
    return render_template("questionnaires/index.html", rounds=rounds, own=own, counts=counts,
                           versions=versions.published_versions(session) if policy.can_manage_rounds(current_user)
                           else [], question_count=versions.question_count,
                           can_manage=policy.can_manage_rounds(current_user), today=utcnow().date())


@bp.route("/rounds/new", methods=["GET", "POST"])
@login_required
def new_round():
    policy.ensure(policy.can_manage_rounds(current_user))
    session = get_session()
    form = OpenRoundForm()
    published = versions.published_versions(session)
    form.version_id.choices = [(v.id, v.label) for v in reversed(published)]
    countries = service.country_names(session)
    form.countries.choices = [(code, f"{name} ({code})") for code, name in countries]
    from portal.markings import marking_choices

    form.marking.choices = marking_choices(session)
    if request.method == "GET":
        form.countries.data = [code for code, _ in countries]
        form.deadline.data = utcnow().date() + dt.timedelta(days=28)
        if published and "version" in request.args:
            form.version_id.data = request.args.get("version", type=int)
    if form.validate_on_submit():
        version = next((v for v in published if v.id == form.version_id.data), None)
        if version is None:
            form.version_id.errors = ["Choose a published version."]
        else:
            try:
                round_ = service.open_round(session, version, title=form.title.data, deadline=form.deadline.data,
                                            countries=form.countries.data, actor=current_user,
                                            requires_clearance=bool(form.requires_clearance.data),
                                            prefill=bool(form.prefill.data), marking=form.marking.data or "")
                invited = service.invite(session, round_, links()) if form.invite.data else []
            except QuestionnaireError as exc:
                show_beside_field(form, exc, fields={None: "title"})
            else:
                session.commit()
                flash(_("Round “%(title)s” is open for %(count)s countries; %(invited)s respondents were invited by email.",
                        title=round_.title, count=len(round_.countries), invited=len(invited)) if form.invite.data
                      else _("Round “%(title)s” is open for %(count)s countries.", title=round_.title,
                             count=len(round_.countries)), "success")
                return redirect(url_for(".round_progress", round_id=round_.id))
        session.rollback()
    return render_template("questionnaires/new_round.html", form=form), (422 if form.errors else 200)


@bp.route("/rounds/<int:round_id>")
@login_required
def round_progress(round_id: int):
    round_ = _managed_round(round_id)
    return _round_page(round_, ReopenRoundForm())


def _managed_round(round_id: int):
    """The round, for those who manage rounds (404/403 otherwise)."""
    round_ = load_round(round_id)
    policy.ensure(policy.can_manage_rounds(current_user))
    return round_


def _round_page(round_, reopen_round_form) -> str:
    """The round's page: every country's progress, and the forms that act on the round."""
    rows = service.round_progress(get_session(), round_)
    return render_template("questionnaires/round.html", round=round_, rows=rows, counts=service.summary(rows),
                           reopen_round_form=reopen_round_form, today=utcnow().date(),
                           definition_languages=versions.definition_of(round_.version).languages)


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@login_required
def close_round(round_id: int):
    round_ = _managed_round(round_id)
    session = get_session()
    try:
        service.close_round(session, round_, current_user)
    except QuestionnaireError as exc:
        flash(str(exc), "warning")
    else:
        session.commit()
        flash("The round is closed: answers can no longer change.", "success")
    return redirect(url_for(".round_progress", round_id=round_id))


@bp.route("/rounds/<int:round_id>/reopen", methods=["POST"])
@login_required
def reopen_round(round_id: int):
    round_ = _managed_round(round_id)
    session = get_session()
    form = ReopenRoundForm()
    if form.validate_on_submit():
        try:
            service.reopen_round(session, round_, current_user, form.deadline.data)
        except QuestionnaireError as exc:
            show_beside_field(form, exc, fields={exc.field: "deadline"})
        else:
            session.commit()
            flash("The round is open again.", "success")
            return redirect(url_for(".round_progress", round_id=round_id))
    session.rollback()
    return _round_page(round_, form), 422


@bp.route("/rounds/<int:round_id>/share", methods=["POST"])
@login_required
def share_round(round_id: int):
    round_ = _managed_round(round_id)
    session = get_session()
    service.set_shared(session, round_, request.form.get("shared") == "1", current_user)
    session.commit()
    flash("The round's report is released to the observers." if round_.shared
          else "The round's report is no longer released to the observers.", "success")
    return redirect(url_for(".round_progress", round_id=round_id))
