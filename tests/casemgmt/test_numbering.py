"""Registration numbers: CC-YYYY-NNNNNN, one counter per country and year, never a duplicate."""

from __future__ import annotations

import re
import threading

from sqlalchemy import func, select, text

from casemgmt.models import Case
from casemgmt.schemas import validate_intake
from casemgmt.services.intake import register_incoming_message
from casemgmt.services.numbering import format_number
from tests.casemgmt.conftest import make_payload


def test_format():
    assert format_number("BE", 2026, 42) == "BE-2026-000042"


def test_numbers_count_per_country_and_year(intake):
    _, first, _ = intake("BE", received_at="2026-03-01T10:00:00+00:00")
    _, second, _ = intake("BE", received_at="2026-03-01T11:00:00+00:00")
    _, dutch, _ = intake("NL", received_at="2026-03-01T11:00:00+00:00")
    _, older, _ = intake("BE", received_at="2025-12-31T23:30:00+00:00")
    assert (first, second, dutch, older) == ("BE-2026-000001", "BE-2026-000002", "NL-2026-000001", "BE-2025-000001")


def test_concurrent_intake_gives_no_duplicate_and_loses_nothing(app):
    """8 threads x 25 intakes, each in its own session and transaction, through the service layer."""
    database = app.extensions["spoc_db"]
    payloads = [[validate_intake(make_payload(received_at="2026-05-05T08:00:00+00:00"))[0] for _ in range(25)]
                for _ in range(8)]
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker(batch):
        try:
            start.wait()
            for p in batch:
                with database.unit_of_work() as s:
                    number = register_incoming_message(s, "BE", p, None).case.registration_number
                with lock:
                    numbers.append(number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(b,)) for b in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    assert len(numbers) == 200 and len(set(numbers)) == 200
    assert sorted(numbers) == [f"BE-2026-{n:06d}" for n in range(1, 201)]  # none lost, none skipped
    with database.read_session() as s:
        assert s.scalar(select(func.count(Case.id)).where(Case.country_code == "BE")) == 200
        assert all(re.fullmatch(r"BE-2026-\d{6}", n) for n in s.scalars(select(Case.registration_number)))


def _waiting_writer(app) -> tuple[str, set[str]] | None:
    """PostgreSQL: this database's session that waits for a lock, if any: its statement and the
    tables it has written to (row-exclusive locks held)."""
    database = app.extensions["spoc_db"]
    with database.engine.connect() as conn:
        row = conn.execute(text("SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() "
                                "AND wait_event_type = 'Lock' LIMIT 1")).first()
        if row is None:
            return None
        written = set(conn.scalars(text("SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                                        "WHERE l.pid = :pid AND l.granted AND l.mode = 'RowExclusiveLock'"),
                                   {"pid": row.pid}))
        return row.query, written


def test_two_writers_at_once_numbers_stay_unique_and_gapless(app):
    """Two intakes in progress at once, each in its own transaction. The first registers its case and
    is rolled back while the second waits: the second gets the number the first had taken (no gap).
    On PostgreSQL the second writes its whole case meanwhile and waits only to take its number, the
    last thing before its commit. Two more then commit at once: consecutive numbers, none twice; the
    audit log verifies."""
    database = app.extensions["spoc_db"]
    postgresql = database.engine.dialect.name == "postgresql"
    received = "2026-06-01T08:00:00+00:00"
    payloads = [validate_intake(make_payload(received_at=received))[0] for _ in range(4)]
    numbers: dict[int, str] = {}
    errors: list[BaseException] = []
    first_registered, release = threading.Event(), threading.Event()

    def first(roll_back: bool, i: int):
        try:
            s = database.write_session()
            try:
                numbers[i] = register_incoming_message(s, "BE", payloads[i], None).case.registration_number
                first_registered.set()
                release.wait(60)
                s.rollback() if roll_back else s.commit()
            finally:
                s.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            first_registered.set()

    def second(i: int):
        try:
            first_registered.wait(60)
            with database.unit_of_work() as s:
                numbers[i] = register_incoming_message(s, "BE", payloads[i], None).case.registration_number
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    for roll_back, (a, b) in ((True, (0, 1)), (False, (2, 3))):
        first_registered.clear()
        release.clear()
        threads = [threading.Thread(target=first, args=(roll_back, a)), threading.Thread(target=second, args=(b,))]
        for t in threads:
            t.start()
        if postgresql:  # the second writer has written its case and waits on the counter's row
            waiting = None
            for _ in range(600):
                if (waiting := _waiting_writer(app)) or errors:
                    break
                threading.Event().wait(0.05)
            assert waiting is not None and "case_counters" in waiting[0], waiting
            assert {"cases", "case_messages", "case_persons"} <= waiting[1], waiting
        release.set()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors[:3]
    assert numbers[0] == numbers[1] == "BE-2026-000001"  # the rolled-back intake's number was not lost
    assert sorted([numbers[2], numbers[3]]) == ["BE-2026-000002", "BE-2026-000003"]
    with database.read_session() as s:
        assert sorted(s.scalars(select(Case.registration_number))) == [f"BE-2026-{n:06d}" for n in (1, 2, 3)]
        assert sorted(s.scalars(select(Case.sequence))) == [1, 2, 3]
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output



def _register(app, country: str, **overrides) -> tuple[str, str, str]:
    """A new case through the intake: (its number, the search document stored, the document the
    intake's Python code makes of the same parts: search_index.with_number)."""
    from casemgmt.models import CaseSearchDoc
    from casemgmt.services.intake import prepare_intake
    from casemgmt.services.search_index import with_number

    database = app.extensions["spoc_db"]
    data, errors = validate_intake(make_payload(**overrides))
    assert not errors, errors
    with database.unit_of_work() as s:
        prepared = prepare_intake(s, country, data, None)
        parts = prepared.document
        result = register_incoming_message(s, country, data, None, prepared=prepared)
        number, case_id = result.case.registration_number, result.case_id
    with database.read_session() as s:
        return number, s.get(CaseSearchDoc, case_id).text, with_number(number, parts)


def test_the_search_document_written_with_the_number_is_the_one_the_case_gives(app):
    """On PostgreSQL the number and the search document are written by one statement, the database
    completing the document with the number's digits: it must be what with_number makes of the same
    parts on SQLite, in the same order, with the number's own compact form once (even when the
    message quotes the number it is about to get)."""
    first, _, _ = _register(app, "BE", received_at="2026-03-01T10:00:00+00:00", subject="Check",
                            body="Nothing to say.", entities=[])
    assert first == "BE-2026-000001"
    number, stored, expected = _register(
        app, "BE", received_at="2026-03-01T11:00:00+00:00", subject="Follow-up of BE-2026-000002 and EU-REF/77",
        body="Seen in Łódź with Иванов; see BE-2026-000002.",
        entities=[{"kind": "person", "surname": "Kowalski", "given_names": "Jan", "date_of_birth": "1980-04-03"},
                  {"kind": "phone", "number": "+32 2 555 01 01"}])
    assert number == "BE-2026-000002"
    assert stored == expected
    words = stored.split()
    assert words[:3] == ["be", "2026", "000002"] and words.count("be2026000002") == 1
    assert {"kowalski", "lodz", "ivanov", "euref77"} <= set(words), stored


def test_a_search_document_without_text_or_entities_is_the_number_and_reference_alone(app):
    number, stored, expected = _register(app, "NL", received_at="2026-03-01T10:00:00+00:00", subject="-",
                                         body="-", entities=[], external_reference="X-1")
    assert number == "NL-2026-000001"
    assert stored == expected == "nl 2026 000001 x 1 nl2026000001 x1"
