"""The directory in the API: /directory/spocs and /directory/spocs/<code> give the SPOC records the pages show."""

from __future__ import annotations

from portal.directory.models import Spoc


def _greece(db):
    spoc = db.get(Spoc, "EL")
    spoc.phone_24_7, spoc.email, spoc.head_name = "+302106977000", "spoc@hellenicpolice.invalid", "N. Papadopoulos"
    spoc.languages = "el, en"
    db.commit()


def test_every_country_s_spoc_in_the_directory_s_order(api, make_user, db):
    _greece(db)
    r = api(make_user("officer", "BE")).get("/api/v1/directory/spocs")
    assert r.status_code == 200
    body = r.get_json()
    assert len(body) == 31
    assert body[0]["country"] == "AT" and body[-1]["country"] == "CH"  # Member States, then associated countries
    greece = next(s for s in body if s["country"] == "EL")
    assert greece["iso_code"] == "GR" and greece["country_name"] == "Greece"
    assert greece["phone_24_7"] == "+302106977000" and greece["email"] == "spoc@hellenicpolice.invalid"
    assert greece["head_name"] == "N. Papadopoulos" and greece["languages"] == ["el", "en"]


def test_one_country_s_spoc_any_case_and_unknown_is_404(api, make_user, db):
    _greece(db)
    client = api(make_user("respondent", "NL"))
    greece = client.get("/api/v1/directory/spocs/el")
    assert greece.status_code == 200 and greece.get_json()["name"] == "SPOC Greece"
    assert greece.get_json()["bound_by_2023_977"] is True
    missing = client.get("/api/v1/directory/spocs/XX")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_without_a_token_the_api_refuses(client):
    assert client.get("/api/v1/directory/spocs").status_code == 401


def test_openapi_documents_the_directory(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/directory/spocs" in paths and "/api/v1/directory/spocs/{code}" in paths
