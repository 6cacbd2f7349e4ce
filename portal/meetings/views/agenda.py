"""Agenda items (add, edit, reorder, remove) and meeting documents with their versions."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import files, policy, stamping
from portal.db import get_session
from portal.meetings.forms import AgendaItemForm, DocumentForm
from portal.meetings.models import MeetingDocument
from portal.meetings.services import MeetingError, register
from portal.meetings.services import agenda as service
from portal.meetings.services.meetings import local
from portal.meetings.views import bp, load_item, load_meeting, optional_int, show_error


def _item_values(form: AgendaItemForm) -> dict:
    return dict(title=form.title.data, topic=form.topic.data, presenter=form.presenter.data, day=form.day.data,
                start_time=form.start_time.data, end_time=form.end_time.data,
                register_entry_id=optional_int(form.register_entry_id.data), marking=form.marking.data or "",
                member_states_only=bool(form.member_states_only.data))


def _entry_choices(form: AgendaItemForm, session) -> None:
    form.register_entry_id.choices = [("", "— none —")] + [
        (str(e.id), f"{e.country_code}: {e.title}") for e in register.open_entries(session)]


@bp.route("/<int:meeting_id>/agenda", methods=["POST"])
@login_required
def add_item(meeting_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    session = get_session()
    form = AgendaItemForm()
    _entry_choices(form, session)
    form.fill_markings(session)
    if form.validate_on_submit():
        try:
            service.add_item(session, meeting, current_user, **_item_values(form))
        except MeetingError as exc:
            session.rollback()
            show_error(form, exc)
        else:
            session.commit()
            flash("The item is added to the agenda.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#agenda")
    return render_template("meetings/item_form.html", meeting=meeting, form=form, item=None), 422


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    item = load_item(meeting, item_id)
    session = get_session()
    form = AgendaItemForm(obj=item)
    _entry_choices(form, session)
    form.fill_markings(session)
    if request.method == "GET":
        start, end = local(meeting, item.starts_at), local(meeting, item.ends_at)
        form.day.data = (start or local(meeting, meeting.starts_at)).date()
        form.start_time.data = start.time() if start else None
        form.end_time.data = end.time() if end else None
        form.register_entry_id.data = str(item.register_entry_id or "")
    if form.validate_on_submit():
        try:
            service.update_item(session, item, current_user, **_item_values(form))
        except MeetingError as exc:
            session.rollback()
            show_error(form, exc)
        else:
            session.commit()
            flash("The agenda item is updated.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#agenda")
    return render_template("meetings/item_form.html", meeting=meeting, form=form, item=item), (
        422 if form.errors else 200)


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/move", methods=["POST"])
@login_required
def move_item(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    item = load_item(meeting, item_id)
    service.move_item(get_session(), item, -1 if request.form.get("direction") == "up" else 1)
    get_session().commit()
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#agenda")


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/delete", methods=["POST"])
@login_required
def delete_item(meeting_id: int, item_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    item = load_item(meeting, item_id)
    session = get_session()
    try:
        service.delete_item(session, item, current_user)
    except MeetingError as exc:
        session.rollback()
        flash(str(exc), "danger")
    else:
        session.commit()
        flash("The item is removed from the agenda.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#agenda")


@bp.route("/<int:meeting_id>/documents", methods=["POST"])
@login_required
def upload_document(meeting_id: int):
    """A new document, or a new version of one (document_id). A refused upload shows the meeting page again
    with the message beside the field it concerns (422), the other fields as they were filled in."""
    from portal.meetings.views.meetings import render_meeting

    meeting = load_meeting(meeting_id, manage=True)
    session = get_session()
    form = DocumentForm()
    form.agenda_item_id.choices = [("", "The meeting")] + [(str(i.id), i.title) for i in meeting.agenda_items]
    document = None
    if request.form.get("document_id"):
        document = session.get(MeetingDocument, optional_int(request.form["document_id"]) or 0)
        if document is None or document.meeting_id != meeting.id:
            abort(404)
    if form.validate_on_submit():
        upload = form.file.data
        item_id = optional_int(form.agenda_item_id.data)
        item = load_item(meeting, item_id) if item_id else None
        try:
            if upload is None or not getattr(upload, "filename", ""):
                raise MeetingError("Choose a file to upload.", "file")
            version = service.upload_document(
                session, meeting, folder=current_app.config["UPLOAD_FOLDER"], data=upload.read(),
                filename=upload.filename, max_bytes=int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024,
                user=current_user, title=form.title.data, agenda_item=item, document=document,
                marking=None if document else form.marking.data or "",
                member_states_only=None if document else bool(form.member_states_only.data),
                scan_confirmed=bool(form.scan_confirmed.data))
        except MeetingError as exc:
            session.rollback()
            show_error(form, exc)
        else:
            session.commit()
            flash(_("“%(title)s” version %(number)s is uploaded.", title=version.document.title, number=version.number), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#documents")
    if document is not None:  # a new version: the message goes beside that document's file
        message = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return render_meeting(meeting, version_error=(document.id, message)), 422
    return render_meeting(meeting, document_form=form), 422


@bp.route("/<int:meeting_id>/documents/<int:document_id>/v<int:number>")
@login_required
def download_document(meeting_id: int, document_id: int, number: int):
    meeting = load_meeting(meeting_id)
    document = get_session().get(MeetingDocument, document_id)
    if document is None or document.meeting_id != meeting.id or not policy.can_view_document(current_user, document):
        abort(404)
    version = next((v for v in document.versions if v.number == number), None)
    if version is None:
        abort(404)
    stored = version.stored_file
    try:
        data = files.read_file(current_app.config["UPLOAD_FOLDER"], stored)
    except FileNotFoundError:
        abort(404)
    # the marking in the header and footer of the copy downloaded (PDF, DOCX); the stored file stays as uploaded
    return files.download_response(stamping.stamped(data, stored.mimetype, document.marking), stored.original_name,
                                   stored.mimetype)
