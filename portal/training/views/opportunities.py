"""Training opportunities: proposal, the core group's assessment and decision, the history."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session
from portal.enums import N_
from portal.training.forms import AssessmentForm, OpportunityForm
from portal.training.models import Opportunity, OpportunityStatus
from portal.training.services import TrainingError
from portal.training.services import opportunities as svc
from portal.training.services.topics import topics
from portal.training.views import bp, commit, field_error, load


def _load(opportunity_id: int) -> Opportunity:
    opp = load(Opportunity, opportunity_id)
    policy.ensure(policy.can_view_opportunity(current_user, opp))
    return opp


@bp.route("/opportunities")
@login_required
def opportunities():
    policy.ensure(policy.can_propose_opportunity(current_user))
    session = get_session()
    status = request.args.get("status", "")
    query = policy.visible_opportunities(current_user)
    if OpportunityStatus.of(status) is not None:
        query = query.where(Opportunity.status == status)
    items = session.scalars(query.order_by(Opportunity.created_at.desc(), Opportunity.id.desc())).all()
    return render_template("training/opportunities.html", opportunities=items, status=status,
                           statuses=OpportunityStatus, can_assess=policy.can_manage_training(current_user))


@bp.route("/opportunities/new", methods=["GET", "POST"])
@login_required
def new_opportunity():
    policy.ensure(policy.can_propose_opportunity(current_user))
    session = get_session()
    form = OpportunityForm()
    form.topic_id.choices = [("", N_("(none)"))] + [(str(t.id), t.label) for t in topics(session)]
    if form.validate_on_submit():
        try:
            opp = svc.propose(session, current_user, svc.OpportunityInput(
                title=form.title.data, description=form.description.data or "",
                topic_id=int(form.topic_id.data or 0) or None, target_audience=form.target_audience.data or "",
                estimated_cost=form.estimated_cost.data))
        except TrainingError as exc:
            session.rollback()
            field_error(form, exc)
        else:
            commit()
            flash("The opportunity is proposed to the core group.", "success")
            return redirect(url_for("training.opportunity", opportunity_id=opp.id))
    return render_template("training/opportunity_form.html", form=form), 422 if form.errors else 200


def _page(opp: Opportunity, form: AssessmentForm | None = None, status: int = 200):
    if form is None:
        form = AssessmentForm(formdata=None, target_audience=opp.target_audience,
                              estimated_cost=opp.estimated_cost, assessment=opp.assessment,
                              relevance=str(opp.relevance or ""),
                              decision=opp.status if opp.status != OpportunityStatus.PROPOSED else OpportunityStatus.APPROVED)
    return render_template("training/opportunity.html", opp=opp, form=form,
                           can_assess=policy.can_manage_training(current_user)), status


@bp.route("/opportunities/<int:opportunity_id>")
@login_required
def opportunity(opportunity_id: int):
    return _page(_load(opportunity_id))


@bp.route("/opportunities/<int:opportunity_id>/assess", methods=["POST"])
@login_required
def assess_opportunity(opportunity_id: int):
    opp = _load(opportunity_id)
    policy.ensure(policy.can_manage_training(current_user))
    session = get_session()
    form = AssessmentForm()
    if form.validate_on_submit():
        try:
            svc.assess(session, current_user, opp, svc.Assessment(
                relevance=int(form.relevance.data) if (form.relevance.data or "").isdigit() else None,
                target_audience=form.target_audience.data or "", estimated_cost=form.estimated_cost.data,
                assessment=form.assessment.data or "", decision=form.decision.data or ""))
        except TrainingError as exc:
            session.rollback()
            field_error(form, exc)
        else:
            commit()
            flash(_("The opportunity is %(status)s.", status=opp.status_enum.label.lower()), "success")
            return redirect(url_for("training.opportunity", opportunity_id=opp.id))
    return _page(opp, form, 422)
