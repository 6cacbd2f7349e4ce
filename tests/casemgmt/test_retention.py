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
    sha = work(case_id, lambda s, c: attach_file(s, c, b"%PDF-1.4 secret", "kowalski.pdf", officer, uploads).file.sha256)
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
    off, _ = login_as("officer", "BE")
    r = off.post_form(f"/cases/{number}/retention", {"rt-decision": "erase", "rt-reason": "x"})
    assert r.status_code == 404
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
