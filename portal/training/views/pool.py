"""The trainer pool (searchable, filterable) and the core group."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal import policy
from portal.accounts.models import User
from portal.db import get_session
from portal.directory.models import Country
from portal.directory.reference import country_name
from portal.training.forms import CoreGroupForm, TrainerForm
from portal.training.models import Trainer
from portal.training.services import TrainingError, pool
from portal.training.services import feedback as feedback_svc
from portal.training.services.activities import trainer_overlaps
from portal.training.services.topics import topics
from portal.training.views import bp, commit, field_error, load


@bp.route("/trainers")
@login_required
def trainers():
    policy.ensure(policy.can_view_trainer_pool(current_user))
    session = get_session()
    args = request.args
    min_rating = args.get("min_rating", type=float)
    flt = pool.PoolFilter(q=args.get("q", ""), topic_id=args.get("topic", type=int),
                          language=args.get("language", "")[:2], country_code=args.get("country", "")[:2],
                          min_rating=min_rating if min_rating and 1 <= min_rating <= 5 else None,
                          include_inactive=args.get("inactive") == "1")
    found = pool.search_trainers(session, flt)
    countries = session.scalars(select(Country).order_by(Country.name)).all()
    overlapping = {o.trainer.id for o in trainer_overlaps(session)}
    return render_template("training/trainers.html", trainers=found, flt=flt, topics=topics(session), today=dt.date.today(),
                           countries=countries, overlapping=overlapping,
                           can_propose=policy.can_propose_trainer(current_user),
                           can_manage=policy.can_manage_training(current_user))


def _trainer_form(session, form: TrainerForm) -> None:
    form.topics.choices = [(t.id, t.label) for t in topics(session)]
    own = policy.acting_country(current_user)
    countries = session.scalars(select(Country).order_by(Country.name)).all()
    form.country_code.choices = [(c.code, country_name(c.code, c.name)) for c in countries if own is None or c.code == own]


def _trainer_input(form: TrainerForm) -> pool.TrainerInput:
    return pool.TrainerInput(name=form.name.data or "", country_code=form.country_code.data or "",
                             email=form.email.data or "", organisation=form.organisation.data or "",
                             languages=form.languages.data or "", availability=form.availability.data or "",
                             bio=form.bio.data or "", topic_ids=form.topics.data or [])


@bp.route("/trainers/new", methods=["GET", "POST"])
@login_required
def new_trainer():
    policy.ensure(policy.can_propose_trainer(current_user))
    session = get_session()
    form = TrainerForm()
    _trainer_form(session, form)
    if request.method == "GET" and current_user.country_code:
        form.country_code.data = current_user.country_code
    if form.validate_on_submit():
        try:
            trainer = pool.propose_trainer(session, current_user, _trainer_input(form))
        except TrainingError as exc:
            session.rollback()
            field_error(form, exc)
        else:
            commit()
            flash(_("%(name)s is added to the trainer pool.", name=trainer.name), "success")
            return redirect(url_for("training.trainer", trainer_id=trainer.id))
    return render_template("training/trainer_form.html", form=form, trainer=None), 422 if form.errors else 200


@bp.route("/trainers/<int:trainer_id>")
@login_required
def trainer(trainer_id: int):
    policy.ensure(policy.can_view_trainer_pool(current_user))
    session = get_session()
    t = load(Trainer, trainer_id)
    ratings = feedback_svc.trainer_summary(session, t) if policy.can_view_training_feedback(current_user) else None
    overlaps = [o for o in trainer_overlaps(session) if o.trainer.id == t.id]
    return render_template("training/trainer.html", trainer=t, ratings=ratings, overlaps=overlaps,
                           can_manage=policy.can_manage_training(current_user))


@bp.route("/trainers/<int:trainer_id>/edit", methods=["GET", "POST"])
@login_required
def edit_trainer(trainer_id: int):
    policy.ensure(policy.can_manage_training(current_user))
    session = get_session()
    t = load(Trainer, trainer_id)
    form = TrainerForm(obj=t)
    _trainer_form(session, form)
    if request.method == "GET":
        form.topics.data = [x.id for x in t.topics]
    if form.validate_on_submit():
        try:
            pool.update_trainer(session, current_user, t, _trainer_input(form), active=form.active.data)
        except TrainingError as exc:
            session.rollback()
            field_error(form, exc)
        else:
            commit()
            flash("The trainer is saved.", "success")
            return redirect(url_for("training.trainer", trainer_id=t.id))
    return render_template("training/trainer_form.html", form=form, trainer=t), 422 if form.errors else 200


@bp.route("/core-group")
@login_required
def core_group():
    policy.ensure(policy.can_view_trainer_pool(current_user))
    return render_template("training/core_group.html", members=pool.core_group(get_session()),
                           can_edit=lambda m: policy.can_edit_core_group_member(current_user, m))


@bp.route("/core-group/<int:user_id>", methods=["GET", "POST"])
@login_required
def core_group_member(user_id: int):
    session = get_session()
    member = load(User, user_id)
    policy.ensure(policy.is_core_group_member(member) and policy.can_edit_core_group_member(current_user, member))
    profile = next((m.profile for m in pool.core_group(session) if m.user.id == member.id), None)
    form = CoreGroupForm()
    form.topics.choices = [(t.id, t.label) for t in topics(session)]
    if request.method == "GET" and profile is not None:
        form.topics.data = [t.id for t in profile.topics]
        form.note.data = profile.note
    if form.validate_on_submit():
        try:
            pool.set_core_group_expertise(session, current_user, member, form.topics.data or [], form.note.data or "")
        except TrainingError as exc:
            session.rollback()
            field_error(form, exc)
        else:
            commit()
            flash(_("The expertise of %(name)s is saved.", name=member.name or member.email), "success")
            return redirect(url_for("training.core_group"))
    return render_template("training/core_group_member.html", form=form, member=member), 422 if form.errors else 200
