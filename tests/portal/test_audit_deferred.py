"""Audit entries of a bulk writer held and appended together (issue 25): one update of the chain head
for a batch, a rolled-back savepoint's entries dropped, and the chain still verifies."""

from __future__ import annotations

from sqlalchemy import func, select

from portal import audit
from portal.audit import AuditChainHead, AuditEntry


def test_deferred_entries_are_appended_together_and_verify(app):
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        before = s.scalar(select(AuditChainHead.seq))
        with audit.deferred(s) as held:
            for k in range(3):
                audit.record(s, area="test", action="admin", object_id=k, justification=None)
            mark = len(held)
            with s.begin_nested():
                audit.record(s, area="test", action="admin", object_id="dropped")
                s.rollback()  # the savepoint: the caller drops what it recorded meanwhile
            del held[mark:]
            audit.record_many(s, [dict(area="test", action="admin", object_id="many")])
            # nothing written yet, the head untouched
            assert s.scalar(select(AuditChainHead.seq)) == before
            assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.area == "test")) == 0
            assert audit.append_pending(s) == 4
            audit.record(s, area="test", action="admin", object_id="last")
        assert s.scalar(select(AuditChainHead.seq)) == before + 5
    with database.read_session() as s:
        ids = list(s.scalars(select(AuditEntry.object_id).where(AuditEntry.area == "test").order_by(AuditEntry.seq)))
        assert ids == ["0", "1", "2", "many", "last"]
        assert audit.verify(s) == []


def test_an_entry_without_justification_verifies(app):
    """A None justification is stored as "" and must be hashed as stored (it broke verify on PostgreSQL)."""
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        audit.record(s, area="test", action="disclosure", object_id="x", justification=None)
    with database.read_session() as s:
        assert audit.verify(s) == []


def test_a_batch_of_more_entries_than_a_statement_takes_verifies(app):
    """A batch larger than one statement's rows (PostgreSQL: portal.db.prepared.VALUES_PER a statement,
    the last with the head's update): every entry in order, the head sealed at the last."""
    from portal.db.prepared import VALUES_PER

    database = app.extensions["spoc_db"]
    n = 2 * VALUES_PER + 3
    with database.unit_of_work() as s:
        before = s.scalar(select(AuditChainHead.seq))
        audit.record_many(s, [dict(area="bulk", action="admin", object_id=k, details={"k": k}) for k in range(n)])
        audit.record(s, area="bulk", action="admin", object_id="after")
    with database.read_session() as s:
        ids = list(s.scalars(select(AuditEntry.object_id).where(AuditEntry.area == "bulk").order_by(AuditEntry.seq)))
        assert ids == [*map(str, range(n)), "after"]
        assert s.scalar(select(AuditChainHead.seq)) == before + n + 1
        assert audit.verify(s) == []


def test_the_first_entry_ever_creates_the_head_also_inside_a_pipeline(app):
    """The intake appends its entries inside a pipeline (PostgreSQL, portal.db.prepared.pipelined): when no
    entry was ever written, the chain head is created there too, and the chain verifies."""
    from sqlalchemy import delete

    from portal.db import pipelined

    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:  # a database whose log was never written
        s.execute(delete(AuditEntry))
        s.execute(delete(AuditChainHead))
    with database.unit_of_work() as s:
        with pipelined(s):
            audit.record_many(s, [dict(area="first", action="admin", object_id=k) for k in ("a", "b")])
    with database.read_session() as s:
        assert s.scalar(select(AuditChainHead.seq)) == 2
        assert list(s.scalars(select(AuditEntry.object_id).order_by(AuditEntry.seq))) == ["a", "b"]
        assert audit.verify(s) == []


def test_numbers_reserved_before_the_entries_are_written_in_order_also_for_the_first_entry(app):
    """The intake's tail asks for the chain head's numbers with the statements it sends together and writes its
    entries after (audit.reserve, record_many(reserved=)): the chain verifies, also when the head did not exist."""
    from sqlalchemy import delete

    from portal.db import pipelined

    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        s.execute(delete(AuditEntry))
        s.execute(delete(AuditChainHead))
    for round_ in (1, 2):
        with database.unit_of_work() as s, pipelined(s):
            reserved = audit.reserve(s, 2)
            audit.record_many(s, [dict(area="reserved", action="admin", object_id=f"{round_}{k}") for k in "ab"],
                              reserved=reserved)
    with database.read_session() as s:
        assert s.scalar(select(AuditChainHead.seq)) == 4
        assert list(s.scalars(select(AuditEntry.object_id).order_by(AuditEntry.seq))) == ["1a", "1b", "2a", "2b"]
        assert audit.verify(s) == []


def test_reserved_numbers_must_be_used_by_as_many_entries_and_none_are_reserved_while_deferred(app):
    import pytest

    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        before = s.scalar(select(AuditChainHead.seq))
    with pytest.raises(ValueError, match="2 numbers were reserved"), database.unit_of_work() as s:
        audit.record_many(s, [dict(area="test", action="admin", object_id="one")], reserved=audit.reserve(s, 2))
    with database.unit_of_work() as s, audit.deferred(s):
        assert audit.reserve(s, 1) is None  # the entries wait with the batch: no numbers taken now
    with database.read_session() as s:
        assert s.scalar(select(AuditChainHead.seq)) == before  # the refused transaction was rolled back
        assert audit.verify(s) == []
