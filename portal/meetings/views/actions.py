"""Action points: the follow-up list, creation (from a meeting), and updates by owners."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session, utcnow
from portal.enums import N_
from portal.meetings.forms import ActionForm, ActionUpdateForm
from portal.meetings.models import ActionPoint
from portal.meetings.services import MeetingError
from portal.meetings.services import actions as service
from portal.meetings.views import bp, load_item, load_meeting, optional_int, show_error

FILTERS = [("open", N_("Open (overdue included)")), ("overdue", N_("Overdue")), ("done", N_("Done")),
           ("all", N_("All"))]  # translated where the page shows them


@bp.route("/actions")
@login_required
def actions():
    policy.ensure(policy.can_view_meetings(current_user))
    status = request.args.get("status", "open")
    if status not in dict(FILTERS):
        status = "open"
    today = utcnow().date()
    found = list(get_session().scalars(service.filter_actions(policy.visible_actions(current_user),
                                                              None if status == "all" else status, today)))
    return render_template("meetings/actions.html", actions=found, status=status, filters=FILTERS, today=today,
                           can_manage=policy.can_manage_meetings(current_user),
                           can_update=lambda a: policy.can_update_action(current_user, a))


@bp.route("/actions/new", methods=["GET", "POST"])
@login_required
def new_action():
    policy.ensure(policy.can_manage_meetings(current_user))
    session = get_session()
    meeting_id = optional_int(request.values.get("meeting"))
    meeting = load_meeting(meeting_id, manage=True) if meeting_id else None
    form = ActionForm()
    form.owner.choices = service.owner_choices(session)
    form.agenda_item_id.choices = [("", "— none —")] + (
        [(str(i.id), f"{i.position}. {i.title}") for i in meeting.agenda_items] if meeting else [])
    if request.method == "GET" and request.args.get("item"):
        form.agenda_item_id.data = request.args["item"]
    if form.validate_on_submit():
        item_id = optional_int(form.agenda_item_id.data)
        try:
            action = service.create_action(
                session, current_user, title=form.title.data, owner=form.owner.data, due_on=form.due_on.data,
                description=form.description.data, meeting=meeting,
                agenda_item=load_item(meeting, item_id) if meeting and item_id else None)
        except MeetingError as exc:
            session.rollback()
            show_error(form, exc)
        else:
            session.commit()
            flash(_("Action point “%(title)s” is recorded for %(owner)s.", title=action.title, owner=action.owner_label),
                  "success")
            if meeting:
                return redirect(url_for("meetings.minutes", meeting_id=meeting.id) + "#actions")
            return redirect(url_for("meetings.action", action_id=action.id))
    return render_template("meetings/action_form.html", form=form, meeting=meeting), 422 if form.errors else 200


def _load_action(action_id: int) -> ActionPoint:
    action = get_session().get(ActionPoint, action_id)
    if action is None:
        abort(404)
    policy.ensure(policy.can_view_action(current_user, action))
    return action


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@login_required
def action(action_id: int):
    action = _load_action(action_id)
    session = get_session()
    manage = policy.can_manage_meetings(current_user)
    can_update = policy.can_update_action(current_user, action)
    form = ActionUpdateForm(status=action.status, owner=service.owner_key(action), due_on=action.due_on)
    form.owner.choices = service.owner_choices(session)
    if request.method == "POST":
        policy.ensure(can_update)
        if form.validate_on_submit():
            try:
                service.update_action(session, action, current_user, status=form.status.data,
                                      comment=form.comment.data, due_on=form.due_on.data if manage else None,
                                      owner=form.owner.data if manage else None, manage=manage)
            except MeetingError as exc:
                session.rollback()
                show_error(form, exc)
            else:
                session.commit()
                flash("The action point is updated.", "success")
                return redirect(url_for("meetings.action", action_id=action.id))
    return render_template("meetings/action.html", action=action, form=form, manage=manage,
                           can_update=can_update, today=utcnow().date()), 422 if form.errors else 200
