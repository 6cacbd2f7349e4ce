"""The questionnaire API: the contract of issue 4 (shapes, tenancy, locking, validation)."""

from __future__ import annotations

from sqlalchemy import select

from questionnaires.models import Response
from tests.questionnaires.conftest import COMPLETE


def _url(rid, cc="BE"):
    return f"/api/v1/rounds/{rid}/responses/{cc}"


def test_questionnaires_and_rounds(api, make_user, open_mini):
    rid = open_mini(countries=("BE", "NL"))
    other = open_mini(countries=("DE",))
    sec = api(make_user("secretariat"))
    qs = sec.get("/api/v1/questionnaires").get_json()
    assert qs == [{"id": qs[0]["id"], "title": "Mini questionnaire", "version": 1, "question_count": 12}]
    rounds = sec.get("/api/v1/rounds").get_json()
    assert {r["id"] for r in rounds} == {rid, other}
    mine = next(r for r in rounds if r["id"] == rid)
    assert mine == {"id": rid, "questionnaire_id": qs[0]["id"], "deadline": mine["deadline"], "countries": ["BE", "NL"]}
    assert len(mine["deadline"]) == 10
    be = api(make_user("respondent", "BE"))
    assert [r["id"] for r in be.get("/api/v1/rounds").get_json()] == [rid]
    # every user of an invited country knows the round; reading its responses is another matter
    assert [r["id"] for r in api(make_user("officer", "BE")).get("/api/v1/rounds").get_json()] == [rid]
    assert api(make_user("observer")).get("/api/v1/rounds").get_json() == []


def test_get_and_patch_response(api, make_user, open_mini, db):
    rid = open_mini()
    be = api(make_user("respondent", "BE"))
    body = be.get(_url(rid)).get_json()
    assert body == {"country": "BE", "status": "not_started", "version": 1, "answers": {}}
    r = be.patch(_url(rid), json={"answers": {"staff": 12, "host": "police"}, "version": 1})
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"country": "BE", "status": "draft", "version": 2,
                            "answers": {"staff": 12, "host": "police"}}
    r = be.patch(_url(rid), json={"answers": {"staff": None}, "version": 2})
    assert r.get_json()["answers"] == {"host": "police"}
    assert be.get(_url(rid, "be")).status_code == 200


def test_stale_version_is_409_and_saves_nothing(api, make_user, open_mini):
    rid = open_mini()
    be = api(make_user("respondent", "BE"))
    be.patch(_url(rid), json={"answers": {"staff": 12}, "version": 1})
    r = be.patch(_url(rid), json={"answers": {"staff": 13}, "version": 1})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "stale_version"
    assert be.get(_url(rid)).get_json()["answers"] == {"staff": 12}
    assert be.patch(_url(rid), json={"answers": {}, "version": 0}).status_code == 409


def test_bad_value_or_unknown_question_is_422_and_saves_nothing(api, make_user, open_mini):
    rid = open_mini()
    be = api(make_user("respondent", "BE"))
    r = be.patch(_url(rid), json={"answers": {"staff": 12, "no_such_question": "x"}, "version": 1})
    assert r.status_code == 422
    assert r.get_json()["error"]["fields"] == {"answers.no_such_question": "There is no such question in this questionnaire."}
    r = be.patch(_url(rid), json={"answers": {"staff": 12, "night": 50, "host": "castle"}, "version": 1})
    assert r.status_code == 422
    assert r.get_json()["error"]["fields"] == {"answers.night": "Not more than the whole staff.",
                                               "answers.host": "Choose one of the options."}
    r = be.patch(_url(rid), json={"answers": {"chart": {"file_id": 1, "name": "x.pdf"}}, "version": 1})
    assert r.status_code == 422 and "answers.chart" in r.get_json()["error"]["fields"]
    assert be.patch(_url(rid), json={"answers": "staff=1", "version": 1}).status_code == 422
    assert be.get(_url(rid)).get_json() == {"country": "BE", "status": "not_started", "version": 1, "answers": {}}


def test_tenancy(api, make_user, open_mini):
    rid = open_mini(countries=("BE", "NL"))
    nl = api(make_user("respondent", "NL"))
    assert nl.get(_url(rid)).status_code == 404
    assert nl.patch(_url(rid), json={"answers": {}, "version": 1}).status_code == 404
    assert api(make_user("head_of_spoc", "NL")).get(_url(rid)).status_code == 404
    assert api(make_user("officer", "BE")).get(_url(rid)).status_code == 404
    assert api(make_user("observer")).get(_url(rid)).status_code == 404
    head = api(make_user("head_of_spoc", "BE"))
    assert head.get(_url(rid)).status_code == 200
    assert head.patch(_url(rid), json={"answers": {"staff": 1}, "version": 1}).status_code == 404
    sec = api(make_user("secretariat"))
    assert sec.get(_url(rid)).status_code == 200 and sec.get(_url(rid, "NL")).status_code == 200
    assert sec.patch(_url(rid), json={"answers": {"staff": 1}, "version": 1}).status_code == 404
    assert sec.get(_url(rid, "DE")).status_code == 404  # not in the round
    assert sec.get(_url(rid + 100)).status_code == 404
    assert sec.get(_url(2**63)).status_code == 404


def test_submitted_response_is_locked(api, make_user, open_mini, app, db):
    rid = open_mini()
    user = make_user("respondent", "BE")
    be = api(user)
    assert be.patch(_url(rid), json={"answers": COMPLETE, "version": 1}).status_code == 200
    from questionnaires.services.responses import submit

    with app.extensions["spoc_db"].unit_of_work() as session:
        response = session.scalar(select(Response).where(Response.round_id == rid, Response.country_code == "BE"))
        assert submit(session, response, None) == []
    body = be.get(_url(rid)).get_json()
    assert body["status"] == "submitted"
    r = be.patch(_url(rid), json={"answers": {"staff": 1}, "version": body["version"]})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "locked"


def test_openapi_documents_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    patch = doc["paths"]["/api/v1/rounds/{round_id}/responses/{country}"]["patch"]
    assert {"200", "401", "404", "409", "422"} <= set(patch["responses"])
    assert "ResponsePatch" in doc["components"]["schemas"] and "/api/v1/questionnaires" in doc["paths"]


def test_a_process_of_25000_steps_is_refused_and_saves_nothing(api, make_user, open_mini):
    from tests.questionnaires.conftest import STEP

    rid = open_mini()
    be = api(make_user("respondent", "BE"))
    steps = [{**STEP, "step": f"Step {i}", "task": "t" * 380} for i in range(25_000)]  # about 10 MB
    r = be.patch(_url(rid), json={"answers": {"intake": steps}, "version": 1})
    assert r.status_code in (413, 422)
    if r.status_code == 422:
        assert "at most 200 steps" in r.get_json()["error"]["fields"]["answers.intake"]
    r = be.patch(_url(rid), json={"answers": {"intake": steps[:300]}, "version": 1})  # 120 KB
    assert r.status_code == 422 and "at most 200 steps" in r.get_json()["error"]["fields"]["answers.intake"]
    assert be.get(_url(rid)).get_json()["answers"] == {}
