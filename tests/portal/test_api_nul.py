"""A NUL in a JSON body ("\\u0000") cannot be stored in PostgreSQL's text: the API names the field (422) and
writes nothing, where the write used to fail with a server error on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from casemgmt.models import Case
from tests.casemgmt.conftest import make_payload


def test_a_nul_in_an_intake_is_named_and_nothing_is_registered(api, make_user, db):
    client = api(make_user("officer", "BE"))
    payload = make_payload(entities=[{"kind": "person", "surname": "Kowal\x00ski", "given_names": "Jan"}])
    r = client.post("/api/v1/cases/intake", json=payload)
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["error"]["fields"] == {
        "entities.0.surname": "holds a NUL character (\\u0000), which cannot be stored: remove it"}
    db.rollback()
    assert db.scalar(select(func.count(Case.id))) == 0
    # a backslash followed by "u0000" is text like any other
    r = client.post("/api/v1/cases/intake", json=make_payload(body="the escape \\u0000 in a log line"))
    assert r.status_code == 201, r.get_json()
