"""Activities: the planning calendar (list by month and month grid), the activity page, create and edit."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import policy
from portal.db import get_session
from portal.directory.models import Country
from portal.enums import N_
from portal.files import download_response
from portal.training.forms import ActivityForm, NominationForm
from portal.training.models import Activity, ActivityStatus, Nomination, Opportunity, Trainer
from portal.training.services import TrainingError, funding, itip, nominations
from portal.training.services import activities as svc
from portal.training.services import feedback as feedback_svc
from portal.training.services.topics import topics
from portal.training.views import activity_body, base_url, bp, commit, field_error, load, organizer


@bp.route("", strict_slashes=False)
@login_required
def index():
    policy.ensure(policy.can_view_trainings(current_user))
    session = get_session()
    year = request.args.get("year", type=int)
    items = svc.activities(session, year=year)
    years = sorted({a.start_date.year for a in svc.activities(session)})
    return render_template("training/index.html", months=svc.by_month(items), year=year, years=years,
                           overlaps=svc.overlaps_by_activity(session), today=dt.date.today(),
                           can_manage=policy.can_manage_training(current_user))


@bp.route("/calendar")
@login_required
def calendar():
    policy.ensure(policy.can_view_trainings(current_user))
    try:
        month = dt.datetime.strptime(request.args.get("month", ""), "%Y-%m").date()
    except ValueError:
        month = dt.date.today().replace(day=1)
    session = get_session()
    return render_template("training/calendar.html", grid=svc.month_grid(session, month),
                           overlaps=svc.overlaps_by_activity(session), today=dt.date.today())


def _activity_form(session, form: ActivityForm) -> None:
    form.topic_id.choices = [("", N_("(none)"))] + [(str(t.id), t.label) for t in topics(session)]
    trainers = session.scalars(select(Trainer).order_by(Trainer.name))
    form.trainer_ids.choices = [(t.id, f"{t.name} ({t.country_code})") for t in trainers]


def _input(form: ActivityForm) -> svc.ActivityInput:
    return svc.ActivityInput(
        title=form.title.data or "", format=form.format.data or "", start_date=form.start_date.data,
        end_date=form.end_date.data, capacity=form.capacity.data, topic_id=int(form.topic_id.data or 0) or None,
        place=form.place.data or "", language=form.language.data or "en", country_quota=form.country_quota.data,
        cepol_support=form.cepol_support.data, cepol_reference=form.cepol_reference.data or "",
        learning_objectives=form.learning_objectives.data or "", audience=form.audience.data or "",
        status=form.status.data or ActivityStatus.PLANNED.value, trainer_ids=form.trainer_ids.data or [])


@bp.route("/activities/new", methods=["GET", "POST"])
@login_required
def new_activity():
    policy.ensure(policy.can_manage_training(current_user))
    session = get_session()
    opportunity = None
    opp_id = request.values.get("opportunity", type=int)
    if opp_id:
        opportunity = load(Opportunity, opp_id)
        policy.ensure(policy.can_view_opportunity(current_user, opportunity))
    form = ActivityForm()
    _activity_form(session, form)
    if request.method == "GET" and opportunity is not None:
        values = svc.draft_from_opportunity(opportunity)
        form.title.data, form.audience.data = values["title"], values["audience"]
        form.learning_objectives.data = values["learning_objectives"]
        form.topic_id.data = str(values["topic_id"] or "")
    if form.validate_on_submit():
        try:
            activity = svc.create_activity(session, current_user, _input(form), opportunity)
        except TrainingError as exc:
            session.rollback()
            field_error(form, exc)
        else:
            commit()
            flash(_("The activity “%(title)s” is planned.", title=activity.title), "success")
            return redirect(url_for("training.activity", activity_id=activity.id))
    return render_template("training/activity_form.html", form=form, activity=None,
                           opportunity=opportunity), 422 if form.errors else 200


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit_activity(activity_id: int):
    policy.ensure(policy.can_manage_training(current_user))
    session = get_session()
    activity = load(Activity, activity_id)
    form = ActivityForm(obj=activity)
    _activity_form(session, form)
    if request.method == "GET":
        form.topic_id.data = str(activity.topic_id or "")
        form.trainer_ids.data = [t.id for t in activity.trainers]
    if form.validate_on_submit():
        try:
            svc.update_activity(session, current_user, activity, _input(form), base_url(), organizer())
            promoted = nominations.promote_waiting(session, activity)
        except TrainingError as exc:
            session.rollback()
            field_error(form, exc)
        else:
            commit()
            flash("The activity is saved." + (f" {len(promoted)} nominee(s) moved up from the waiting list."
                                              if promoted else ""), "success")
            return redirect(url_for("training.activity", activity_id=activity.id))
    return render_template("training/activity_form.html", form=form, activity=activity,
                           opportunity=activity.opportunity), 422 if form.errors else 200


def activity_page(activity: Activity, nomination_form: NominationForm | None = None, status: int = 200,
                  funding_forms: dict | None = None):
    """The page rendered afresh (a refused nomination or funding form re-shown with its errors)."""
    body = render_template("training/_activity_body.html",
                           **_body_context(activity, nomination_form, dt.date.today(), funding_forms))
    return render_template("training/activity.html", title=activity.title, body=Markup(body)), status  # noqa: S704


def _body_context(activity: Activity, nomination_form: NominationForm | None, today: dt.date,
                  funding_forms: dict | None = None) -> dict:
    session = get_session()
    user = current_user
    visible = session.scalars(policy.visible_nominations(user).where(Nomination.activity_id == activity.id)).all()
    own = policy.acting_country(user)
    form = nomination_form or NominationForm(formdata=None)
    countries = session.scalars(select(Country).order_by(Country.name)).all()
    form.country_code.choices = [(c.code, c.name) for c in countries if own is None or c.code == own]
    if own and not form.country_code.data:
        form.country_code.data = own
    manage = policy.can_manage_training(user)
    fund = policy.can_manage_funding(user)
    return dict(
        activity=activity, nominations=sorted(visible, key=_nomination_order),
        waiting=nominations.waiting_list(activity, own), form=form, own_country=own,
        places=nominations.country_places(session, activity, own) if own else None,
        quota=nominations.quota(session, activity), taken=nominations.places_taken(session, activity),
        overlaps=svc.trainer_overlaps(session, [activity.id]), can_manage=manage,
        can_nominate=policy.can_nominate(user) and activity.status == ActivityStatus.OPEN,
        can_confirm=policy.can_confirm_nominations(user), today=today,
        show_contact=lambda n: policy.can_see_nominee_contact(user, n),
        summary=feedback_svc.activity_summary(session, activity) if policy.can_view_training_feedback(user) else None,
        feedback_due=sum(1 for n in activity.nominations if n.attended and n.feedback is None
                         and n.feedback_requested_at is None),
        can_fund=fund, funding={**_funding_context(session, activity), **(funding_forms or {})} if fund else None)


_ORDER = {"confirmed": 0, "nominated": 1, "waiting": 2, "withdrawn": 3}


def _nomination_order(n):
    return (_ORDER.get(n.status, 9), n.country_code, n.created_at, n.id)


def _funding_context(session, activity: Activity) -> dict:
    from portal.funding.forms import CostLineForm, FundingForm
    from portal.funding.models import CostCategory

    budget = funding.budget_for(session, activity)
    return {"budget": budget, "totals": funding.totals(session, activity), "euros": funding.euros,
            "categories": CostCategory,
            "funding_form": FundingForm(formdata=None, funding_source=budget.funding_source if budget else "",
                                        isf_rate=budget.isf_rate if budget else None),
            "cost_form": CostLineForm(formdata=None)}


@bp.route("/activities/<int:activity_id>")
@login_required
def activity(activity_id: int):
    policy.ensure(policy.can_view_trainings(current_user))
    session = get_session()
    rows = activity_body.page_rows(session, activity_id)
    if rows is None:
        abort(404)
    today = dt.date.today()

    def render() -> str:
        # the nominations with their feedback in two statements, not one per nomination (issue 24: the page
        # read each participant's feedback, a query each, to count the feedback still to request)
        activity = session.get(Activity, activity_id, options=[
            selectinload(Activity.nominations).selectinload(Nomination.feedback), selectinload(Activity.trainers)])
        return render_template("training/_activity_body.html", **_body_context(activity, None, today))

    return render_template("training/activity.html", title=activity_body.title_of(rows),
                           body=activity_body.body_html(activity_id, rows, today, render))


@bp.route("/activities/<int:activity_id>/calendar.ics")
@login_required
def activity_ics(activity_id: int):
    policy.ensure(policy.can_view_trainings(current_user))
    activity = load(Activity, activity_id)
    return download_response(itip.activity_ics(activity, base_url(), organizer()), f"training-{activity.id}.ics",
                             "text/calendar")


@bp.route("/activities/<int:activity_id>/feedback-requests", methods=["POST"])
@login_required
def request_feedback(activity_id: int):
    policy.ensure(policy.can_manage_training(current_user))
    session = get_session()
    activity = load(Activity, activity_id)
    try:
        sent = feedback_svc.request_feedback(session, current_user, activity, base_url())
    except TrainingError as exc:
        session.rollback()
        flash(str(exc), "danger")
    else:
        commit()
        flash(ngettext("The feedback request was mailed to %(num)s participant.",
                       "The feedback request was mailed to %(num)s participants.", len(sent)), "success")
    return redirect(url_for("training.activity", activity_id=activity_id) + "#feedback")
