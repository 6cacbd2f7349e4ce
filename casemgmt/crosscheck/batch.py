"""The intake's cross-check of many new cases at once (the file import, issue 25).

`crosscheck_new_cases` does for a batch of cases just written what `services.search_new_case` and `write_run`
do for one, with the same result row for row, in a fixed number of statements whatever the
batch's size: the subjects of every case indexed together, the keys of every subject looked up in
one statement and the candidates read in one, the runs and hits inserted together.

The same result: case by case, in the batch's order, as if each had been registered alone. When
case k is searched, the index already holds the cases before it, not those after it: the records
of the later cases are hidden from its look-ups (its own are found, and excluded, as alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.crosscheck import index
from casemgmt.crosscheck.keys import Subject
from casemgmt.crosscheck.matching import DEFAULT_CAP, SearchStats, search
from casemgmt.crosscheck.models import CrossCheckRun
from casemgmt.crosscheck.services.runs import (
    _DATASETS,
    _INSERT_HITS,
    IntakeSubject,
    _combination_entry,
    _loading,
    _source_of,
    _sources_searched,
    entity_ref,
)
from casemgmt.crosscheck.sources import ExternalIndex, sources_for
from casemgmt.models import Case, HitStatus, RunStatus
from portal.db import Prepared, reserve_ids, utcnow

LOOKUP_KEYS = 400  # keys a look-up statement (SQLite: a UNION ALL of one SELECT a key, at most 500)
FETCH_IDS = 5000  # subjects read a statement
_INSERT_RUNS = Prepared(CrossCheckRun.__table__.insert())


@dataclass
class NewCase:
    """A case the batch has just written (no index entries, runs or hits yet) and its subjects
    (services.prepare_subjects, once the entities have their ids)."""

    case_id: int
    registration_number: str
    subjects: list[IntakeSubject]


class _BatchIndex:
    """The CandidateIndex of the batch: every key looked up once, every candidate read once; the
    records of the cases after the one searched are hidden."""

    def __init__(self, sql_index: index.SqlIndex, country: str, keys: Sequence[tuple[str, str]], cap: int,
                 hidden: set[int], most_hidden: int):
        self.sql_index, self.hidden = sql_index, hidden
        self.found: dict[tuple[str, str], list[int]] = {}
        keys = sorted(set(keys))
        for i in range(0, len(keys), LOOKUP_KEYS):
            # cap + the batch's own records under one key: with the later ones hidden, cap + 1 remain
            self.found.update(sql_index.lookup(country, keys[i:i + LOOKUP_KEYS], cap + most_hidden))
        # a key with cap + most_hidden + 1 records has more than cap for every case: never read
        wanted = sorted({sid for ids in self.found.values() if len(ids) <= cap + most_hidden for sid in ids})
        self.rows: dict[int, tuple] = {}
        for i in range(0, len(wanted), FETCH_IDS):
            self.rows.update((row[0], row) for row in sql_index.rows(wanted[i:i + FETCH_IDS]))

    def lookup(self, country: str, keys: Sequence[tuple[str, str]], cap: int) -> dict[tuple[str, str], list[int]]:
        out = {}
        for key in keys:
            ids = [sid for sid in self.found.get(key, ()) if sid not in self.hidden][:cap + 1]
            if ids:
                out[key] = ids
        return out

    def fetch(self, ids: Sequence[int], plausible=None) -> dict:
        return self.sql_index.subjects([self.rows[sid] for sid in ids if sid in self.rows], plausible)


def crosscheck_new_cases(session: Session, country: str, cases: list[NewCase], actor, *,
                         trigger: str = "intake", indexed: tuple | None = None,
                         run_ids: Iterator[int] | None = None) -> list[dict]:
    """Index, search and record the runs of new cases of one SPOC (see the module's docstring).
    Returns each case's audit entry (a combination of data), in order, for the caller to write
    with its own (audit.record_many). `indexed`: what `index_new_cases` returned when the caller
    indexed the cases already; `run_ids`: ids reserved for the runs (portal.db.reserve_ids_many).
    Runs inside portal.db.pipelined: its reads go through the driver's cursor."""
    if not cases:
        return []
    ids_of_case, under_key = indexed if indexed is not None else index_new_cases(session, country, cases)
    datasets, expired = {}, set()
    for dataset_id, name, is_expired in _DATASETS.execute(session.connection(),
                                                          {"cc": country, "today": dt.date.today()}).fetchall():
        if is_expired:
            expired.add(dataset_id)
        else:
            datasets[dataset_id] = name
    external = sources_for(country)
    batch_index = _BatchIndex(index.SqlIndex(session, skip_datasets=expired), country,
                              [k for new in cases for p in new.subjects for k in p.query_keys], DEFAULT_CAP,
                              hidden={sid for ids in ids_of_case.values() for sid in ids},
                              most_hidden=max(under_key.values(), default=0))
    found_of: list[tuple[list, SearchStats]] = []
    for new in cases:
        batch_index.hidden.difference_update(ids_of_case.get(new.case_id, ()))  # this case and those before
        stats = SearchStats()
        found = []
        for p in new.subjects:
            for hit in search(batch_index, country, p.subject, stats=stats, keys=p.query_keys,
                              exclude=lambda record, case_id=new.case_id: record.extra.get("case_id") == case_id
                              or _loading(record, datasets)):
                found.append((p.subject, _source_of(hit.subject, datasets), hit))
            for source in external:
                for hit in search(ExternalIndex(source, p.subject, country), country, p.subject, stats=stats):
                    found.append((p.subject, f"external:{source.name}", hit))
        found_of.append((found, stats))
    return _record(session, country, cases, found_of, _sources_searched(datasets, external), actor, trigger,
                   run_ids)


def index_new_cases(session: Session, country: str, cases: list[NewCase],
                    ids: Iterator[int] | None = None) -> tuple[dict[int, list[int]], dict]:
    """The subjects of every case indexed together (with `ids` reserved for them, else taken
    now); each case's new subject ids, and how many subjects of the batch each key has."""
    subjects: list[Subject] = []
    case_of: dict[int, int] = {}
    keys: dict[int, set] = {}
    for new in cases:
        for p in new.subjects:
            p.subject.ref = entity_ref(p.entity)
            subjects.append(p.subject)
            case_of[id(p.subject)] = new.case_id
            keys[id(p.subject)] = p.record_keys
    new_ids: list[int] = []
    index.write_subjects(session, ((s, {"display": s.display}) for s in subjects), country=country, origin="case",
                         keys_of=lambda s: keys[id(s)], case_id_of=lambda s: case_of[id(s)], ids_out=new_ids,
                         ids=ids)
    ids_of_case: dict[int, list[int]] = {}
    for subject, sid in zip(subjects, new_ids, strict=True):
        ids_of_case.setdefault(case_of[id(subject)], []).append(sid)
    under_key: dict[tuple[str, str], int] = {}
    for key_set in keys.values():
        for key in key_set:
            under_key[key] = under_key.get(key, 0) + 1
    return ids_of_case, under_key


def _alive(session: Session, country: str, case_ids: set) -> set:
    """Which of these cases still exist and are the SPOC's (read on the driver's cursor on
    PostgreSQL: inside a pipeline, SQLAlchemy's execution would see no rows)."""
    if not case_ids:
        return set()
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute(f"SELECT id, country_code FROM {Case.__tablename__} WHERE id = ANY(%s)",  # noqa: S608
                           [sorted(case_ids)])
            rows = cursor.fetchall()
        finally:
            cursor.close()
    else:
        rows = session.execute(select(Case.id, Case.country_code).where(Case.id.in_(sorted(case_ids)))).all()
    return {case_id for case_id, cc in rows if cc == country}


def _record(session: Session, country: str, cases: list[NewCase], found_of: list, sources: list[str], actor,
            trigger: str, run_ids: Iterator[int] | None = None) -> list[dict]:
    """The finished runs and their hits inserted together; each run's audit entry."""
    # a case erased without its entities passing through the session leaves stale index entries
    alive = _alive(session, country,
                   {hit.subject.extra.get("case_id") for found, _ in found_of for _, _, hit in found} - {None})
    now = utcnow()
    runs, hits_of = [], []
    for new, (found, stats) in zip(cases, found_of, strict=True):
        hits: dict[tuple, dict] = {}
        for subject, source, hit in found:
            matched_case = hit.subject.extra.get("case_id")
            if matched_case is not None and matched_case not in alive:
                continue
            hits[(subject.ref, source, hit.subject.ref)] = dict(
                country_code=country, case_id=new.case_id, query_ref=subject.ref, source=source,
                matched_ref=hit.subject.ref, status=HitStatus.UNREVIEWED, first_seen_at=now, last_seen_at=now,
                decision_note="", query_display=subject.display[:300], matched_display=hit.subject.display[:300],
                matched_case_id=matched_case, score=hit.score, level=hit.level, reasons=hit.reasons, current=True)
        hits_of.append(hits)
        runs.append(dict(country_code=country, case_id=new.case_id, status=RunStatus.DONE, trigger=trigger,
                         requested_by_id=getattr(actor, "id", None), started_at=now, finished_at=now,
                         queries=len(new.subjects), candidates=stats.candidates, hits=len(hits), sources=sources))
    run_ids = [next(run_ids) for _ in runs] if run_ids is not None else reserve_ids(
        session.connection(), CrossCheckRun.__table__, len(runs))
    _INSERT_RUNS.insert_many(session.connection(), [{**run, "id": run_id} for run, run_id in zip(runs, run_ids,
                                                                                                    strict=True)])
    rows = [{**h, "run_id": run_id} for run_id, hits in zip(run_ids, hits_of, strict=True) for h in hits.values()]
    if rows:
        _INSERT_HITS.insert_many(session.connection(), rows)
    return [_combination_entry(new.registration_number, country, trigger, run_id, len(new.subjects), sources,
                               list(hits.values()), stats, actor)
            for new, run_id, hits, (_, stats) in zip(cases, run_ids, hits_of, found_of, strict=True)]


__all__ = ["NewCase", "crosscheck_new_cases", "index_new_cases"]
