"""Training settings of the secretariat: the managed list of topics and the default quota per country."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session
from portal.enums import N_
from portal.training.forms import QuotaForm, TopicForm
from portal.training.models import TrainingTopic
from portal.training.services import TrainingError
from portal.training.services import topics as svc
from portal.training.views import bp, commit, field_error, load


def _needs_choices() -> list[tuple[str, str]]:
    from questionnaires.definitions import shipped

    question = shipped("spoc_structures").question_map.get("training_needs")
    values = [(c.value, c.label.get("en", c.value)) for c in question.choices] if question else []
    return [("", N_("(none)"))] + [(v, label) for v, label in values if v != "other"]


def _topic_form(**kw) -> TopicForm:
    """The topic form with the questionnaire's training needs to choose from (nothing else is taken)."""
    form = TopicForm(**kw)
    form.needs_choice.choices = _needs_choices()
    form.needs_choice.validate_choice = True
    return form


def _page(quota_form=None, topic_form=None, status=200, edited=None):
    """The settings page; `edited`: (topic id, its form) when a topic's row was refused, to show it as typed
    with the messages beside its fields."""
    session = get_session()
    quota_form = quota_form or QuotaForm(formdata=None, default_quota=svc.settings(session).default_quota)
    topic_form = topic_form or _topic_form(formdata=None)
    return render_template("training/settings.html", quota_form=quota_form, topic_form=topic_form,
                           topics=svc.topics(session, active_only=False), needs_choices=dict(_needs_choices()),
                           edited=edited), status


@bp.route("/settings")
@login_required
def settings():
    policy.ensure(policy.can_configure_training(current_user))
    return _page()


@bp.route("/settings/quota", methods=["POST"])
@login_required
def set_quota():
    policy.ensure(policy.can_configure_training(current_user))
    session = get_session()
    form = QuotaForm()
    if form.validate_on_submit():
        try:
            svc.set_default_quota(session, current_user, form.default_quota.data)
        except TrainingError as exc:
            session.rollback()
            field_error(form, exc)
        else:
            commit()
            flash(ngettext("The default quota is %(num)s place per country.",
                           "The default quota is %(num)s places per country.", form.default_quota.data), "success")
            return redirect(url_for("training.settings"))
    return _page(quota_form=form, status=422)


@bp.route("/topics", methods=["POST"])
@login_required
def add_topic():
    policy.ensure(policy.can_configure_training(current_user))
    session = get_session()
    form = _topic_form()
    if form.validate_on_submit() and (done := _saved(form, lambda: svc.add_topic(
            session, current_user, label=form.label.data, key=form.key.data or "",
            needs_choice=form.needs_choice.data or None), _("The topic “%(name)s” is added."))):
        return done
    return _page(topic_form=form, status=422)


@bp.route("/topics/<int:topic_id>", methods=["POST"])
@login_required
def edit_topic(topic_id: int):
    policy.ensure(policy.can_configure_training(current_user))
    session = get_session()
    topic = load(TrainingTopic, topic_id)
    form = _topic_form()  # the row's fields: label, needs_choice, active (the key does not change)
    if form.validate_on_submit() and (done := _saved(form, lambda: svc.update_topic(
            session, current_user, topic, label=form.label.data, active=form.active.data,
            needs_choice=form.needs_choice.data or None), _("The topic “%(name)s” is saved."))):
        return done
    return _page(status=422, edited=(topic.id, form))


def _saved(form, change, message: str):
    """Run `change` (a topic service returning the topic): committed, `message` (with its %(name)s) flashed and
    back to the topic list; refused, rolled back with the reason beside its field (None: show the page again)."""
    try:
        topic = change()
    except TrainingError as exc:
        get_session().rollback()
        field_error(form, exc)
        return None
    commit()
    flash(message % {"name": topic.label}, "success")
    return redirect(url_for("training.settings") + "#topics")
