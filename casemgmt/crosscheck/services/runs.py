"""A cross-check run: search every source of the case's SPOC, keep the hits, log the combination of data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Date, and_, bindparam, case, select
from sqlalchemy.orm import Session

from casemgmt.crosscheck import index
from casemgmt.crosscheck.keys import Subject, query_keys, record_keys
from casemgmt.crosscheck.matching import Hit, SearchStats, search
from casemgmt.crosscheck.models import CrossCheckHit, CrossCheckRun, ReferenceDataset
from casemgmt.crosscheck.services import AREA, INLINE_MAX_ENTITIES
from casemgmt.crosscheck.services.indexing import case_entities, index_case
from casemgmt.crosscheck.sources import ExternalIndex, sources_for
from casemgmt.crosscheck.subjects import entity_ref, subject_of
from casemgmt.models import Case, HitStatus, RunStatus
from portal import audit
from portal.audit import AuditAction
from portal.db import Prepared, utcnow


@dataclass
class RunResult:
    run: CrossCheckRun
    hits: list[CrossCheckHit]


def _source_of(subject: Subject, datasets: dict[int, str]) -> str:
    if subject.extra.get("origin") == "case":
        return "cases"
    return f"dataset:{datasets.get(subject.extra.get('dataset_id'), '?')}"


def _loading(record: Subject, datasets: dict[int, str]) -> bool:
    """A row of a data set being loaded (or replaced and being deleted): not searched yet (issue 25)."""
    return record.extra.get("origin") == "dataset" and record.extra.get("dataset_id") not in datasets


def request_run(session: Session, case: Case, *, trigger: str, actor=None) -> CrossCheckRun:
    """A pending run for the case (one at a time: an existing pending run is reused)."""
    run = session.scalar(select(CrossCheckRun).where(CrossCheckRun.case_id == case.id,
                                                     CrossCheckRun.status == RunStatus.PENDING))
    if run is None:
        run = CrossCheckRun(country_code=case.country_code, case_id=case.id, status=RunStatus.PENDING, trigger=trigger,
                            requested_by_id=getattr(actor, "id", None), started_at=utcnow())
        session.add(run)
        session.flush()
    return run


_DS = ReferenceDataset.__table__.c
# (id, name, 1 when past its expiry date on :today)
_DATASETS = Prepared(select(_DS.id, _DS.name, case((and_(_DS.expires_on.is_not(None),
                                                          _DS.expires_on < bindparam("today", type_=Date)), 1),
                                                    else_=0))
                     .where(_DS.country_code == bindparam("cc"), _DS.ready.is_(True)))
# _DATASETS on PostgreSQL, as text: the intake runs it in the statement that indexes the case's first entity
_PG_DATASETS = ("SELECT id, name, CASE WHEN expires_on IS NOT NULL AND expires_on < %s THEN 1 ELSE 0 END "
                "FROM xc_datasets WHERE country_code = %s AND ready")
_INSERT_RUN = Prepared(CrossCheckRun.__table__.insert().returning(CrossCheckRun.__table__.c.id))
_INSERT_HITS = Prepared(CrossCheckHit.__table__.insert())


def _search_sources(session: Session, case_id: int, country: str, subjects: list[Subject],
                    keys: list[list[tuple[str, str]]] | None = None, dataset_rows: list | None = None):
    """Every source of the SPOC searched for each subject: (subject, source, hit) found, the search
    figures, the SPOC's data sets {id: name} and its external sources. `keys`: each subject's
    query keys, when worked out already; `dataset_rows`: _DATASETS's rows, when read already."""
    if dataset_rows is None:
        dataset_rows = _DATASETS.execute(session.connection(), {"cc": country, "today": dt.date.today()}).fetchall()
    datasets, expired = {}, set()
    for dataset_id, name, is_expired in dataset_rows:
        if is_expired:
            expired.add(dataset_id)  # past its expiry date: no longer searched (the pages say so)
        else:
            datasets[dataset_id] = name
    sql_index = index.SqlIndex(session, skip_datasets=expired, read_ahead=True)
    stats = SearchStats()
    found: list[tuple[Subject, str, Hit]] = []
    external = sources_for(country)
    for i, subject in enumerate(subjects):
        for hit in search(sql_index, country, subject, stats=stats, keys=keys[i] if keys is not None else None,
                          exclude=lambda record: record.extra.get("case_id") == case_id
                          or _loading(record, datasets)):
            found.append((subject, _source_of(hit.subject, datasets), hit))
        for source in external:
            for hit in search(ExternalIndex(source, subject, country), country, subject, stats=stats):
                found.append((subject, f"external:{source.name}", hit))
    # a case erased without its entities passing through the session leaves stale index entries
    matched_cases = {hit.subject.extra.get("case_id") for _, _, hit in found} - {None}
    if matched_cases:
        # by primary key alone: with the country in the WHERE clause SQLite read the country's
        # index instead, every case of the SPOC (6.5 ms an intake at 100k cases; issue 25)
        alive = {case_id for case_id, cc in session.execute(
            select(Case.id, Case.country_code).where(Case.id.in_(matched_cases))) if cc == country}
        found = [f for f in found if f[2].subject.extra.get("case_id") in alive | {None}]
    return found, stats, datasets, external


def _sources_searched(datasets: dict[int, str], external) -> list[str]:
    return ["cases", *(f"dataset:{n}" for n in sorted(datasets.values())), *(f"external:{s.name}" for s in external)]


def _combination_entry(case_number: str, country: str, trigger: str, run_id: int, queries: int, sources: list[str],
                       hits: list, stats: SearchStats, actor) -> dict:
    """The audit entry of a run (Directive 2016/680 Art. 25: a combination of data)."""
    return dict(actor=actor, area=AREA, action=AuditAction.COMBINATION, object_type="case", object_id=case_number,
                country_code=country,
                details={"what": f"cross-check ({trigger}): {queries} entities against {', '.join(sources)}; "
                                 f"{len(hits)} hits",
                         "run": run_id, "hits": len(hits), "strong": sum(h["level"] == "strong" for h in hits),
                         "skipped_common_keys": len(stats.skipped_keys)})


@dataclass
class IntakeSubject:
    """A new entity as the cross-check will index and search it, worked out before the intake takes
    the write lock; `subject.ref` waits for the entity's id."""

    entity: object
    subject: Subject
    record_keys: set[tuple[str, str]]
    query_keys: list[tuple[str, str]]


def prepare_subjects(entities: list) -> list[IntakeSubject]:
    """What the cross-check of new, not yet written entities needs that reads no table: their
    subjects and the keys each is indexed and searched under."""
    out = []
    for entity in entities:
        subject = subject_of(entity)
        if subject is not None:
            out.append(IntakeSubject(entity, subject, record_keys(subject), sorted(query_keys(subject))))
    return out


@dataclass
class NewCaseRun:
    """A new case's run, searched and not yet written (`search_new_case`): its row, its hits, and
    what its audit entry says. The intake on PostgreSQL writes the row in the round trip that numbers
    the case (casemgmt/services/intake.py), `write_run` elsewhere."""

    row: dict
    hits: list[dict]
    stats: SearchStats
    trigger: str
    actor: object

    def queue(self, conn):
        """The run's row inserted (RETURNING its id): the driver's cursor, its id not yet read (in
        a pipeline, portal.db.prepared.pipelined, it goes with the statements queued beside it)."""
        return _INSERT_RUN.execute(conn, self.row)

    def finish(self, conn, run_id: int, case_number: str) -> dict:
        """The hits written with the run's id; the run's audit entry, for the caller to write with its
        own (audit.record_many)."""
        _INSERT_HITS.executemany(conn, [{**h, "run_id": run_id} for h in self.hits])
        r = self.row
        return _combination_entry(case_number, r["country_code"], self.trigger, run_id, r["queries"], r["sources"],
                                  self.hits, self.stats, self.actor)


def search_new_case(session: Session, case_id: int, country: str, prepared: list[IntakeSubject], actor, *,
                    trigger: str = "intake") -> NewCaseRun:
    """The intake's run for a case it has just written (so no earlier index entries, runs or hits):
    index the entities and search every source, in a few plain statements. What `run_crosscheck`
    does through the session: the intake runs it while holding SQLite's write lock, so `prepared`
    (prepare_subjects, once the entities have ids) brings the subjects and keys worked out before.
    The run and its hits are written by `NewCaseRun` (`write_run`)."""
    subjects = []
    for p in prepared:
        p.subject.ref = entity_ref(p.entity)
        subjects.append(p.subject)
    keys = {id(p.subject): p.record_keys for p in prepared}
    # on PostgreSQL the SPOC's data sets are read in the statement indexing the first entity
    dataset_rows = [] if session.get_bind().dialect.name == "postgresql" else None
    index.write_subjects(session, ((s, {"display": s.display}) for s in subjects), country=country, origin="case",
                         case_id=case_id, keys_of=lambda s: keys[id(s)], read_out=dataset_rows,
                         read=None if dataset_rows is None else (_PG_DATASETS, [dt.date.today(), country]))
    found, stats, datasets, external = _search_sources(session, case_id, country, subjects,
                                                       [p.query_keys for p in prepared], dataset_rows)
    now = utcnow()
    hits: dict[tuple, dict] = {}
    for subject, source, hit in found:  # the same match twice (two keys): the last one counts, as in a re-run
        hits[(subject.ref, source, hit.subject.ref)] = dict(
            country_code=country, case_id=case_id, query_ref=subject.ref, source=source, matched_ref=hit.subject.ref,
            status=HitStatus.UNREVIEWED, first_seen_at=now, last_seen_at=now, decision_note="",
            query_display=subject.display[:300], matched_display=hit.subject.display[:300],
            matched_case_id=hit.subject.extra.get("case_id"), score=hit.score, level=hit.level, reasons=hit.reasons,
            current=True)
    row = dict(country_code=country, case_id=case_id, status=RunStatus.DONE, trigger=trigger,
               requested_by_id=getattr(actor, "id", None), started_at=now, finished_at=now, queries=len(subjects),
               candidates=stats.candidates, hits=len(hits), sources=_sources_searched(datasets, external))
    return NewCaseRun(row, list(hits.values()), stats, trigger, actor)


def write_run(session: Session, run: NewCaseRun, case_number: str) -> dict:
    """The run of `search_new_case` written; its audit entry, for the caller to write with its own."""
    conn = session.connection()
    cursor = run.queue(conn)
    run_id = cursor.fetchone()[0]
    cursor.close()
    return run.finish(conn, run_id, case_number)


def run_crosscheck(session: Session, case: Case, actor=None, *, trigger: str = "on_demand",
                   run: CrossCheckRun | None = None, entities: list | None = None) -> RunResult:
    """Index the case, search every source of its SPOC for each entity, keep the hits.

    A hit found before keeps its decision; one no longer found is kept but marked not current."""
    run = run or request_run(session, case, trigger=trigger, actor=actor)
    subjects = index_case(session, case, entities)
    country = case.country_code
    found, stats, datasets, external = _search_sources(session, case.id, country, subjects)
    now = utcnow()
    existing = {(h.query_ref, h.source, h.matched_ref): h for h in session.scalars(
        select(CrossCheckHit).where(CrossCheckHit.case_id == case.id))}
    for h in existing.values():
        h.current = False
    kept: list[CrossCheckHit] = []
    for subject, source, hit in found:
        key = (subject.ref, source, hit.subject.ref)
        row = existing.get(key)
        if row is None:
            row = CrossCheckHit(country_code=country, case_id=case.id, query_ref=subject.ref, source=source,
                                matched_ref=hit.subject.ref, status=HitStatus.UNREVIEWED, first_seen_at=now,
                                decision_note="", new_data_at=now if run.trigger == "new_data" else None)
            session.add(row)
            existing[key] = row
        row.run_id = run.id
        row.query_display = subject.display[:300]
        row.matched_display = hit.subject.display[:300]
        row.matched_case_id = hit.subject.extra.get("case_id")
        row.score = hit.score
        row.level = hit.level
        row.reasons = hit.reasons
        row.current = True
        row.last_seen_at = now
        kept.append(row)
    run.status = RunStatus.DONE
    run.finished_at = now
    run.queries = len(subjects)
    run.candidates = stats.candidates
    run.hits = len(kept)
    run.sources = _sources_searched(datasets, external)
    if actor is None and run.requested_by_id is not None:
        from portal.accounts.models import User

        actor = session.get(User, run.requested_by_id)
    audit.record(session, **_combination_entry(
        case.registration_number, country, run.trigger, run.id, len(subjects), run.sources,
        [{"level": h.level} for h in kept], stats, actor))
    session.flush()
    return RunResult(run, kept)


def run_or_defer(session: Session, case: Case, actor=None, *, trigger: str = "intake") -> CrossCheckRun:
    """At intake: run now when the case is small, otherwise leave the run pending for the
    background (`spoc crosscheck run-pending`)."""
    run = request_run(session, case, trigger=trigger, actor=actor)
    entities = case_entities(session, case.id)
    if len(entities) <= INLINE_MAX_ENTITIES:
        run_crosscheck(session, case, actor, trigger=trigger, run=run, entities=entities)
    return run


def run_pending(session: Session, *, limit: int = 100, country: str | None = None) -> int:
    """Finish pending runs (of one SPOC's cases when `country` is given), oldest first; how many ran."""
    query = select(CrossCheckRun).where(CrossCheckRun.status == RunStatus.PENDING)
    if country is not None:
        query = query.where(CrossCheckRun.country_code == country)
    runs = session.scalars(query.order_by(CrossCheckRun.started_at, CrossCheckRun.id).limit(limit)).all()
    for run in runs:
        case = session.get(Case, run.case_id)
        run_crosscheck(session, case, trigger=run.trigger, run=run)
    return len(runs)
