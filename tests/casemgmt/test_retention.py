"""Retention: closing concludes the exchange, a review falls due, keep or erase for good."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from casemgmt.models import Attachment, Case, Document, Message, Person, RetentionReview, Vehicle
from casemgmt.services import CaseError, retention, workflow
from casemgmt.services.intake import attach_file
from casemgmt.services.retention import add_months, reviews_due
from casemgmt.services.settings import set_setting
from portal import audit
from portal.audit import AuditEntry
from portal.files import blob_path
from tests.conftest import PASSWORD

ENTITIES = [{"kind": "person", "surname": "Kowalski", "given_names": "Jan",
             "documents": [{"type": "passport", "number": "EA1234567", "country": "PL"}]},
            {"kind": "vehicle", "plate": "1-ABC-234", "country": "BE"}]


def test_add_months():
    assert add_months(dt.datetime(2026, 8, 31, tzinfo=dt.UTC), 6) == dt.datetime(2027, 2, 28, tzinfo=dt.UTC)


def test_closing_sets_the_review_after_the_configured_period(app, intake, work, officer):
    with app.extensions["spoc_db"].unit_of_work() as s:
        set_setting(s, "BE", "retention_review_months", 3)
    case_id, _, _ = intake("BE", officer)
    closed_at = dt.datetime(2026, 1, 15, 9, tzinfo=dt.UTC)
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information", now=closed_at))
    assert work(case_id, lambda s, c: (c.exchange_concluded_at, c.review_due_at)) == (
        closed_at, dt.datetime(2026, 4, 15, 9, tzinfo=dt.UTC))
    due = work(case_id, lambda s, c: [x.id for x in reviews_due(s, "BE", dt.datetime(2026, 4, 16, tzinfo=dt.UTC))])
    assert due == [case_id]


def test_keep_records_reason_and_next_review(intake, work, officer):
    case_id, _, _ = intake("BE", officer)
    with pytest.raises(CaseError):  # an open case is not reviewed
        work(case_id, lambda s, c: retention.keep(s, c, officer, "x", dt.date.today() + dt.timedelta(days=30)))
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information"))
    with pytest.raises(CaseError) as exc:
        work(case_id, lambda s, c: retention.keep(s, c, officer, "still investigated", dt.date.today()))
    assert exc.value.field == "next_review"
    nxt = dt.date.today() + dt.timedelta(days=90)
    work(case_id, lambda s, c: retention.keep(s, c, officer, "Trial pending", nxt))
    got = work(case_id, lambda s, c: (c.review_due_at.date(), [(r.decision, r.reason) for r in retention.reviews_of(s, c)]))
    assert got == (nxt, [("keep", "Trial pending")])


def test_erasure_purges_for_good_and_keeps_the_skeleton_and_log(app, intake, work, officer, db, uploads):
    case_id, number, _ = intake("BE", officer, entities=ENTITIES, body="Jan Kowalski, born 1980, drives 1-ABC-234.")
    sha = work(case_id, lambda s, c: attach_file(s, c, b"%PDF-1.4 secret", "kowalski.pdf", officer, uploads,
                                                  scan_confirmed=True).file.sha256)
    blob = blob_path(uploads.folder, sha)
    assert blob.exists()
    work(case_id, lambda s, c: workflow.add_note(s, c, officer, "Kowalski's brother called"))
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information"))
    work(case_id, lambda s, c: retention.erase(s, c, officer, "Exchange concluded, no longer needed", uploads.folder))
    db.rollback()
    for model in (Person, Document, Vehicle):
        assert db.scalar(select(func.count(model.id)).where(model.case_id == case_id)) == 0
    msg = db.scalar(select(Message).where(Message.case_id == case_id))
    assert (msg.subject, msg.body, msg.raw) == ("[erased]", "", {})
    assert not blob.exists()
    stored = db.scalar(select(Attachment).where(Attachment.case_id == case_id)).file
    assert stored.purged_at is not None and stored.original_name == "[erased]"
    case = db.get(Case, case_id)
    assert case.registration_number == number and case.erased_at is not None and case.counterpart_country == "DE"
    assert db.scalar(select(RetentionReview.decision).where(RetentionReview.case_id == case_id)) == "erase"
    assert db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.object_id == number,
                                                            AuditEntry.action == "erasure")) == 1
    assert audit.verify(db) == []
    # nothing of the person is left anywhere in the case's rows
    dump = " ".join(str(v) for row in db.execute(select(Message.__table__)).all() for v in row)
    assert "Kowalski" not in dump
    with pytest.raises(CaseError):
        work(case_id, lambda s, c: retention.erase(s, c, officer, "again", uploads.folder))


def test_retention_page_and_rights(login_as, intake, work, officer):
    case_id, number, _ = intake("BE", officer)
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information", now=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)))
    sup, _ = login_as("supervisor", "BE")
    assert number in sup.get("/cases/retention").get_data(as_text=True)
    assert "1 closed case needs a retention decision." in sup.get("/").get_data(as_text=True)  # the home page's card
    off, _ = login_as("officer", "BE")
    r = off.post_form(f"/cases/{number}/retention", {"rt-decision": "erase", "rt-reason": "x"})
    assert r.status_code == 404
    # refused without the case opened with a justification: back to its gate, the error said there
    r = sup.post_form(f"/cases/{number}/retention", {"rt-decision": "keep", "rt-reason": ""})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/cases/{number}")
    sup.post_form(f"/cases/{number}/open", {"justification": "Retention review"})
    r = sup.post_form(f"/cases/{number}/retention", {"rt-decision": "keep", "rt-reason": ""})
    assert r.status_code == 422
    r = sup.post_form(f"/cases/{number}/retention", {"rt-decision": "erase", "rt-reason": "not needed"})
    assert r.status_code == 302
    assert work(case_id, lambda s, c: c.erased_at is not None)


def test_open_cases_without_activity_are_listed_for_review(intake, work, login_as):
    from casemgmt.services.retention import inactive_cases

    old_id, old, _ = intake("BE")
    _, fresh, _ = intake("BE")
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=200)
    work(old_id, lambda s, c: s.execute(Case.__table__.update().where(Case.id == c.id).values(updated_at=long_ago)))
    assert work(old_id, lambda s, c: [x.registration_number for x in inactive_cases(s, "BE")]) == [old]
    page = login_as("supervisor", "BE")[0].get("/cases/retention").get_data(as_text=True)
    assert old in page.split('id="inactive"')[1] and fresh not in page


VARGA = [{"kind": "person", "surname": "Vargaszewski", "given_names": "Tomasz", "date_of_birth": "1992-06-22",
          "nationality": "HU", "documents": [{"type": "passport", "number": "HX9876543", "country": "HU"}]},
         {"kind": "email", "address": "tomasz.vargaszewski@example.invalid"},
         {"kind": "company", "name": "Vargaszewski Freight Kft.", "country": "HU"},
         {"kind": "phone", "number": "+36 30 123 4567"}]
TRACES = ("Vargaszewski", "VARGASZEWSKI", "vargaszewski", "Tomasz", "TOMASZ", "1992-06-22", "19920622",
          "HX9876543", "301234567", "Passport_Vargaszewski")


def _every_table_and_file(db, folder, other_case_id: int) -> dict[str, str]:
    """Every row of every table as text, and every stored file's bytes, by where they are; but the
    other case's own records (it holds the same person: its own copy, not the erased case's)."""
    from sqlalchemy import inspect

    from casemgmt.crosscheck.models import IndexedSubject, MatchKey
    from portal.db import Base

    found = {}
    existing = set(inspect(db.connection()).get_table_names())
    others_subjects = select(IndexedSubject.id).where(IndexedSubject.case_id == other_case_id)
    for table in Base.metadata.sorted_tables:
        if table.name not in existing:
            continue
        q = table.select()
        if "case_id" in table.c and table.name != "xc_hits":  # its hits on the erased case must go
            q = q.where((table.c.case_id != other_case_id) | table.c.case_id.is_(None))
        if table.name == MatchKey.__tablename__:
            q = q.where(table.c.subject_id.not_in(others_subjects))
        found[table.name] = "\n".join(" ".join(str(v) for v in row) for row in db.execute(q))
    if "case_search_words" in existing:  # PostgreSQL's words of the search documents (migration 0045)
        from sqlalchemy import text

        found["case_search_words"] = "\n".join(" ".join(str(v) for v in row) for row in db.execute(text(
            "SELECT country_code, word, case_id FROM case_search_words WHERE case_id != :other"),
            {"other": other_case_id}))
    from pathlib import Path

    for path in Path(folder).rglob("*"):
        if path.is_file():
            found[str(path)] = path.read_bytes().decode("latin-1")
    return found


def test_erasure_leaves_no_copy_of_the_persons_values_anywhere(app, intake, work, officer, db, uploads):
    """Erase a case, then search every table and every file for its values: the cross-check's
    subjects and keys, the hits of other cases on it, the audit log, the attachments."""
    from casemgmt.crosscheck.models import CrossCheckHit
    from casemgmt.services.intake import attach_file

    case_id, number, _ = intake("BE", officer, entities=VARGA, subject="Vargaszewski Tomasz",
                                body="Tomasz Vargaszewski, born 1992-06-22.")
    other_id, _, _ = intake("BE", officer, entities=VARGA[:1])
    db.rollback()
    hits_on_it = select(func.count(CrossCheckHit.id)).where(CrossCheckHit.matched_case_id == case_id)
    assert db.scalar(hits_on_it) > 0  # the second case found the first
    work(case_id, lambda s, c: attach_file(s, c, b"%PDF-1.4 Vargaszewski passport scan",
                                           "Passport_Vargaszewski_Tomasz_1992-06-22.pdf", officer, uploads,
                                           scan_confirmed=True))
    work(case_id, lambda s, c: workflow.add_task(s, c, officer, "Call Tomasz Vargaszewski's employer"))
    work(case_id, lambda s, c: workflow.add_note(s, c, officer, "Vargaszewski's brother called"))
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information"))
    work(case_id, lambda s, c: retention.erase(s, c, officer, "No longer needed", uploads.folder))
    db.rollback()
    everywhere = _every_table_and_file(db, uploads.folder, other_id)
    left = {(where, trace) for where, text in everywhere.items() for trace in TRACES if trace in text}
    assert not left, f"erased values are still stored: {sorted(left)}"
    assert db.scalar(hits_on_it) == 0
    # and a new case with the same person gets no hit on the erased one
    third_id, _, _ = intake("BE", officer, entities=VARGA[:1])
    db.rollback()
    assert db.scalar(select(func.count(CrossCheckHit.id)).where(CrossCheckHit.case_id == third_id,
                                                                CrossCheckHit.matched_case_id == case_id)) == 0
    assert audit.verify(db) == []


def test_erasure_needs_a_recent_login(login_as, intake, work, officer):
    import time

    case_id, number, _ = intake("BE", officer)
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information"))
    sup, _ = login_as("supervisor", "BE")
    with sup.client.session_transaction() as s:
        s["auth_at"] = time.time() - 11 * 60
    r = sup.post_form(f"/cases/{number}/retention", {"rt-decision": "erase", "rt-reason": "not needed"},
                      headers={"Referer": f"http://localhost/cases/{number}"})
    assert r.status_code == 302 and "/reauth" in r.headers["Location"]
    assert work(case_id, lambda s, c: c.erased_at) is None
    sup.post_form(f"/reauth?next=/cases/{number}", {"password": PASSWORD})
    r = sup.post_form(f"/cases/{number}/retention", {"rt-decision": "erase", "rt-reason": "not needed"})
    assert r.status_code == 302 and work(case_id, lambda s, c: c.erased_at) is not None


def test_erasure_through_the_page_drops_the_kept_pages_that_named_the_person(app, login_as, intake, work, officer):
    """The case page kept in this process (portal/fragments.py) named the person; after the erasure no kept
    page holds the name (the erased data are gone from memory too, not only unreachable)."""
    from portal.fragments import fragments

    case_id, number, _ = intake("BE", officer, entities=VARGA, subject="Vargaszewski Tomasz",
                                body="Tomasz Vargaszewski, born 1992-06-22.")
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information"))
    sup, _ = login_as("supervisor", "BE")
    sup.post_form(f"/cases/{number}/open", {"justification": "Retention review"})
    assert "Vargaszewski" in sup.get(f"/cases/{number}").get_data(as_text=True)
    assert fragments(app).holds("Vargaszewski")  # the folder is kept
    r = sup.post_form(f"/cases/{number}/retention", {"rt-decision": "erase", "rt-reason": "not needed"})
    assert r.status_code == 302 and work(case_id, lambda s, c: c.erased_at is not None)
    assert not fragments(app).holds("Vargaszewski")
    assert "Vargaszewski" not in sup.get(f"/cases/{number}").get_data(as_text=True)
