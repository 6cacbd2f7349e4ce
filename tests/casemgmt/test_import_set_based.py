"""The file import registers a batch's plain new cases together (issue 25); what it writes is what
the intake writes one message at a time: the same cases, exchanges, messages, references and
entities, the same cross-check index, runs and hits (a case found by the cases after it in the
same batch, not by those before it), the same audit entries."""

from __future__ import annotations

import re

from sqlalchemy import select

from casemgmt.crosscheck.models import CrossCheckHit, CrossCheckRun, IndexedSubject, MatchKey
from casemgmt.models import ENTITY_MODELS, Case, Exchange, ExternalReference, Message, Person
from casemgmt.models.search import CaseSearchDoc
from casemgmt.models.statistics import StatisticsCount
from casemgmt.services import search
from casemgmt.services.importing import import_rows
from casemgmt.services.search_criteria import read_criteria
from portal.audit import AuditEntry
from portal.db import utcnow
from tests.casemgmt.conftest import make_payload
from tests.casemgmt.test_statistics_plain import assert_dashboard_is_a_plain_count

ANNA = {"kind": "person", "surname": "Novak", "given_names": "Anna", "date_of_birth": "1980-01-02",
        "nationality": "CZ"}
JAN = {"kind": "person", "surname": "Kowalski", "given_names": "Jan", "date_of_birth": "1975-06",
       "nationality": "PL"}


def rows(prefix: str) -> list[dict]:
    at = "2025-06-01T10:00:00+00:00"
    return [
        make_payload(external_reference=f"{prefix}-1", received_at=at, entities=[ANNA]),
        make_payload(external_reference=f"{prefix}-2", received_at=at,
                     entities=[ANNA, {"kind": "vehicle", "plate": "1-ABC-123", "country": "BE"}]),
        make_payload(external_reference=f"{prefix}-3", received_at=at,
                     entities=[JAN, {"kind": "phone", "number": "+32 470 12 34 56"}]),
        # quotes the first row's reference: a new case with a possible duplicate, through the intake
        make_payload(external_reference=f"{prefix}-4", received_at=at, entities=[JAN],
                     external_references=[{"channel": "SIENA", "reference": f"{prefix}-1"}]),
        make_payload(external_reference=f"{prefix}-3", received_at=at, entities=[JAN]),  # an exact repeat
        make_payload(external_reference=f"{prefix}-6", received_at="2026-01-05T08:00:00+00:00",
                     body=f"Further to our {prefix}-2, please check.", entities=[ANNA]),  # names a reference
        make_payload(external_reference=f"{prefix}-7", received_at="2026-01-05T09:00:00+00:00",
                     entities=[{**ANNA, "given_names": "Ana"}]),
        make_payload(external_reference=f"{prefix}-8", received_at=at, urgent=True,
                     urgency_ground="life_or_physical_integrity", information_access="direct",
                     entities=[{**JAN, "surname": "Kowalsky",
                                "documents": [{"type": "passport", "number": "EA1234567", "country": "PL"}]},
                               {"kind": "email", "address": "jan@example.invalid"}]),
        make_payload(external_reference=f"{prefix}-9", received_at=at,
                     entities=[{"kind": "document", "type": "passport", "number": "EA1234567", "country": "PL"}]),
        make_payload(external_reference=f"{prefix}-10", received_at=at, entities=[]),
    ]


SKIP = {"id", "case_id", "country_code", "registration_number", "created_at", "updated_at", "external_reference",
        "raw", "message_id", "person_id", "exchange_id", "created_by_id", "run_id", "matched_case_id",
        "requested_by_id", "started_at", "finished_at", "first_seen_at", "last_seen_at", "subject_id", "ref",
        "query_ref", "matched_ref"}


def snapshot(db, country: str, prefix: str) -> dict:
    """Every row the import wrote for the country, with ids, numbers and references made comparable."""
    db.rollback()
    cases = {c.id: (c.year, c.sequence) for c in db.scalars(select(Case).where(Case.country_code == country))}
    labels: dict[tuple[int, str, int], tuple] = {}
    for model in ENTITY_MODELS:
        for case_id in cases:
            ids = db.scalars(select(model.id).where(model.case_id == case_id).order_by(model.id)).all()
            for k, entity_id in enumerate(ids):
                labels[(case_id, model.__tablename__, entity_id)] = (cases[case_id], model.__tablename__, k)
    by_ref = {}
    for model in ENTITY_MODELS:
        for e in db.scalars(select(model).where(model.country_code == country)):
            by_ref[f"case:{e.case_id}:{e.kind}:{e.id}"] = labels[(e.case_id, model.__tablename__, e.id)]

    def ours(text):  # the references and numbers of the file as the other country's
        return re.sub(rf"\b{country}-(\d{{4}}-\d{{6}})", r"CC-\1", re.sub(rf"\b{prefix}-", "REF-", str(text)))

    def plain(obj) -> dict:
        out = {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in SKIP}
        out = {k: ours(v) if isinstance(v, str | list | dict) else v for k, v in out.items()}
        if "case_id" in obj.__table__.columns:
            out["case"] = cases.get(obj.case_id)
        return out

    def ordered(items):
        return sorted(items, key=repr)

    subjects = db.scalars(select(IndexedSubject).where(IndexedSubject.country_code == country)).all()
    keys = {}
    for k in db.scalars(select(MatchKey).where(MatchKey.country_code == country)):
        keys.setdefault(k.subject_id, set()).add((k.key_type, k.key_value))
    entries = db.scalars(select(AuditEntry).where(AuditEntry.country_code == country, AuditEntry.area == "casemgmt")
                         .order_by(AuditEntry.seq)).all()
    number_of = {c.registration_number: (c.year, c.sequence) for c in db.scalars(
        select(Case).where(Case.country_code == country))}
    return {
        "cases": ordered(plain(c) for c in db.scalars(select(Case).where(Case.country_code == country))),
        "exchanges": ordered(plain(e) for e in db.scalars(select(Exchange).where(Exchange.country_code == country))),
        "messages": ordered({**plain(m), "ref": ours(m.external_reference)}
                            for m in db.scalars(select(Message).where(Message.country_code == country))),
        "references": ordered((cases[r.case_id], r.channel, ours(r.reference)) for r in db.scalars(
            select(ExternalReference).where(ExternalReference.country_code == country))),
        "entities": ordered({**plain(e), "label": by_ref[f"case:{e.case_id}:{e.kind}:{e.id}"]}
                            for model in ENTITY_MODELS
                            for e in db.scalars(select(model).where(model.country_code == country))),
        "index": ordered((by_ref[s.ref], cases.get(s.case_id), s.display, s.names, s.birth, s.nationality,
                          s.identifiers, sorted(keys.get(s.id, ()))) for s in subjects),
        "runs": ordered(plain(r) for r in db.scalars(select(CrossCheckRun).where(
            CrossCheckRun.country_code == country))),
        "hits": ordered({**plain(h), "query": by_ref[h.query_ref], "matched": by_ref.get(h.matched_ref),
                         "matched_case": cases.get(h.matched_case_id)}
                        for h in db.scalars(select(CrossCheckHit).where(CrossCheckHit.country_code == country))),
        # what the search across cases finds of each case (casemgmt/services/search.py)
        "search": ordered((cases[d.case_id], re.sub(rf"\b{country.lower()}(?=\d|\b)", "cc", re.sub(
            rf"\b{prefix.lower()}", "ref", d.text))) for d in db.scalars(
            select(CaseSearchDoc).where(CaseSearchDoc.country_code == country))),
        # the statistics' maintained counts (casemgmt/services/counts.py)
        "counts": ordered((c.year, c.figure, c.k1, c.k2, c.k3, c.k4, c.k5, c.value, c.count) for c in db.scalars(
            select(StatisticsCount).where(StatisticsCount.country_code == country))),
        "audit": [(e.action, number_of.get(e.object_id),
                   ours({k: v for k, v in e.details.items() if k not in ("message_id", "run")})) for e in entries],
    }


def test_the_set_based_import_writes_what_the_intake_writes_row_by_row(app, db, make_user):
    database = app.extensions["spoc_db"]
    reports = {}
    for country, set_based in (("BE", True), ("NL", False)):
        officer = make_user("officer", country)
        with database.read_session() as reader, database.unit_of_work() as session:
            reports[country] = import_rows(session, country, rows(f"IMP{country}"), session.merge(officer),
                                           read_session=reader, batch_size=4, batch_seconds=60,
                                           set_based=set_based)
    for report in reports.values():
        assert (len(report.created), len(report.attached), report.rejected) == (9, 1, [])
    assert [n[3:] for n in reports["BE"].created] == [n[3:] for n in reports["NL"].created]
    together, one_by_one = snapshot(db, "BE", "IMPBE"), snapshot(db, "NL", "IMPNL")
    assert len(together["hits"]) >= 5 and any(h["level"] == "strong" for h in together["hits"])
    assert len(together["audit"]) == 2 * 9 + 1  # collection and cross-check per case, the repeat's collection
    for key in together:
        assert together[key] == one_by_one[key], key


def test_the_search_finds_an_imported_case_and_the_statistics_count_it(app, db, make_user):
    """The set-based import writes the cases' search documents and statistics counts itself: the search across
    cases finds them by name and plate, and the dashboard gives a plain count of the imported cases."""
    officer = make_user("officer", "BE")
    database = app.extensions["spoc_db"]
    with database.read_session() as reader, database.unit_of_work() as session:
        report = import_rows(session, "BE", rows("IMPBE"), session.merge(officer), read_session=reader,
                             batch_size=4, batch_seconds=60, set_based=True)
    assert len(report.created) == 9
    db.rollback()
    novak = {c.registration_number
             for c in db.scalars(select(Case).join(Person).where(Person.surname == "Novak"))}
    assert len(novak) == 4
    assert set(_found(db, officer, q="Novak")) == novak
    assert _found(db, officer, q="1-ABC-123") == [report.created[1]]
    for year in (2025, 2026):
        assert_dashboard_is_a_plain_count(db, "BE", year, utcnow())


def _found(db, user, **params) -> list[str]:
    criteria, errors = read_criteria(params)
    assert not errors, errors
    return [r.registration_number for r in search.search(db, user, criteria, log=False).rows]
