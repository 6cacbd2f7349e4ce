"""What an officer does on a case page: each action one POST, one service call, one commit."""

from __future__ import annotations

from flask import abort, after_this_request, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casemgmt import forms
from casemgmt.crosscheck.services import unreviewed_strong_hits
from casemgmt.models import Case
from casemgmt.services import CaseError, dedupe, outgoing, retention, workflow
from casemgmt.services.folder import authorised_case
from casemgmt.services.intake import attach_file
from casemgmt.views import bp, load_case, uploads
from casemgmt.views.case import render_refused
from portal import policy
from portal.accounts.models import User
from portal.db import get_session
from portal.enums import N_
from portal.errors import show_beside_field
from portal.files import UploadError
from portal.fragments import fragments
from portal.i18n import translate
from portal.security import reauth_redirect


def _run(case: Case, form, key: str, work, done: str):
    """Validate the form, do the work, commit and go back to the case; or show the form's errors.
    The work may return what to tell the user instead of `done` (e.g. "sent for approval")."""
    s = get_session()
    if form.validate_on_submit():
        try:
            said = work(s, form)
        except (CaseError, UploadError) as exc:
            s.rollback()
            show_beside_field(form, exc)  # beside the field it names, else said at the top
        else:
            s.commit()
            flash(said if isinstance(said, str) else done, "success")
            return redirect(url_for("casemgmt.case_page", number=case.registration_number))
    return render_refused(s.get(Case, case.id), **{key: form})


def held_for_approval(s, case: Case, action: str, payload: dict, summary: str,
                      exchange_number: int | None = None) -> str | None:
    """Four-eyes: when the SPOC wants this checked by a supervisor, keep the draft for approval and say
    so (None: carry it out now)."""
    from casemgmt.services import approvals

    kind = approvals.needs_approval(s, case, current_user, action, payload)
    if kind is None:
        return None
    approvals.submit(s, case, current_user, kind=kind, action=action, payload=payload, summary=summary,
                     exchange_number=exchange_number)
    return _("%(what)s need a supervisor's approval: the draft waits for it; nothing was sent.",
             what=translate(approvals.FOUR_EYES[kind]))


def _other_case(number: str, field: str) -> Case:
    other = authorised_case(get_session(), current_user, number.strip())
    if other is None:
        raise CaseError("There is no such case in your SPOC.", field)
    return other


def _user(user_id: int | None, field: str) -> User | None:
    if not user_id:
        return None
    user = get_session().get(User, user_id)
    if user is None or user.country_code != current_user.country_code:
        raise CaseError("Choose someone of your SPOC.", field)
    return user


@bp.route("/<number>/evaluate", methods=["POST"])
@login_required
def evaluate(number: str):
    case = load_case(number, handle=True)
    form = forms.EvaluateForm(prefix="ev")
    form.crime_category.choices = []
    return _run(case, form, "evaluate", lambda s, f: workflow.evaluate(
        s, case, current_user, urgent=f.urgent.data, urgency_ground=f.urgency_ground.data or None,
        information_access=f.information_access.data or None, crime_category=f.crime_category.data or "",
        source_code=f.source_code.data or None, information_code=f.information_code.data or None,
        handling_code=f.handling_code.data or None, handling_text=f.handling_text.data or ""),
        N_("Evaluation recorded; deadline and priority recomputed."))


@bp.route("/<number>/cross-check", methods=["POST"])
@login_required
def cross_check(number: str):
    case = load_case(number, handle=True)
    return _run(case, _Plain(), "none", lambda s, f: workflow.record_cross_check(s, case, current_user, request.form.get("summary", "")),
                N_("Cross-check recorded."))


class _Plain:
    """A form with nothing but the CSRF token (checked by CSRFProtect for every POST)."""

    def validate_on_submit(self) -> bool:
        return True


@bp.route("/<number>/move", methods=["POST"])
@login_required
def move(number: str):
    case = load_case(number, handle=True)
    action = request.form.get("action", "")
    if action not in workflow.PLAIN_ACTIONS:
        action = "invalid"
    outcome = request.form.get("outcome") or None if action == "close" else None
    return _run(case, _Plain(), "none", lambda s, f: workflow.apply(s, case, action, current_user, outcome=outcome),
                _("%(action)s: done.", action=translate(workflow.ACTION_LABELS.get(action, action))))


@bp.route("/<number>/reply", methods=["POST"])
@login_required
def reply(number: str):
    case = load_case(number, handle=True)

    def work(s, f):
        payload = dict(body=f.body.data, handling_code=f.handling_code.data, handling_text=f.handling_text.data or "",
                       justification=f.justification.data)
        held = held_for_approval(s, case, "case_reply", payload, f"Reply ({f.handling_code.data}):\n{f.body.data}", 1)
        if held:
            return held
        outgoing.send_reply(s, case, current_user, **payload)
        return None

    return _run(case, forms.ReplyForm(prefix="re"), "reply", work, N_("Reply sent."))


@bp.route("/<number>/refuse", methods=["POST"])
@login_required
def refuse(number: str):
    case = load_case(number, handle=True)

    def work(s, f):
        payload = dict(grounds=f.grounds.data or [], justification=f.justification.data, partial=f.partial.data,
                       body=f.body.data or "", handling_code=f.handling_code.data or None,
                       handling_text=f.handling_text.data or "")
        summary = f"Refusal on ground(s) {', '.join(payload['grounds'])}: {payload['justification']}"
        held = held_for_approval(s, case, "case_refuse", payload, summary, 1)
        if held:
            return held
        outgoing.refuse(s, case, current_user, **payload)
        return None

    return _run(case, forms.RefuseForm(prefix="rf"), "refuse", work, N_("Refusal sent."))


@bp.route("/<number>/delay-notice", methods=["POST"])
@login_required
def delay_notice(number: str):
    case = load_case(number, handle=True)
    return _run(case, forms.DelayNoticeForm(prefix="dn"), "delay", lambda s, f: outgoing.send_delay_notice(
        s, case, current_user, expected_delay_days=f.expected_delay_days.data, reasons=f.reasons.data),
        N_("Delay notice sent to the requester; the deviation is counted (Art. 5(2))."))


@bp.route("/<number>/authorisation", methods=["POST"])
@login_required
def authorisation(number: str):
    case = load_case(number, handle=True)
    granted = request.form.get("granted") == "1"
    return _run(case, _Plain(), "none", lambda s, f: outgoing.authorisation_decided(s, case, current_user, granted),
                N_("Judicial authorisation recorded."))


@bp.route("/<number>/disseminate", methods=["POST"])
@login_required
def disseminate(number: str):
    case = load_case(number, handle=True)

    def work(s, f):
        # Art. 16(1)(d): the officer sees the cross-check's strong hits before anything leaves the SPOC
        unreviewed = unreviewed_strong_hits(s, case)
        if unreviewed and not f.confirm_hits.data:
            raise CaseError("%(count)s strong cross-check hit(s) are not reviewed yet: review them, or tick this box "
                            "to disseminate anyway.", "confirm_hits", count=len(unreviewed))
        outgoing.disseminate(s, case, current_user, authority_id=f.authority_id.data or 0, summary=f.summary.data,
                             handling_code=f.handling_code.data, handling_text=f.handling_text.data or "",
                             justification=f.justification.data)

    return _run(case, forms.DisseminateForm(prefix="ds"), "disseminate", work,
                N_("Disseminated; recorded with its handling code."))


@bp.route("/<number>/assign", methods=["POST"])
@login_required
def assign(number: str):
    case = load_case(number, handle=True)
    return _run(case, forms.AssignForm(prefix="as"), "assign", lambda s, f: workflow.assign(
        s, case, current_user, _user(f.assignee_id.data, "assignee_id")), N_("Assignment saved."))


@bp.route("/<number>/tasks", methods=["POST"])
@login_required
def add_task(number: str):
    case = load_case(number, handle=True)
    return _run(case, forms.TaskForm(prefix="tk"), "task", lambda s, f: workflow.add_task(
        s, case, current_user, f.title.data, _user(f.assignee_id.data, "assignee_id")), N_("Task added."))


@bp.route("/<number>/tasks/<int:task_id>/done", methods=["POST"])
@login_required
def task_done(number: str, task_id: int):
    case = load_case(number, handle=True)
    return _run(case, _Plain(), "none", lambda s, f: workflow.complete_task(s, case, current_user, task_id),
                N_("Task done."))


@bp.route("/<number>/notes", methods=["POST"])
@login_required
def add_note(number: str):
    case = load_case(number, handle=True)
    return _run(case, forms.NoteForm(prefix="nt"), "note",
                lambda s, f: workflow.add_note(s, case, current_user, f.text.data), N_("Note added."))


@bp.route("/<number>/link", methods=["POST"])
@login_required
def link(number: str):
    case = load_case(number, handle=True)
    return _run(case, forms.LinkForm(prefix="ln"), "link", lambda s, f: dedupe.link_cases(
        s, case, _other_case(f.other.data, "other"), current_user, f.reason.data or ""), N_("Cases linked."))


@bp.route("/<number>/merge", methods=["POST"])
@login_required
def merge(number: str):
    case = load_case(number, handle=True)
    return _run(case, forms.MergeForm(prefix="mg"), "merge", lambda s, f: dedupe.merge_case(
        s, case, _other_case(f.target.data, "target"), current_user, f.justification.data),
        N_("Merged: this case now shows where its folder went."))


@bp.route("/<number>/priority", methods=["POST"])
@login_required
def priority(number: str):
    case = load_case(number, handle=True)
    return _run(case, forms.PriorityForm(prefix="pr"), "priority", lambda s, f: workflow.set_priority(
        s, case, current_user, int(f.priority.data) if f.priority.data else None, f.reason.data), N_("Priority saved."))


@bp.route("/<number>/attachments", methods=["POST"])
@login_required
def upload(number: str):
    case = load_case(number, handle=True)

    def work(s, f):
        if not f.file.data or not f.file.data.filename:
            raise CaseError("Choose a file.", "file")
        # a refused file is an UploadError naming its field ("file", or "scan_confirmed"): _run shows it there
        attach_file(s, case, f.file.data.read(), f.file.data.filename, current_user, uploads(),
                    scan_confirmed=bool(f.scan_confirmed.data))

    return _run(case, forms.AttachmentForm(prefix="at"), "attachment", work, N_("Attachment added."))


@bp.route("/<number>/retention", methods=["POST"])
@login_required
def retention_review(number: str):
    case = load_case(number)
    policy.ensure(policy.can_decide_retention(current_user, case))
    if request.form.get("rt-decision") == "erase" and (again := reauth_redirect()):
        return again  # erasing for good asks for the password again, like exports and tokens

    def work(s, f):
        if f.decision.data == "erase":
            retention.erase(s, case, current_user, f.reason.data, uploads().folder)
            # this process's kept pages (portal/fragments.py) are dropped once the erasure is committed: their keys
            # hold the case's old rows, so none would be shown again, but they would hold its people's data in
            # memory until crowded out (Directive (EU) 2016/680 Art. 5 and 16(2): erased for good; another app
            # server's copies, keyed alike and never shown, are crowded out there)
            after_this_request(_drop_kept_pages)
        else:
            retention.keep(s, case, current_user, f.reason.data, f.next_review.data)

    return _run(case, forms.RetentionForm(prefix="rt"), "retention", work, N_("Retention decision recorded."))


def _drop_kept_pages(response):
    fragments().clear()
    return response


@bp.route("/<number>/exchanges/<int:n>/suggestion", methods=["POST"])
@login_required
def suggestion(number: str, n: int):
    """Confirm (the same request on two channels: merged, one clock from the earliest receipt) or dismiss
    (optionally linking the cases) a possible duplicate suggested at intake."""
    from casemgmt.services.exchange_folder import decide_suggestion
    from casemgmt.services.exchanges import exchange_by_number

    case = load_case(number, handle=True)
    exchange = exchange_by_number(get_session(), case, n)
    if exchange is None:
        abort(404)
    decision = request.form.get("decision", "")
    return _run(case, _Plain(), "none", lambda s, f: decide_suggestion(
        s, case, exchange, current_user, of=request.form.get("of", ""), decision=decision,
        link=request.form.get("link") == "1"),
        N_("Merged: one request, timed from its first receipt.") if decision == "confirm"
        else N_("Suggestion dismissed."))
