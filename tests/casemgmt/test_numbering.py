"""Registration numbers: CC-YYYY-NNNNNN, one counter per country and year, never a duplicate."""

from __future__ import annotations

import re
import threading

from sqlalchemy import func, select

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
