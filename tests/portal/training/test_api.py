"""The training API: /trainings, /trainings/<id>/nominations (scoped to the country), /training-needs."""

from __future__ import annotations

import datetime as dt


def test_trainings_list(api, make_user, make_activity):
    a = make_activity(title="SIENA basics", start=dt.date(2031, 5, 6), days=2, capacity=12, cepol_support=True,
                      cepol_reference="CEPOL 1/2031")
    body = api(make_user("officer", "BE")).get("/api/v1/trainings").get_json()
    assert body == [{"id": a, "title": "SIENA basics", "start": "2031-05-06", "end": "2031-05-07",
                     "format": "classroom", "capacity": 12, "cepol_support": True, "status": "open"}]


def test_nominations_are_scoped_to_the_heads_country(api, make_user, make_activity, make_nomination):
    a = make_activity()
    be = make_nomination(a, "BE", "nominated", name="Belgian")
    nl = make_nomination(a, "NL", "waiting", name="Dutch")
    head = api(make_user("head_of_spoc", "BE")).get(f"/api/v1/trainings/{a}/nominations")
    assert head.status_code == 200
    assert head.get_json() == [{"id": be, "country": "BE", "name": "Belgian", "status": "nominated"}]
    sec = api(make_user("secretariat")).get(f"/api/v1/trainings/{a}/nominations").get_json()
    assert [n["id"] for n in sec] == [be, nl]
    assert api(make_user("officer", "BE")).get(f"/api/v1/trainings/{a}/nominations").get_json() == []
    missing = api(make_user("secretariat")).get("/api/v1/trainings/9999/nominations")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_training_needs(api, make_user, submit_needs):
    submit_needs({"BE": ["siena", "languages"], "NL": ["cross_check"]})
    body = api(make_user("secretariat")).get("/api/v1/training-needs").get_json()
    assert body["topics"][:3] == ["siena", "sis_sirene", "interpol_channels"]
    assert body["countries"]["BE"]["siena"] is True and body["countries"]["BE"]["sis_sirene"] is False
    assert [t for t, v in body["countries"]["NL"].items() if v] == ["cross_check"]
    assert api(make_user("officer", "BE")).get("/api/v1/training-needs").status_code == 404


def test_without_a_token_401(client):
    assert client.get("/api/v1/trainings").status_code == 401


def test_openapi_describes_the_training_endpoints(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/trainings", "/api/v1/trainings/{training_id}/nominations", "/api/v1/training-needs"):
        assert "get" in doc["paths"][path]
    assert set(doc["components"]["schemas"]["Training"]["properties"]) == {
        "id", "title", "start", "end", "format", "capacity", "cepol_support", "status"}
    assert set(doc["components"]["schemas"]["TrainingNomination"]["properties"]) == {"id", "country", "name", "status"}
    assert set(doc["components"]["schemas"]["TrainingNeeds"]["properties"]) == {"topics", "countries"}
