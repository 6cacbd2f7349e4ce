"""API base: bearer tokens, the error shape, the OpenAPI document."""

from __future__ import annotations


def test_me_with_token(api, make_user):
    user = make_user("respondent", "BE")
    r = api(user).get("/api/v1/me")
    assert r.status_code == 200
    assert r.get_json() == {"id": user.id, "email": user.email, "name": user.name, "role": "respondent",
                            "country": "BE", "agency": None}


def test_me_without_or_with_bad_token(client):
    r = client.get("/api/v1/me")
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer spoc_nope"})
    assert r.status_code == 401


def test_session_cookie_does_not_authenticate_the_api(login_as):
    c, _ = login_as("officer", "BE")
    assert c.get("/api/v1/me").status_code == 401


def test_unknown_api_path_answers_json_404(client):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    me = doc["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"bearerAuth": []}] and "401" in me["responses"]
    assert "Me" in doc["components"]["schemas"]


def test_openapi_document_is_valid(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/v1/openapi.json").get_json())
