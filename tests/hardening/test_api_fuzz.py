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
