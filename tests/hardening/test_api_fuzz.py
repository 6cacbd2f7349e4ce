"""Schemathesis against our own /api/v1/openapi.json, with valid tokens of several roles:
no answer is a 5xx, every status code and response body matches what the document says."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.accounts import services as accounts

ROLES = [("secretariat", None), ("respondent", "BE"), ("officer", "BE"), ("head_of_spoc", "NL")]


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def tokens(app, make_user):
    database = app.extensions["spoc_db"]
    users = {(role, country): make_user(role, country) for role, country in ROLES}
    out = {}
    with database.unit_of_work() as session:
        for key, user in users.items():
            out[key] = accounts.create_token(session, session.merge(user), "fuzz")
    return out


CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


def test_api_honours_its_document(api_schema, tokens):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert operations, "the OpenAPI document lists no operation"
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)
        def run(case):
            for token in tokens.values():
                case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        run()


def test_the_delegation_api_honours_its_document_on_a_real_invitation(app, api_schema, make_user):
    """The delegation's operations fuzzed against an invitation that exists (random ids only reach 404):
    bodies of every shape from its invitee and the secretariat (issue 19, 3a)."""
    import datetime as dt

    from portal.db import utcnow
    from portal.meetings.services import invitations
    from portal.meetings.services import meetings as meeting_service

    database = app.extensions["spoc_db"]
    sec, head = make_user("secretariat"), make_user("head_of_spoc", "NL")
    day = (utcnow() + dt.timedelta(days=30)).date()
    with database.unit_of_work() as session:
        meeting = meeting_service.create_meeting(
            session, session.merge(sec), title="Fuzzed meeting", start=dt.datetime.combine(day, dt.time(9)),
            end=dt.datetime.combine(day, dt.time(17)), timezone="Europe/Brussels", deadline=day, venue="Brussels")
        invitations.set_invitees(session, meeting, session.merge(sec), ["NL"], {})
        invitations.send_invitations(session, meeting, session.merge(sec), "http://portal.test", utcnow())
        session.flush()
        ids = {"meeting_id": meeting.id, "invitation_id": meeting.invitations[0].id}
        tokens = [accounts.create_token(session, session.merge(u), "fuzz") for u in (head, sec)]
    path = "/api/v1/meetings/{meeting_id}/invitations/{invitation_id}/delegation"
    seen = set()
    for method in ("GET", "PUT"):
        operation = api_schema[path][method]

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)
        def run(case):
            case.path_parameters = dict(ids)
            for token in tokens:
                response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
                seen.add((case.method.upper(), response.status_code))

        run()
    assert {("GET", 200), ("PUT", 200), ("PUT", 422), ("PUT", 404)} <= seen, seen
