"""Confirm or reject a case's cross-check hits, one or several at once."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from casemgmt.crosscheck import services
from casemgmt.crosscheck.views import bp
from casemgmt.models import Case
from casemgmt.views import load_case
from portal.db import get_session
from portal.errors import rule_message


@bp.route("/<number>/crosscheck/hits/<int:hit_id>", methods=["POST"])
@login_required
def decide(number: str, hit_id: int):
    case = load_case(number, handle=True)
    refused = _decide(case, [hit_id])
    if refused is not None:
        return refused
    flash("Decision recorded.", "success")
    return redirect(url_for("crosscheck.hits", number=case.registration_number))


def _decide(case: Case, ids: list[int]):
    """Record the form's decision on these hits in one transaction; the redirect to show when refused
    (an unknown hit: 404)."""
    session = get_session()
    try:
        for hit_id in ids:
            services.decide_hit(session, case, hit_id, request.form.get("decision", ""), current_user,
                                request.form.get("note", ""))
    except services.CrossCheckError as exc:
        session.rollback()
        if exc.status == 404:  # NoSuchHit
            abort(404)
        flash(rule_message(exc), "danger")
        return redirect(url_for("crosscheck.hits", number=case.registration_number)), 303
    session.commit()
    return None


@bp.route("/<number>/crosscheck/hits", methods=["POST"])
@login_required
def decide_many(number: str):
    """Several hits of the case confirmed or rejected in one decision (with one note): the officer
    decides the strong hits, then replies (issue 16, point 9)."""
    case = load_case(number, handle=True)
    ids = [int(v) for v in request.form.getlist("hit") if v.isdigit() and len(v) < 10]
    if not ids:
        flash("Tick the hits to decide.", "danger")
        return redirect(url_for("crosscheck.hits", number=case.registration_number)), 303
    refused = _decide(case, ids)
    if refused is not None:
        return refused
    flash(f"Decision recorded for {len(ids)} hits.", "success")
    return redirect(url_for("casemgmt.case_page", number=case.registration_number) if case.is_open
                    else url_for("crosscheck.hits", number=case.registration_number))
