"""The topics and obstacles register: list, raise an entry, its history across meetings, notes, close."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session
from portal.directory.reference import country_name
from portal.directory.services import countries
from portal.meetings.forms import RegisterEntryForm, RegisterNoteForm
from portal.meetings.models import EntryStatus, RegisterEntry, Topic
from portal.meetings.services import MeetingError
from portal.meetings.services import register as service
from portal.meetings.services.meetings import local
from portal.meetings.views import bp, show_error


@bp.route("/register")
@login_required
def register():
    policy.ensure(policy.can_view_register(current_user))
    status = request.args.get("status", "open")
    topic = request.args.get("topic", "")
    entries = service.entries(get_session(), EntryStatus.of(status), Topic.of(topic),
                              policy.visible_register_entries(current_user))
    return render_template("meetings/register.html", entries=entries, status=status, topic=topic, topics=Topic,
                           can_raise=policy.can_raise_register_entry(current_user))


@bp.route("/register/new", methods=["GET", "POST"])
@login_required
def new_entry():
    policy.ensure(policy.can_raise_register_entry(current_user))
    session = get_session()
    form = RegisterEntryForm()
    if policy.can_manage_register(current_user):
        form.country_code.choices = [(c.code, country_name(c.code, c.name)) for c in countries(session)]
    else:
        form.country_code.choices = [(current_user.country_code, current_user.country_code)]
        form.country_code.data = current_user.country_code
    if form.validate_on_submit():
        policy.ensure(policy.can_raise_register_entry(current_user, form.country_code.data))
        try:
            entry = service.raise_entry(session, current_user, country_code=form.country_code.data,
                                        title=form.title.data, description=form.description.data,
                                        topic=form.topic.data)
        except MeetingError as exc:
            session.rollback()
            show_error(form, exc)
        else:
            session.commit()
            flash("The entry is in the register; the secretariat can put it on an agenda.", "success")
            return redirect(url_for("meetings.register_entry", entry_id=entry.id))
    return render_template("meetings/register_form.html", form=form), 422 if form.errors else 200


def _load_entry(entry_id: int) -> RegisterEntry:
    policy.ensure(policy.can_view_register(current_user))
    entry = get_session().get(RegisterEntry, entry_id)
    if entry is None:
        abort(404)
    policy.ensure(policy.can_view_register_entry(current_user, entry))
    return entry


@bp.route("/register/<int:entry_id>", methods=["GET", "POST"])
@login_required
def register_entry(entry_id: int):
    entry = _load_entry(entry_id)
    session = get_session()
    form = RegisterNoteForm()
    manage = policy.can_manage_register(current_user)
    can_note = manage or policy.can_raise_register_entry(current_user, entry.country_code)
    if request.method == "POST":
        action = request.form.get("action", "note")
        policy.ensure(manage if action in ("close", "reopen") else can_note)
        if form.validate_on_submit():
            try:
                if action in ("close", "reopen"):
                    service.set_closed(session, entry, current_user, action == "close", form.comment.data)
                else:
                    service.add_note(session, entry, current_user, form.comment.data)
            except MeetingError as exc:
                session.rollback()
                show_error(form, exc)
            else:
                session.commit()
                flash({"close": "The entry is closed.", "reopen": "The entry is open again."}.get(
                    action, "The note is added."), "success")
                return redirect(url_for("meetings.register_entry", entry_id=entry.id))
    return render_template("meetings/register_entry.html", entry=entry, form=form, manage=manage,
                           can_note=can_note, local=local,
                           closed=entry.status == EntryStatus.CLOSED,
                           can_open_meeting=lambda m: policy.can_view_meeting(current_user, m)), (
        422 if form.errors else 200)
