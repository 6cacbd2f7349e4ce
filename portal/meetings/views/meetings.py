"""Meeting list, creation (or cloning), the meeting page, editing, status and the .ics download."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal import policy, stamping
from portal.dates import format_day
from portal.db import get_session, utcnow
from portal.directory.reference import country_name
from portal.directory.services import countries, presidency_terms
from portal.files import download_response
from portal.meetings.forms import AgendaItemForm, DocumentForm, MeetingForm, answer_form_for
from portal.meetings.models import Attendance, Meeting, MeetingStatus
from portal.meetings.services import MeetingError, calendar, delegations, invitations, register
from portal.meetings.services import meetings as service
from portal.meetings.views import (
    base_url,
    bp,
    commit_and_send,
    load_meeting,
    optional_int,
    organizer,
    show_error,
)


@bp.route("", strict_slashes=False)
@login_required
def index():
    policy.ensure(policy.can_view_meetings(current_user))
    session = get_session()
    found = list(session.scalars(policy.visible_meetings(current_user).order_by(Meeting.starts_at.desc())))
    now = utcnow()
    upcoming = sorted((m for m in found if m.ends_at >= now), key=lambda m: m.starts_at)
    past = [m for m in found if m.ends_at < now]
    return render_template("meetings/index.html", upcoming=upcoming, past=past, local=service.local,
                           can_manage=policy.can_manage_meetings(current_user),
                           own=lambda m: policy.own_invitation(current_user, m))


def _fill_choices(form: MeetingForm, session, exclude: int | None = None) -> None:
    form.timezone.choices = service.zone_choices()
    form.presidency_code.choices = [("", _("Proposed from the Presidency calendar"))] + [
        (c.code, country_name(c.code, c.name)) for c in countries(session)]
    earlier = session.scalars(select(Meeting).order_by(Meeting.starts_at.desc()))
    form.clone_from.choices = [("", _("— a new, empty meeting —"))] + [
        (str(m.id), f"{m.title} ({format_day(m.starts_at.date())})") for m in earlier if m.id != exclude]


def _presidency_calendar(session) -> str:
    """The Presidency of each half-year, by "YYYY-H", named in the reader's language (meetings.js)."""
    return json.dumps({f"{t.year}-{t.half}": country_name(t.country_code, t.country.name)
                       for t in presidency_terms(session)})


def _values(form: MeetingForm) -> dict:
    return dict(title=form.title.data, start=form.start.data, end=form.end.data, timezone=form.timezone.data,
                deadline=form.registration_deadline.data, presidency_code=form.presidency_code.data,
                venue=form.venue.data, online_url=form.online_url.data, description=form.description.data,
                marking=form.marking.data or "", minutes_marking=form.minutes_marking.data or "",
                released_to_observers=bool(form.released_to_observers.data))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    policy.ensure(policy.can_manage_meetings(current_user))
    session = get_session()
    form = MeetingForm()
    _fill_choices(form, session)
    form.fill_markings(session)
    if request.method == "GET" and request.args.get("clone_from"):
        form.clone_from.data = request.args["clone_from"]
    if form.validate_on_submit():
        source = session.get(Meeting, optional_int(form.clone_from.data) or 0)
        try:
            meeting = service.create_meeting(session, current_user, clone_from=source, **_values(form))
        except MeetingError as exc:
            session.rollback()
            show_error(form, exc)
        else:
            session.commit()
            flash(_("The meeting “%(title)s” is planned. Its agenda and invitee list were copied.", title=meeting.title)
                  if source else _("The meeting “%(title)s” is planned.", title=meeting.title), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, meeting=None,
                           calendar=_presidency_calendar(session)), 422 if form.errors else 200


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    session = get_session()
    form = MeetingForm(obj=meeting)
    _fill_choices(form, session, exclude=meeting.id)
    form.fill_markings(session)
    if request.method == "GET":
        form.start.data = service.local(meeting, meeting.starts_at).replace(tzinfo=None)
        form.end.data = service.local(meeting, meeting.ends_at).replace(tzinfo=None)
        deadline = service.local(meeting, meeting.registration_deadline)
        form.registration_deadline.data = deadline.date() if deadline else None
        form.presidency_code.data = meeting.presidency_code or ""
    if form.validate_on_submit():
        sequence = meeting.ical_sequence
        try:
            service.update_meeting(session, meeting, current_user, **_values(form))
        except MeetingError as exc:
            session.rollback()
            show_error(form, exc)
        else:
            mailed = 0
            if meeting.ical_sequence != sequence:  # time, place or title changed: calendars are updated
                mailed = invitations.notify_changed(session, meeting, base_url(), organizer())
            commit_and_send()
            flash(_("The meeting is updated. %(count)s invitees get the change for their calendars.", count=mailed)
                  if mailed else _("The meeting is updated."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, meeting=meeting,
                           calendar=_presidency_calendar(session)), 422 if form.errors else 200


@bp.route("/<int:meeting_id>")
@login_required
def show(meeting_id: int):
    return render_meeting(load_meeting(meeting_id))


def render_meeting(meeting: Meeting, *, document_form: DocumentForm | None = None,
                   version_error: tuple[int, str] | None = None) -> str:
    """The meeting page. `document_form`: an upload the portal refused, shown again with its messages beside
    its fields; `version_error`: (document id, message) for a refused new version, beside that document's file."""
    session = get_session()
    manage = policy.can_manage_meetings(current_user)
    own = policy.own_invitation(current_user, meeting)
    answer_form = None
    if own is not None and policy.can_manage_delegation(current_user, own) and not delegations.is_over(
            meeting, utcnow()):
        answer_form = answer_form_for(own)
    item_form = None
    if manage:
        item_form = AgendaItemForm(formdata=None)
        item_form.day.data = service.local(meeting, meeting.starts_at).date()
        item_form.register_entry_id.choices = [("", "— none —")] + [
            (str(e.id), f"{e.country_code}: {e.title}") for e in register.open_entries(session)]
        if document_form is None:
            document_form = DocumentForm(formdata=None)
        document_form.agenda_item_id.choices = [("", "The meeting")] + [
            (str(i.id), f"{i.position}. {i.title}") for i in meeting.agenda_items]
        item_form.fill_markings(session)
        document_form.fill_markings(session)
    else:
        document_form = None
    return render_template("meetings/show.html", meeting=meeting, manage=manage, own=own, local=service.local,
                           answer_form=answer_form, answer_open=own is not None and invitations.answer_open(
                               own, utcnow()),
                           counts=invitations.answer_counts(meeting) if manage else None,
                           item_form=item_form, document_form=document_form, version_error=version_error,
                           can_view_minutes=policy.can_view_minutes(current_user, meeting),
                           items=policy.visible_agenda_items(current_user, meeting),
                           documents=policy.visible_documents(current_user, meeting),
                           attendance_choices=Attendance, stamped_types=stamping.STAMPED_TYPES,
                           participants=delegations.participants(meeting)
                           if policy.can_view_participants(current_user) else None,
                           statuses=MeetingStatus, started=invitations.has_started(meeting, utcnow()))


@bp.route("/<int:meeting_id>/status", methods=["POST"])
@login_required
def set_status(meeting_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    session = get_session()
    try:
        status = MeetingStatus(request.form.get("status", ""))
        service.set_status(session, meeting, status, current_user, utcnow())
    except ValueError as exc:
        session.rollback()
        flash(str(exc) if isinstance(exc, MeetingError) else "Choose a status.", "danger")
    else:
        if status is MeetingStatus.CANCELLED:
            invitations.notify_cancelled(session, meeting, base_url(), organizer())
        commit_and_send()
        flash(_("The meeting is now %(status)s.", status=status.label.lower()), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/meeting.ics")
@login_required
def ics(meeting_id: int):
    meeting = load_meeting(meeting_id)
    return download_response(calendar.meeting_ics(meeting, base_url(), organizer()), f"meeting-{meeting.id}.ics",
                             "text/calendar")
