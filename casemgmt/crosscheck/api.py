"""JSON API of the cross-check: a case's latest run and hits, and a decision on a hit (as on the page)."""

from __future__ import annotations

from flask import jsonify

from casemgmt.api import case_for, closed_case_justification
from casemgmt.crosscheck import services
from casemgmt.crosscheck.models import CrossCheckHit
from casemgmt.crosscheck.schemas import (
    EXAMPLE,
    CrossCheckOut,
    DecisionIn,
    DecisionOut,
    ExpiredDatasetOut,
    HitOut,
    RunOut,
)
from casemgmt.models import Case
from portal.api import current_api_user, endpoint, parse_body
from portal.db import get_db, get_session


def hit_out(hit: CrossCheckHit) -> HitOut:
    return HitOut(id=hit.id, level=hit.level, score=hit.score, query=hit.query_display, matched=hit.matched_display,
                  source=hit.source, reasons=list(hit.reasons or []),
                  matched_case=hit.matched_case.registration_number if hit.matched_case else None,
                  decision=DecisionOut(status=hit.status, note=hit.decision_note, decided_at=hit.decided_at))


@endpoint("/cases/<registration_number>/crosscheck", summary="The case's latest cross-check run and its hits "
          "(the consultation is logged)", tag="cases", response=CrossCheckOut, statuses=(404, 422), params=[
              {"name": "justification", "in": "query", "required": False,
               "description": "required to open a closed or archived case", "schema": {"type": "string"}}])
def case_crosscheck(registration_number: str):
    """The hits the cross-check page shows, in its order (best score first): every case role of the
    case's SPOC reads them; anyone else gets 404. A closed case, as its detail, needs a justification."""
    user = current_api_user()
    case = case_for(registration_number)
    justification = closed_case_justification(case)
    session = get_session()
    found = services.hits_of(session, case)
    summary = services.case_summary(session, case, found)
    run = summary["run"]
    body = CrossCheckOut(
        registration_number=case.registration_number, pending=summary["pending"], strong=summary["strong"],
        unreviewed_strong=summary["unreviewed_strong"], hits=[hit_out(h) for h in found],
        expired_datasets=[ExpiredDatasetOut(name=ds.name, expires_on=ds.expires_on, legal_basis=ds.legal_basis,
                                            owner=ds.owner) for ds in summary["expired"]],
        run=RunOut(id=run.id, status=run.status, trigger=run.trigger, started_at=run.started_at,
                   finished_at=run.finished_at, queries=run.queries, hits=run.hits, sources=list(run.sources or []))
        if run else None)
    with get_db().unit_of_work() as s:
        services.record_consultation(s, s.get(Case, case.id), user, len(found), via="API",
                                     justification=justification)
    return jsonify(body.model_dump(mode="json"))


@endpoint("/cases/<registration_number>/crosscheck/hits/<int:hit_id>/decision", ("POST",),
          summary="Confirm or reject a cross-check hit (or set it back to unreviewed)", tag="cases",
          request_model=DecisionIn, response=HitOut, statuses=(404,), example=EXAMPLE)
def case_crosscheck_decision(registration_number: str, hit_id: int):
    """Officers and supervisors of the case's SPOC decide; the decision survives later runs, and
    confirming a hit on another case links the two cases. Logged as an alteration."""
    user = current_api_user()
    case = case_for(registration_number, handle=True)
    payload = parse_body(DecisionIn)
    session = get_session()
    # a refusal is answered by the API's one handler (portal/api.py): NoSuchHit 404, a bad decision 422 naming it
    hit = services.decide_hit(session, case, hit_id, payload.decision, user, payload.note)
    body = hit_out(hit)
    session.commit()
    return jsonify(body.model_dump(mode="json"))
