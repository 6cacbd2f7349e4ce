"""The hits of a case: the latest run, its summary, the strong hits not yet reviewed, the decisions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.crosscheck.models import CrossCheckHit, CrossCheckRun
from casemgmt.crosscheck.services import AREA, DECISIONS, CrossCheckError, NoSuchHit
from casemgmt.models import Case, HitStatus, RunStatus
from portal import audit
from portal.audit import AuditAction
from portal.db import utcnow


def hits_of(session: Session, case: Case, *, current_only: bool = True) -> list[CrossCheckHit]:
    query = select(CrossCheckHit).where(CrossCheckHit.case_id == case.id)
    if current_only:
        query = query.where(CrossCheckHit.current.is_(True))
    return list(session.scalars(query.order_by(CrossCheckHit.score.desc(), CrossCheckHit.id)))


def latest_run(session: Session, case: Case) -> CrossCheckRun | None:
    return session.scalar(select(CrossCheckRun).where(CrossCheckRun.case_id == case.id)
                          .order_by(CrossCheckRun.started_at.desc(), CrossCheckRun.id.desc()).limit(1))


def case_summary(session: Session, case: Case, found: list[CrossCheckHit] | None = None) -> dict:
    """What the case page shows of the cross-check (with what re-runs after a data set load found);
    `found`: the case's current hits when the caller has them already."""
    from casemgmt.crosscheck.rerun import new_hits_summary

    run = latest_run(session, case)
    found = hits_of(session, case) if found is None else found
    from casemgmt.crosscheck.reference import expired_datasets

    return {"run": run, "pending": run is not None and run.status == RunStatus.PENDING, "hits": len(found),
            "expired": expired_datasets(session, case.country_code),
            "strong": sum(h.level == "strong" for h in found),
            "unreviewed_strong": sum(h.level == "strong" and h.status == HitStatus.UNREVIEWED for h in found),
            **new_hits_summary(found)}


def unreviewed_strong_hits(session: Session, case: Case) -> list[CrossCheckHit]:
    """What must be confirmed before the case is disseminated."""
    return [h for h in hits_of(session, case) if h.level == "strong" and h.status == HitStatus.UNREVIEWED]


def record_consultation(session: Session, case: Case, actor, hits: int, *, via: str = "",
                        justification: str = "") -> None:
    """The audit entry of a reading of the case's hits (Directive 2016/680 Art. 25: a consultation);
    `justification`: why a closed case was opened."""
    audit.record(session, actor=actor, area=AREA, action=AuditAction.CONSULTATION, object_type="case",
                 object_id=case.registration_number, country_code=case.country_code, justification=justification,
                 details={"what": "cross-check hits consulted" + (f" through the {via}" if via else ""), "hits": hits})


def decide_hit(session: Session, case: Case, hit_id: int, decision: str, actor, note: str = "") -> CrossCheckHit:
    """Confirm or reject a hit (or set it back to unreviewed). Confirming a hit on another case
    links the two cases. The decision survives later runs."""
    if decision not in DECISIONS:
        raise CrossCheckError("Choose confirmed, rejected or unreviewed.", "decision")
    hit = session.get(CrossCheckHit, hit_id)
    if hit is None or hit.case_id != case.id:
        raise NoSuchHit("There is no such hit in this case.", "hit")
    hit.status = decision = HitStatus(decision)
    hit.decided_by_id = getattr(actor, "id", None)
    hit.decided_at = utcnow()
    hit.decision_note = note.strip()[:2000]
    audit.record(session, actor=actor, area=AREA, action=AuditAction.ALTERATION, object_type="case",
                 object_id=case.registration_number, country_code=case.country_code,
                 # references, never the names or numbers: the log outlives an erasure of the case's data
                 details={"what": f"cross-check hit {decision}: {hit.query_ref} ~ {hit.matched_ref}",
                          "hit": hit.id, "source": hit.source, "score": hit.score})
    if decision == HitStatus.CONFIRMED and hit.matched_case_id and hit.matched_case_id != case.id:
        from casemgmt.services import CaseError
        from casemgmt.services.dedupe import link_cases

        other = session.get(Case, hit.matched_case_id)
        if other is not None and other.country_code == case.country_code:
            try:
                link_cases(session, case, other, actor, reason=f"cross-check hit #{hit.id} confirmed ({hit.query_ref})")
            except CaseError:
                pass  # already linked
    session.flush()
    return hit
