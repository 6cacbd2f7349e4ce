"""Invitations: the invitee list and sending (secretariat), reminders, attendance,
and each user's private calendar feed."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_db, get_session, utcnow
from portal.directory.services import agencies, countries
from portal.meetings.models import Attendance
from portal.meetings.services import MeetingError, calendar
from portal.meetings.services import invitations as service
from portal.meetings.views import base_url, bp, commit_and_send, load_meeting, organizer


def _render(meeting, errors=None, chosen=None, reasons=None, status=200, typed=None):
    session = get_session()
    existing = {inv.invitee: inv for inv in meeting.invitations}
    if chosen is None:
        chosen = set(existing) or {c.code for c in countries(session)}  # default: all 31 countries
    if reasons is None:
        reasons = {inv.agency_code: inv.reason for inv in meeting.invitations if inv.agency_code}
    return render_template("meetings/invitations.html", meeting=meeting, countries=countries(session),
                           agencies=agencies(session), existing=existing, chosen=chosen, reasons=reasons,
                           errors=errors or {}, groups=service.participant_groups(meeting),
                           withdrawn=service.participant_groups(meeting, withdrawn=True),
                           counts=service.answer_counts(meeting), attendance=Attendance,
                           unsent=sum(1 for i in meeting.invitations if i.sent_at is None),
                           can_withdraw=meeting.status in ("planned", "invitations_sent"),
                           started=service.has_started(meeting, utcnow()),
                           typed=typed or {}), status


@bp.route("/<int:meeting_id>/invitations", methods=["GET", "POST"])
@login_required
def invitations(meeting_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    if request.method == "GET":
        return _render(meeting)
    session = get_session()
    chosen_countries = request.form.getlist("countries")
    chosen_agencies = {code: request.form.get(f"reason_{code}", "") for code in request.form.getlist("agencies")}
    reasons = {a.code: request.form.get(f"reason_{a.code}", "") for a in agencies(session)}
    try:
        service.set_invitees(session, meeting, current_user, chosen_countries, chosen_agencies)
        sent = 0
        if request.form.get("action") == "send":
            sent = service.send_invitations(session, meeting, current_user, base_url(), utcnow(),
                                            organizer())
    except MeetingError as exc:
        session.rollback()
        return _render(meeting, {exc.field or "countries": str(exc)},
                       set(chosen_countries) | set(chosen_agencies), reasons, 422)
    commit_and_send()
    flash(_("Invitations sent to %(count)s invitees, each with the .ics.", count=sent) if sent
          else _("The invitee list is saved."),
          "success")
    return redirect(url_for("meetings.invitations", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/invitations/remind", methods=["POST"])
@login_required
def remind(meeting_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    reminded = service.remind_unanswered(get_session(), meeting, base_url(), utcnow())
    commit_and_send()
    flash(_("Reminded %(count)s invitees who had not answered: %(names)s.", count=len(reminded), names=", ".join(reminded))
          if reminded else _("Nobody to remind: every invitee has answered (or the deadline has passed)."), "info")
    return redirect(url_for("meetings.invitations", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@login_required
def withdraw(meeting_id: int, invitation_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    if all(inv.id != invitation_id for inv in meeting.invitations):
        abort(404)
    session = get_session()
    try:
        inv = service.withdraw(session, meeting, current_user, invitation_id, request.form.get("reason", ""),
                               base_url(), utcnow(), organizer())
    except MeetingError as exc:
        session.rollback()
        return _render(meeting, {exc.field or "withdraw": str(exc)}, status=422,
                       typed={f"withdraw_reason_{invitation_id}": request.form.get("reason", "")})
    commit_and_send()
    flash(_("The invitation of %(invitee)s is withdrawn; they are told why, with an .ics that removes the "
            "meeting from their calendar.", invitee=inv.invitee), "success")
    return redirect(url_for("meetings.invitations", meeting_id=meeting.id) + "#participants")


@bp.route("/<int:meeting_id>/attendance", methods=["POST"])
@login_required
def attendance(meeting_id: int):
    meeting = load_meeting(meeting_id, manage=True)
    session = get_session()
    marks = {inv.id: request.form.get(f"attendance_{inv.id}", "") for inv in meeting.invitations if inv.sent_at}
    try:
        service.mark_attendance(session, meeting, current_user, marks, utcnow())
    except MeetingError as exc:
        session.rollback()
        return _render(meeting, {exc.field or "attendance": str(exc)}, status=422)
    session.commit()
    flash("Attendance is recorded.", "success")
    return redirect(url_for("meetings.invitations", meeting_id=meeting.id) + "#participants")


# the private calendar feed ---------------------------------------------------------------------
@bp.route("/calendar-feed", methods=["GET", "POST"])
@login_required
def calendar_feed():
    policy.ensure(policy.can_use_calendar_feed(current_user))
    session = get_session()
    new_url = None
    if request.method == "POST":
        if request.form.get("action") == "revoke":
            calendar.revoke_feed(session, current_user)
            session.commit()
            flash("Your calendar feed address no longer works.", "success")
            return redirect(url_for("meetings.calendar_feed"))
        raw = calendar.create_feed_token(session, current_user)
        session.commit()
        new_url = url_for("meetings.feed", token=raw, _external=False)
        new_url = base_url().rstrip("/") + new_url
    return render_template("meetings/calendar_feed.html", feed=calendar.active_feed(session, current_user),
                           new_url=new_url)


@bp.route("/feed/<token>.ics")
def feed(token: str):
    """No login: the unguessable token in the URL is the credential (calendar programs send no cookie)."""
    with get_db().unit_of_work() as session:
        user = calendar.user_for_feed(session, token)
        if user is None:
            abort(404)
        body = calendar.feed_ics(session, user, base_url(), organizer())
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, no-store"})

