"""A case's cross-check page: the hits with their reasons; run the cross-check now."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from casemgmt.crosscheck import services
from casemgmt.crosscheck.reference import expired_datasets
from casemgmt.crosscheck.views import bp
from casemgmt.models import Case
from casemgmt.views import load_case
from casemgmt.views.case import closed_justification
from portal import policy
from portal.db import get_db, get_session


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
    flash(ngettext("Cross-check run: %(num)s hit.", "Cross-check run: %(num)s hits.", len(result.hits)), "success")
    return redirect(url_for("crosscheck.hits", number=case.registration_number))
