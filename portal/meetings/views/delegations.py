"""Delegations: the invitee names its participants; the secretariat downloads the participant list and the
badges and records the attendance of each participant (issue 19, 3a)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session, utcnow
from portal.files import download_response
from portal.meetings.forms import DelegateForm
from portal.meetings.models import Delegate
from portal.meetings.services import MeetingError
from portal.meetings.services import delegations as service
from portal.meetings.views import bp, load_meeting, show_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_invitation(meeting):
    invitation = policy.own_invitation(current_user, meeting)
    policy.ensure(invitation is not None and policy.can_manage_delegation(current_user, invitation))
    return invitation


@bp.route("/<int:meeting_id>/delegation", methods=["POST"])
@login_required
def add_delegate(meeting_id: int):
    meeting = load_meeting(meeting_id)
    invitation = _own_invitation(meeting)
    session = get_session()
    form = DelegateForm()
    if form.validate_on_submit():
        try:
            service.add_delegate(session, invitation, current_user, utcnow(), name=form.name.data,
                                 function=form.function.data, email=form.email.data,
                                 nationality=form.nationality.data, birth_date=form.birth_date.data,
                                 document_number=form.document_number.data)
        except MeetingError as exc:
            session.rollback()
            show_error(form, exc)
        else:
            session.commit()
            flash(_("%(name)s is added to your delegation.", name=form.name.data), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#delegation")
    return render_template("meetings/delegate_form.html", meeting=meeting, own=invitation, form=form), 422


@bp.route("/<int:meeting_id>/delegation/<int:delegate_id>/remove", methods=["POST"])
@login_required
def remove_delegate(meeting_id: int, delegate_id: int):
    meeting = load_meeting(meeting_id)
    invitation = _own_invitation(meeting)
    session = get_session()
    delegate = session.get(Delegate, delegate_id)
    if delegate is None or delegate.invitation_id != invitation.id:
        abort(404)
    try:
        service.remove_delegate(session, delegate, current_user, utcnow())
    except MeetingError as exc:
        session.rollback()
        flash(str(exc), "danger")
    else:
        session.commit()
        flash("The participant is removed from your delegation.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#delegation")


def _participants_meeting(meeting_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    policy.ensure(policy.can_view_participants(current_user))
    return meeting


@bp.route("/<int:meeting_id>/participants.<fmt>")
@login_required
def participants(meeting_id: int, fmt: str):
    meeting = _participants_meeting(meeting_id)
    if fmt not in ("xlsx", "pdf"):
        abort(404)
    service.log_download(get_session(), meeting, current_user, f"participants.{fmt}")
    get_session().commit()
    if fmt == "xlsx":
        return download_response(service.participants_xlsx(meeting), f"participants-meeting-{meeting.id}.xlsx", XLSX)
    if fmt == "pdf":
        return download_response(service.participants_pdf(meeting), f"participants-meeting-{meeting.id}.pdf",
                                 "application/pdf")
    abort(404)


@bp.route("/<int:meeting_id>/badges.pdf")
@login_required
def badges(meeting_id: int):
    meeting = _participants_meeting(meeting_id)
    service.log_download(get_session(), meeting, current_user, "badges.pdf")
    get_session().commit()
    return download_response(service.badges_pdf(meeting), f"badges-meeting-{meeting.id}.pdf", "application/pdf")


@bp.route("/<int:meeting_id>/participant-attendance", methods=["POST"])
@login_required
def participant_attendance(meeting_id: int):
    meeting = _participants_meeting(meeting_id)
    session = get_session()
    marks = {d.id: request.form.get(f"delegate_{d.id}", "") for _, d in service.participants(meeting)
             if f"delegate_{d.id}" in request.form}
    try:
        service.mark_attendance(session, meeting, current_user, marks, utcnow())
    except MeetingError as exc:
        session.rollback()
        flash(str(exc), "danger")
    else:
        session.commit()
        flash("The attendance of the participants is recorded.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#participants")
