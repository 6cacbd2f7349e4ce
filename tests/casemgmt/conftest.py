"""Factories for case-management tests: payloads, intake through the service, cases moved along."""

from __future__ import annotations

import copy
import datetime as dt
import itertools

import pytest

from casemgmt.models import Case
from casemgmt.schemas import validate_intake
from casemgmt.services.intake import Uploads, register_incoming_message

_refs = itertools.count(1)

BASE = {
    "channel": "SIENA", "type": "request", "direction": "in", "urgent": False,
    "counterpart_country": "DE", "language": "en", "subject": "Check of a person",
    "body": "Please check the person below.",
    "entities": [{"kind": "person", "surname": "Kowalski", "given_names": "Jan", "date_of_birth": "1980-04-03",
                  "nationality": "PL"}],
}


def make_payload(**overrides) -> dict:
    data = copy.deepcopy(BASE)
    data["external_reference"] = f"SIENA-T-{next(_refs):06d}"
    data["received_at"] = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(microsecond=0).isoformat()
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def payload():
    return make_payload


@pytest.fixture
def uploads(app) -> Uploads:
    return Uploads(app.config["UPLOAD_FOLDER"], int(app.config["MAX_UPLOAD_MB"]) * 1024 * 1024)


@pytest.fixture
def intake(app, uploads):
    """intake(country, actor, **payload overrides) -> (case id, registration number, duplicate_of), committed."""
    database = app.extensions["spoc_db"]

    def run(country: str = "BE", actor=None, **overrides):
        data, errors = validate_intake(make_payload(**overrides))
        assert not errors, errors
        with database.unit_of_work() as s:
            result = register_incoming_message(s, country, data, actor, uploads=uploads)
            return result.case.id, result.case.registration_number, result.duplicate_of

    return run


@pytest.fixture
def work(app):
    """work(case_id, fn) runs fn(session, case) in its own committed transaction and returns its result."""
    database = app.extensions["spoc_db"]

    def run(case_id: int, fn):
        with database.unit_of_work() as s:
            return fn(s, s.get(Case, case_id))

    return run


@pytest.fixture
def officer(make_user):
    return make_user("officer", "BE")
