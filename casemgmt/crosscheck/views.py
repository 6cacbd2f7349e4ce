"""Pages of the cross-check inside a case: the hits with their reasons, run now, confirm or reject."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casemgmt.crosscheck import services
from casemgmt.crosscheck.reference import expired_datasets
from casemgmt.models import Case
from casemgmt.views import load_case
from casemgmt.views.case import closed_justification
from portal import policy
from portal.db import get_db, get_session

bp = Blueprint("crosscheck", "casemgmt.crosscheck", url_prefix="/cases", template_folder="templates")


@bp.route("/<number>/crosscheck")
@login_required
def hits(number: str):
    case = load_case(number)
    justification = ""
    if not case.is_open and case.merged_into_id is None:  # a closed case is opened with a reason, as its page
        justification = closed_justification(case)
        if justification is None:
            return redirect(url_for("casemgmt.case_page", number=case.registration_number))
    session = get_session()
    found = services.hits_of(session, case)
    with get_db().unit_of_work() as s:
        services.record_consultation(s, s.get(Case, case.id), current_user, len(found), justification=justification)
    return render_template("crosscheck/hits.html", case=case, hits=found,
                           run=services.latest_run(session, case),
                           can_handle=policy.can_handle_case(current_user, case),
                           strong_open=services.unreviewed_strong_hits(session, case),
                           expired=expired_datasets(session, case.country_code))


@bp.route("/<number>/crosscheck/run", methods=["POST"])
@login_required
def run(number: str):
    case = load_case(number, handle=True)
    result = services.run_crosscheck(get_session(), case, current_user, trigger="on_demand")
    get_session().commit()
    flash(f"Cross-check run: {len(result.hits)} hit(s).", "success")
    return redirect(url_for("crosscheck.hits", number=case.registration_number))


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
        if exc.field == "hit":
            abort(404)
        flash(str(exc), "danger")
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
