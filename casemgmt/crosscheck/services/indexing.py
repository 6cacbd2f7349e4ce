"""The cross-check index: a case's entities as subjects, and forgetting them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.crosscheck import index
from casemgmt.crosscheck.keys import Subject
from casemgmt.crosscheck.models import CrossCheckHit, IndexedSubject
from casemgmt.crosscheck.subjects import subject_of
from casemgmt.models import ENTITY_MODELS, Case


def case_entities(session: Session, case_id: int) -> list:
    out: list = []
    for model in ENTITY_MODELS:
        out += session.scalars(select(model).where(model.case_id == case_id).order_by(model.id)).all()
    return out


def index_case(session: Session, case: Case, entities: list | None = None) -> list[Subject]:
    """(Re)write the index entries of a case's entities; returns their subjects."""
    old = session.scalars(select(IndexedSubject.id).where(IndexedSubject.case_id == case.id)).all()
    index.delete_subjects(session, old)
    if entities is None:
        entities = case_entities(session, case.id)
    subjects = [s for s in (subject_of(e) for e in entities) if s is not None]
    index.write_subjects(session, ((s, {"display": s.display}) for s in subjects), country=case.country_code,
                         origin="case", case_id=case.id)
    return subjects


def forget_entity(session: Session, country_code: str, ref: str) -> None:
    """Remove one entity's index entries (the entity was erased)."""
    ids = session.scalars(select(IndexedSubject.id).where(IndexedSubject.country_code == country_code,
                                                          IndexedSubject.ref == ref)).all()
    index.delete_subjects(session, ids)


def forget_case(session: Session, case: Case) -> dict:
    """Erasure: every copy the cross-check keeps of a case's data goes. Its index entries and keys
    (so that no later case finds it), its own hits, and the hits of other cases on it (their
    displays show its names and dates of birth). The runs stay: they hold counts only."""
    from sqlalchemy import delete, or_

    from casemgmt.crosscheck.models import MatchKey

    ids = session.scalars(select(IndexedSubject.id).where(IndexedSubject.case_id == case.id,
                                                          IndexedSubject.origin == "case")).all()
    index.delete_subjects(session, ids)
    if ids:  # keys the normaliser of today would not derive from the stored record any more
        session.execute(delete(MatchKey).where(MatchKey.country_code == case.country_code,
                                               MatchKey.subject_id.in_(ids)))
    hits = session.execute(delete(CrossCheckHit).where(or_(CrossCheckHit.case_id == case.id,
                                                           CrossCheckHit.matched_case_id == case.id))).rowcount
    return {"index_entries": len(ids), "hits": hits}
