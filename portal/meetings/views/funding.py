"""Funding of a meeting (planned budget, actual costs, ISF co-financing) and the totals per year."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session, utcnow
from portal.funding import services as service
from portal.funding.forms import CostLineForm, FundingForm
from portal.funding.models import CostCategory, CostLine
from portal.meetings.forms import YearForm
from portal.meetings.views import bp, load_meeting, show_error


def _render(meeting, budget, funding_form=None, cost_form=None, status=200):
    if funding_form is None:
        funding_form = FundingForm(funding_source=budget.funding_source if budget else "",
                                   isf_rate=budget.isf_rate if budget else None, formdata=None)
    return render_template("meetings/funding.html", meeting=meeting, budget=budget,
                           totals=service.totals(budget), funding_form=funding_form,
                           cost_form=cost_form or CostLineForm(formdata=None), categories=CostCategory,
                           euros=service.euros), status


@bp.route("/<int:meeting_id>/funding", methods=["GET", "POST"])
@login_required
def funding(meeting_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    policy.ensure(policy.can_manage_funding(current_user))
    session = get_session()
    budget = service.budget_for(session, "meeting", meeting.id)
    if request.method == "GET":
        return _render(meeting, budget)
    what = request.form.get("action")
    funding_form = FundingForm() if what == "funding" else None
    cost_form = CostLineForm() if what == "cost" else None
    form = funding_form or cost_form
    if form is None:
        abort(400)
    if form.validate_on_submit():
        budget = service.ensure_budget(session, "meeting", meeting.id, meeting.starts_at.year)
        try:
            if funding_form is not None:
                service.set_funding(session, budget, current_user, funding_source=form.funding_source.data,
                                    isf_rate=form.isf_rate.data)
            else:
                service.add_cost(session, budget, current_user, category=form.category.data,
                                 kind=form.kind.data, amount=form.amount.data, description=form.description.data)
        except service.FundingError as exc:
            session.rollback()
            show_error(form, exc)
        else:
            session.commit()
            flash("The funding is saved." if funding_form else "The cost line is added.", "success")
            return redirect(url_for("meetings.funding", meeting_id=meeting.id))
    return _render(meeting, service.budget_for(session, "meeting", meeting.id), funding_form, cost_form, 422)


@bp.route("/<int:meeting_id>/funding/lines/<int:line_id>/delete", methods=["POST"])
@login_required
def delete_cost(meeting_id: int, line_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    policy.ensure(policy.can_manage_funding(current_user))
    session = get_session()
    line = session.get(CostLine, line_id)
    if line is None or line.budget.subject_type != "meeting" or line.budget.subject_id != meeting.id:
        abort(404)
    service.remove_cost(session, line, current_user)
    session.commit()
    flash("The cost line is removed.", "success")
    return redirect(url_for("meetings.funding", meeting_id=meeting.id))


@bp.route("/funding")
@login_required
def funding_years():
    policy.ensure(policy.can_manage_funding(current_user))
    session = get_session()
    form = YearForm(request.args)
    year = form.year.data if request.args.get("year") and form.validate() else utcnow().year
    if not request.args.get("year"):
        form.year.data = year  # the field shows the year the page shows
    return render_template("meetings/funding_year.html", form=form, summary=service.year_totals(session, year),
                           years=service.budget_years(session), categories=CostCategory, euros=service.euros)
