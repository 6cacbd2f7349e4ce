"""Four-eyes approvals (issue 17, point 5): the supervisors' list of drafts waiting, and their decision."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casemgmt.models import Approval
from casemgmt.services import CaseError, approvals
from casemgmt.views import bp, require_cases
from portal import policy
from portal.db import get_session
from portal.errors import rule_message


@bp.route("/approvals")
@login_required
def approvals_page():
    require_cases()
    policy.ensure(policy.can_approve_cases(current_user))
    count, waiting = approvals.pending(get_session(), current_user.country_code)
    return render_template("casemgmt/approvals.html", waiting=waiting, count=count, kinds=approvals.FOUR_EYES)


@bp.route("/approvals/<int:approval_id>", methods=["POST"])
@login_required
def approval_decide(approval_id: int):
    require_cases()
    s = get_session()
    approval = s.get(Approval, approval_id)
    if approval is None or approval.country_code != current_user.country_code:
        abort(404)
    policy.ensure(policy.can_approve(current_user, approval.case))
    number = approval.case.registration_number
    approve = request.form.get("decision") == "approve"
    try:
        approvals.decide(s, approval, current_user, approve=approve, comment=request.form.get("comment", ""))
    except CaseError as exc:
        s.rollback()
        flash(_("Not done: %(reason)s", reason=rule_message(exc)), "danger")
    else:
        s.commit()
        flash("Approved: it was sent as the officer's." if approve else "Sent back to the officer with your comment.",
              "success")
    target = request.form.get("back") == "list"
    return redirect(url_for("casemgmt.approvals_page") if target else url_for("casemgmt.case_page", number=number))
