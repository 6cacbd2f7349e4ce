"""Funding of a training activity: the meetings domain's budget (cost lines, ISF co-financing), on the activity page."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session
from portal.training.models import Activity
from portal.training.services import TrainingError, funding
from portal.training.views import bp, commit, field_error, load


def _back(activity_id: int):
    return redirect(url_for("training.activity", activity_id=activity_id) + "#funding")


@bp.route("/activities/<int:activity_id>/funding", methods=["POST"])
@login_required
def activity_funding(activity_id: int):
    policy.ensure(policy.can_manage_funding(current_user))
    from portal.funding.forms import CostLineForm, FundingForm

    session = get_session()
    activity = load(Activity, activity_id)
    what = request.form.get("action")
    form = FundingForm() if what == "funding" else CostLineForm() if what == "cost" else None
    if form is None:
        abort(400)
    if form.validate_on_submit():
        try:
            if what == "funding":
                funding.set_funding(session, current_user, activity, funding_source=form.funding_source.data,
                                    isf_rate=form.isf_rate.data)
            else:
                funding.add_cost(session, current_user, activity, category=form.category.data, kind=form.kind.data,
                                 amount=form.amount.data, description=form.description.data or "")
        except TrainingError as exc:
            session.rollback()
            field_error(form, exc)
        else:
            commit()
            flash("The funding is saved." if what == "funding" else "The cost line is added.", "success")
            return _back(activity.id)
    # refused: the activity page again, the form as it was sent, each message beside its field
    from portal.training.views.activities import activity_page

    return activity_page(activity, status=422, funding_forms={f"{what}_form": form})


@bp.route("/activities/<int:activity_id>/funding/lines/<int:line_id>/delete", methods=["POST"])
@login_required
def delete_activity_cost(activity_id: int, line_id: int):
    policy.ensure(policy.can_manage_funding(current_user))
    session = get_session()
    activity = load(Activity, activity_id)
    if not funding.remove_cost(session, current_user, activity, line_id):
        abort(404)
    commit()
    flash("The cost line is removed.", "success")
    return _back(activity.id)
