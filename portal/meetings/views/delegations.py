"""Delegations: the invitee answers the invitation with its participants (one form); the secretariat downloads
the participant list and the badges and records the attendance of each participant (issue 19, 3a)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session, utcnow
from portal.errors import show_beside_field
from portal.files import download_response
from portal.meetings.forms import AnswerForm
from portal.meetings.services import MeetingError
from portal.meetings.services import delegations as service
from portal.meetings.services.invitations import answer_open
from portal.meetings.services.meetings import local
from portal.meetings.views import bp, load_meeting

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _entries(form: AnswerForm) -> tuple[list[dict], list[int]]:
    """The participants the form keeps (not removed, not blank) and the row of each."""
    entries, rows = [], []
    for row, sub in enumerate(form.participants):
        if sub.form.remove.data or sub.form.is_blank():
            continue
        raw = sub.form.delegate_id.data or ""
        entries.append(dict(id=int(raw) if raw.isdigit() else -1 if raw else None, name=sub.form.name.data,
                            function=sub.form.function.data, email=sub.form.email.data,
                            nationality=sub.form.nationality.data, birth_date=sub.form.birth_date.data,
                            document_number=sub.form.document_number.data))
        rows.append(row)
    return entries, rows


def _show_error(form: AnswerForm, exc: MeetingError, rows: list[int]) -> None:
    """A participant's error beside its field in its row; the others beside the answer."""
    parts = (exc.field or "").split(".")
    if len(parts) == 3 and parts[0] == "participants" and parts[1].isdigit():
        index = int(parts[1])
        row = rows[index] if index < len(rows) else len(rows)
        if row < len(form.participants):
            sub = form.participants[row].form
            show_beside_field(sub, exc, fields={exc.field: parts[2] if hasattr(sub, parts[2]) else "name"})
            return
    show_beside_field(form, exc, fields={exc.field: "answer"})


@bp.route("/<int:meeting_id>/answer", methods=["POST"])
@login_required
def answer(meeting_id: int):
    """The invitee answers with its delegation (or, after the registration deadline, changes its delegation)."""
    meeting = load_meeting(meeting_id)
    invitation = policy.own_invitation(current_user, meeting)
    policy.ensure(invitation is not None and policy.can_manage_delegation(current_user, invitation))
    session = get_session()
    form = AnswerForm(formdata=request.form)
    answering = answer_open(invitation, utcnow())
    if form.validate_on_submit():
        entries, rows = _entries(form)
        try:
            service.set_delegation(session, invitation, current_user, utcnow(), entries,
                                   answer=form.answer.data if answering else form.answer.data or None)
        except MeetingError as exc:
            session.rollback()
            _show_error(form, exc, rows)
        else:
            session.commit()
            flash(ngettext("Your answer is recorded: %(answer)s, %(num)s participant.",
                           "Your answer is recorded: %(answer)s, %(num)s participants.", len(invitation.delegates),
                           answer=invitation.answer_enum.label if invitation.answer_enum else "—"), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#answer-h")
    return render_template("meetings/answer.html", meeting=meeting, own=invitation, answer_form=form,
                           answer_open=answering, local=local), 422


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
