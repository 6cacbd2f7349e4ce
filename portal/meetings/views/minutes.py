"""Minutes: read (sanitised Markdown), edit per item with conflict detection, circulate, comment, adopt."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session, utcnow
from portal.files import download_response
from portal.meetings.forms import CommentForm, MinutesForm
from portal.meetings.services import MeetingError
from portal.meetings.services import minutes as service
from portal.meetings.services.meetings import local
from portal.meetings.views import (
    base_url,
    bp,
    commit_and_send,
    load_item,
    load_meeting,
    optional_int,
    show_error,
)


def _comment_form(meeting) -> CommentForm:
    form = CommentForm()
    form.agenda_item_id.choices = [("", "The minutes as a whole")] + [
        (str(i.id), f"{i.position}. {i.title}") for i in policy.visible_agenda_items(current_user, meeting)]
    return form


def _visible_actions(meeting) -> list:
    actions = service.meeting_actions(get_session(), meeting)
    return policy.observer_actions(meeting, actions) if policy.is_observer(current_user) else actions


@bp.route("/<int:meeting_id>/minutes")
@login_required
def minutes(meeting_id: int, comment_form=None, status: int = 200):
    meeting = load_meeting(meeting_id)
    policy.ensure(policy.can_view_minutes(current_user, meeting))
    session = get_session()
    can_comment = policy.can_comment_minutes(current_user, meeting)
    items = policy.visible_agenda_items(current_user, meeting)
    shown = {i.id for i in items}
    comments = [c for c in service.comments(session, meeting) if c.agenda_item_id is None or c.agenda_item_id in shown]
    return render_template("meetings/minutes.html", meeting=meeting, local=local, items=items,
                           render=service.render_markdown, comments=comments,
                           actions=_visible_actions(meeting),
                           can_edit=policy.can_edit_minutes(current_user, meeting),
                           manage=policy.can_manage_meetings(current_user),
                           comment_form=comment_form or (_comment_form(meeting) if can_comment else None)), status


@bp.route("/<int:meeting_id>/minutes/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_minutes(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id)
    policy.ensure(policy.can_edit_minutes(current_user, meeting))
    item = load_item(meeting, item_id)
    session = get_session()
    form = MinutesForm()
    conflict = None
    if request.method == "GET":
        form.text.data = item.minutes.text if item.minutes else ""
        form.version.data = str(item.minutes.version) if item.minutes else ""
    elif form.validate_on_submit():
        try:
            service.save_minutes(session, item, current_user, form.text.data or "",
                                 optional_int(form.version.data), utcnow())
        except service.MinutesConflict as exc:
            session.rollback()
            conflict = exc
            # The form now starts from the current version; the user's text is shown beside it.
            form.version.data = str(exc.current_version)
            form.text.data = exc.current_text
            show_error(form, exc)  # beside "text", the field it names
        except MeetingError as exc:
            session.rollback()
            show_error(form, exc)
        else:
            session.commit()
            flash(_("The minutes of item %(number)s are saved.", number=item.position), "success")
            return redirect(url_for("meetings.minutes", meeting_id=meeting.id) + f"#item-{item.id}")
    return render_template("meetings/minutes_form.html", meeting=meeting, item=item, form=form,
                           conflict=conflict, render=service.render_markdown), (
        409 if conflict else 422 if form.errors else 200)


@bp.route("/<int:meeting_id>/minutes/circulate", methods=["POST"])
@login_required
def circulate_minutes(meeting_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    try:
        count = service.circulate(get_session(), meeting, current_user, base_url())
    except MeetingError as exc:
        get_session().rollback()
        flash(str(exc), "danger")
    else:
        commit_and_send()
        flash(_("The draft minutes are circulated for comments (%(count)s recipients).", count=count), "success")
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/minutes/adopt", methods=["POST"])
@login_required
def adopt_minutes(meeting_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    try:
        sent_to = service.adopt(get_session(), meeting, current_user)
    except MeetingError as exc:
        get_session().rollback()
        flash(str(exc), "danger")
    else:
        commit_and_send()
        flash(_("The minutes are adopted and sent with the action list to %(count)s participants.", count=len(sent_to)),
              "success")
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/minutes/comments", methods=["POST"])
@login_required
def comment_minutes(meeting_id: int):
    meeting = load_meeting(meeting_id)
    policy.ensure(policy.can_comment_minutes(current_user, meeting))
    session = get_session()
    form = _comment_form(meeting)
    raw_item = (form.agenda_item_id.data or "").strip()
    if raw_item and optional_int(raw_item) is None:  # not an item's number: refused, not filed on the whole minutes
        form.agenda_item_id.errors = [_("Choose an agenda item of this meeting, or the minutes as a whole.")]
    elif form.validate_on_submit():
        item_id = optional_int(form.agenda_item_id.data)
        item = load_item(meeting, item_id) if item_id else None
        policy.ensure(item is None or policy.can_view_agenda_item(current_user, item))
        try:
            service.add_comment(session, meeting, current_user, form.comment.data, item)
        except MeetingError as exc:
            session.rollback()
            show_error(form, exc)
        else:
            session.commit()
            flash("Your comment is added.", "success")
            return redirect(url_for("meetings.minutes", meeting_id=meeting.id) + "#comments")
    return minutes(meeting_id, comment_form=form, status=422)


@bp.route("/<int:meeting_id>/minutes.docx")
@login_required
def minutes_docx(meeting_id: int):
    meeting = load_meeting(meeting_id)
    policy.ensure(policy.can_view_minutes(current_user, meeting))
    body = service.minutes_docx(meeting, _visible_actions(meeting), policy.visible_agenda_items(current_user, meeting))
    return download_response(body, f"minutes-meeting-{meeting.id}.docx",
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
