"""The case page (each opening is a logged consultation), attachments, and the case-file export."""

from __future__ import annotations

import datetime as dt
import time

from flask import abort, current_app, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from casemgmt import forms
from casemgmt.models import Attachment, Case, CaseStatus, CounterpartType, ExchangeOutcome
from casemgmt.services import access_log as access
from casemgmt.services import scans
from casemgmt.services.deadlines import deadline_state, time_left_parts
from casemgmt.services.dedupe import linked_cases
from casemgmt.services.exchanges import exchange_rows
from casemgmt.services.folder import (
    attachments_of,
    entities_of,
    folder_fingerprint,
    notes_of,
    side_fingerprint,
    tasks_of,
)
from casemgmt.services.outgoing import authorities, disseminations, export_case_rows, providers_restriction
from casemgmt.services.priority import LEVELS, reason_text
from casemgmt.services.retention import reviews_of
from casemgmt.services.settings import load_settings
from casemgmt.services.workflow import ACTION_LABELS, PLAIN_ACTIONS, allowed_actions
from casemgmt.views import bp, load_case
from casemgmt.views.display import time_left_text
from portal import policy
from portal.accounts.models import User
from portal.audit import AuditAction
from portal.db import get_db, get_session, utcnow
from portal.exports import csv_bytes
from portal.files import download_response, read_file
from portal.i18n import translate
from portal.security import recent_login_required

GRANT_SECONDS = 15 * 60


def _grant_key(case: Case) -> str:
    return f"case_opened_{case.id}"


def closed_justification(case: Case) -> str | None:
    """For a closed case: the justification given in the last minutes, or None (ask for one)."""
    grant = session.get(_grant_key(case))
    if grant and time.time() - grant.get("at", 0) < GRANT_SECONDS:
        return grant.get("justification", "")
    return None


CASE_PAGE_LOG = 25  # the latest entries of the case's log on its page; the access-log page has them all


def _log_consultation(case: Case, what: str, justification: str = "") -> None:
    with get_db().unit_of_work() as s:  # in its own short transaction: a read request holds no write lock
        access.log_consultation(s, current_user, case, what, justification=justification)


def _people(case: Case) -> list[User]:
    return list(get_session().scalars(select(User).where(
        User.country_code == case.country_code, User.active, User.role.in_(policy.assignable_roles()))
        .order_by(User.name, User.email)))


def render_refused(case: Case, flag_target: tuple[str, int] | None = None, **bound):
    """A refused action: the case page again with each error beside its field (422), through the page's
    own gate. A closed case opened without a justification in the last minutes goes back to its page,
    which asks for one (the errors are told there, without the folder); every rendering of the folder
    is logged as a consultation (issue 23, point 2)."""
    s = get_session()
    s.rollback()  # nothing of the refused action stays
    justification = ""
    if not case.is_open and case.merged_into_id is None:
        justification = closed_justification(case)
        if justification is None:
            for form in bound.values():
                for name, errors in (getattr(form, "errors", None) or {}).items():
                    label = getattr(getattr(form, name, None), "label", None)
                    flash(_("%(field)s: %(problems)s", field=translate(label.text) if label else name,
                            problems=" ".join(translate(e) for e in errors)), "danger")
            return redirect(url_for("casemgmt.case_page", number=case.registration_number))
    # a form whose panel the page does not show in this state: its errors are said at the top
    hidden = {k for k in bound if k in ("reply", "refuse", "disseminate", "evaluate") and k not in allowed_actions(case)}
    for key in hidden:
        flash(_("“%(action)s” is not possible while the case is %(status)s.", action=translate(ACTION_LABELS.get(key, key)),
                status=CaseStatus(case.status).label.lower()), "danger")
    # logged in the request's own (writing) session: a second writer would wait for its lock
    access.log(s, current_user, s.get(Case, case.id), AuditAction.CONSULTATION,
               "case page shown again after a refused action", justification=justification)
    s.commit()
    return render_case(s.get(Case, case.id), 422, flag_target=flag_target, **bound)


def render_case(case: Case, status: int = 200, flag_target: tuple[str, int] | None = None, **bound):
    """The case page; `bound` holds forms re-shown with their errors after a failed action
    (`flag`: the flag form of the entity `flag_target`). The folder and the column of actions are kept
    per what they show (casemgmt/views/case_folder.py, case_actions.py): their data are read through
    the ORM only when one of them is rendered."""
    from casemgmt.services.approvals import FOUR_EYES
    from casemgmt.views.case_actions import actions_html
    from casemgmt.views.case_folder import case_columns, folder_html, xc_panel_html
    from casemgmt.views.case_log import log_lines
    from casemgmt.views.templates import template_choices

    s = get_session()
    g.pop("crosscheck_summaries", None)  # casemgmt.crosscheck._summary: computed afresh for this rendering
    now = utcnow()
    settings = load_settings(s, case.country_code)
    actions = allowed_actions(case)
    context = dict(
        case=case, now=now, f={"flag": bound.get("flag")}, settings=settings,
        state=deadline_state(case, now, settings), left=time_left_text(time_left_parts(case, now)),
        levels=LEVELS, reason_text=reason_text,
        log_lines=log_lines(s, case, access.latest_case_rows(s, case, CASE_PAGE_LOG)),
        log_total=access.count_case_entries(s, case),
        can_read_log=policy.can_read_access_log(current_user, case.country_code), actions=actions,
        plain_actions=[(a, ACTION_LABELS[a]) for a in PLAIN_ACTIONS if a in actions],
        outcome_choices=[(o.value, o.label) for o in ExchangeOutcome],
        can_handle=policy.can_handle_case(current_user, case),
        can_retain=policy.can_decide_retention(current_user, case), CaseStatus=CaseStatus,
        CounterpartType=CounterpartType, entities_changeable=case.is_open and not case.erased_at,
        flag_target=flag_target, approval_kinds=FOUR_EYES, can_approve=policy.can_approve(current_user, case),
        case_columns=case_columns(case), fingerprint=folder_fingerprint(s, case), side_rows=side_fingerprint(s, case),
        today=dt.date.today(),
    )

    def load() -> dict:
        """The folder's and the column's data, read into the context when one of them is rendered."""
        if "entities" not in context:
            context.update(_folder_data(s, case))
            context.update(provider_code=providers_restriction(s, case)[0], authorities=authorities(s, case.country_code),
                           person_choices=[(0, _("— nobody —"))] + [(u.id, u.name or u.email) for u in _people(case)],
                           message_templates=template_choices(case.country_code))
        return context

    context["folder_html"] = folder_html(case, context, load)
    context["xc_panel_html"] = xc_panel_html(case, context)
    if context["can_handle"] or context["can_retain"]:
        context["actions_html"] = actions_html(case, context, bound, settings, load)
    return render_template("casemgmt/case.html", **context), status


def _folder_data(s, case: Case) -> dict:
    from casemgmt.services.approvals import approvals_of

    return dict(entities=entities_of(s, case), attachments=attachments_of(s, case), notes=notes_of(s, case),
                tasks=tasks_of(s, case), links=linked_cases(s, case), disseminations=disseminations(s, case),
                reviews=reviews_of(s, case), exchanges=exchange_rows(s, case),
                merged_cases=list(s.scalars(select(Case).where(Case.merged_into_id == case.id))),
                approvals=approvals_of(s, case), held_scans=scans.held_ids(s, case))


@bp.route("/<number>")
@login_required
def case_page(number: str):
    case = load_case(number)
    justification = ""
    if not case.is_open and case.merged_into_id is None:
        justification = closed_justification(case)
        if justification is None:
            return render_template("casemgmt/consult.html", case=case, form=forms.JustificationForm())
    _log_consultation(case, "case page opened", justification)
    return render_case(case)


@bp.route("/<number>/open", methods=["POST"])
@login_required
def consult(number: str):
    """The justification for opening a closed case (asked before anything is shown)."""
    case = load_case(number)
    form = forms.JustificationForm()
    if not form.validate_on_submit():
        return render_template("casemgmt/consult.html", case=case, form=form), 422
    session[_grant_key(case)] = {"at": time.time(), "justification": form.justification.data.strip()}
    return redirect(url_for("casemgmt.case_page", number=case.registration_number))


@bp.route("/<number>/attachments/<int:attachment_id>")
@login_required
def attachment(number: str, attachment_id: int):
    case = load_case(number)
    item = get_session().get(Attachment, attachment_id)
    if item is None or item.case_id != case.id or item.file.purged_at is not None:
        abort(404)
    justification = ""
    if not case.is_open and case.merged_into_id is None:
        justification = closed_justification(case)
        if justification is None:
            return redirect(url_for("casemgmt.case_page", number=case.registration_number))
    data = read_file(current_app.config["UPLOAD_FOLDER"], item.file)
    _log_consultation(case, f"attachment #{item.id} opened", justification)
    disposition = "inline" if item.file.mimetype in ("application/pdf", "image/png", "image/jpeg") else "attachment"
    return download_response(data, item.file.original_name, item.file.mimetype, inline=disposition == "inline")


@bp.route("/<number>/export", methods=["POST"])
@login_required
@recent_login_required
def export(number: str):
    case = load_case(number, handle=True)
    form = forms.JustificationForm(prefix="ex")
    if not form.validate_on_submit():
        return render_refused(case, export=form)
    s = get_session()
    rows = export_case_rows(s, case, current_user, form.justification.data)
    s.commit()
    body = csv_bytes(["record", "field 1", "field 2", "field 3", "field 4", "field 5", "field 6", "field 7"], rows)
    return download_response(body, f"{case.registration_number}.csv", "text/csv")
