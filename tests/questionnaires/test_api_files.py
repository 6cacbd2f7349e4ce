"""File answers through the API: upload, download and removal with the answering page's rules."""

from __future__ import annotations

from io import BytesIO

from sqlalchemy import func, select

from portal.files import StoredFile
from questionnaires.models import AnswerHistory, Response
from questionnaires.services.responses import submit
from tests.questionnaires.conftest import COMPLETE, response_url

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def _url(rid, cc="BE", qid="chart"):
    return f"/api/v1/rounds/{rid}/responses/{cc}/answers/{qid}/file"


def _put(client, rid, content=PDF, name="organigram.pdf", version=1, cc="BE", qid="chart", scan_confirmed=True):
    data = {"file": (BytesIO(content), name)} if content is not None else {}
    if scan_confirmed:  # PDF has no text layer: the client confirms it holds no classified marking
        data["scan_confirmed"] = "true"
    if version is not None:
        data["version"] = str(version)
    return client.request("PUT", _url(rid, cc, qid), data=data, content_type="multipart/form-data")


def _delete(client, rid, version, cc="BE"):
    return client.request("DELETE", _url(rid, cc) + f"?version={version}")


def _response(db, rid, cc="BE"):
    db.rollback()
    return db.scalar(select(Response).where(Response.round_id == rid, Response.country_code == cc))


def test_upload_read_back_through_the_api_and_the_page(api, make_user, login_as, open_mini, db):
    rid = open_mini()
    be = api(make_user("respondent", "BE"))
    r = _put(be, rid)
    assert r.status_code == 201, r.get_json()
    saved = r.get_json()
    assert saved == {"question_id": "chart", "file_id": saved["file_id"], "name": "organigram.pdf",
                     "size": len(PDF), "content_type": "application/pdf", "download_url": _url(rid),
                     "revision": 1, "version": 2}
    listing = be.get(f"/api/v1/rounds/{rid}/responses/BE").get_json()
    assert listing["version"] == 2 and listing["status"] == "draft"
    assert listing["answers"] == {"chart": {"file_id": saved["file_id"], "name": "organigram.pdf",
                                            "size": len(PDF), "content_type": "application/pdf",
                                            "download_url": _url(rid)}}
    got = be.get(_url(rid))
    assert got.status_code == 200 and got.data == PDF and got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"].startswith("attachment") and "organigram.pdf" in \
        got.headers["Content-Disposition"]
    # the answering page shows it as the current file, downloadable there too
    page, _ = login_as("respondent", "BE")
    html = page.get(response_url(rid)).get_data(as_text=True)
    link = response_url(rid) + f"/files/{saved['file_id']}"
    assert f'Current file: <a href="{link}">organigram.pdf</a>' in html
    assert page.get(link).data == PDF
    # replacing is a new revision of the same answer, with its history
    r = _put(be, rid, PDF + b"% v2\n", "v2.pdf", version=2)
    assert r.status_code == 200 and r.get_json()["revision"] == 2 and r.get_json()["version"] == 3
    assert be.get(_url(rid)).data == PDF + b"% v2\n"
    response = _response(db, rid)
    rows = db.scalars(select(AnswerHistory).where(AnswerHistory.response_id == response.id)
                      .order_by(AnswerHistory.revision)).all()
    assert [(h.revision, h.via, h.new_value["name"]) for h in rows] == [(1, "api", "organigram.pdf"),
                                                                       (2, "api", "v2.pdf")]


def test_wrong_type_by_content_or_size_is_422_and_stores_nothing(api, make_user, open_mini, db):
    rid = open_mini()
    be = api(make_user("respondent", "BE"))
    before = db.scalar(select(func.count()).select_from(StoredFile))
    for content, name, message in ((PNG, "chart.pdf", "This type of file is not accepted (allowed: .pdf)."),
                                   (EXE, "chart.pdf", "This type of file is not accepted (allowed: .pdf)."),
                                   (PDF + b"0" * (1024 * 1024), "big.pdf", "The file is larger than 1 MB."),
                                   (b"", "empty.pdf", "The file is empty.")):
        r = _put(be, rid, content, name)
        assert r.status_code == 422, name
        assert r.get_json()["error"]["fields"] == {"file": message}
    r = _put(be, rid, content=None)
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"file"}
    r = _put(be, rid, version=None)
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"version"}
    for odd in ("²", "٣", " 1x", "-1"):  # digits to str.isdigit(), not to int(): 422, not a crash
        r = _put(be, rid, version=odd)
        assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"version"}, odd
        assert _delete(be, rid, odd).status_code == 422, odd
    r = be.request("PUT", _url(rid), json={"file": "JVBERi0=", "version": 1})
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"file", "version"}
    assert db.scalar(select(func.count()).select_from(StoredFile)) == before
    response = _response(db, rid)
    assert response.version == 1 and response.answers == []


def test_who_may_upload_download_and_remove(api, make_user, open_mini):
    rid = open_mini(countries=("BE", "NL"))
    be = api(make_user("respondent", "BE"))
    assert _put(be, rid).status_code == 201
    head = api(make_user("head_of_spoc", "BE"))
    assert head.get(_url(rid)).data == PDF
    assert _put(head, rid, version=2).status_code == 404
    assert _delete(head, rid, 2).status_code == 404
    sec = api(make_user("secretariat"))
    assert sec.get(_url(rid)).status_code == 200 and _put(sec, rid, version=2).status_code == 404
    for role, cc in (("respondent", "NL"), ("head_of_spoc", "NL"), ("officer", "BE"), ("observer", None)):
        other = api(make_user(role, cc))
        assert other.get(_url(rid)).status_code == 404, (role, cc)
        assert _put(other, rid, version=2).status_code == 404, (role, cc)
        assert _delete(other, rid, 2).status_code == 404, (role, cc)
    # NL's own response has no file; unknown questions and questions of another type have no file
    assert be.get(_url(rid, "NL")).status_code == 404
    assert _put(be, rid, qid="no_such", version=2).status_code == 404
    assert _put(be, rid, qid="staff", version=2).status_code == 404
    assert be.get(_url(rid, qid="staff")).status_code == 404
    assert be.get(_url(rid + 100)).status_code == 404
    assert be.get(f"/api/v1/rounds/{rid}/responses/BE").get_json()["version"] == 2


def test_delete_removes_the_file_answer(api, make_user, open_mini, db):
    rid = open_mini()
    be = api(make_user("respondent", "BE"))
    _put(be, rid)
    assert _delete(be, rid, 1).status_code == 409  # stale version: nothing removed
    r = _delete(be, rid, 2)
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"country": "BE", "status": "draft", "version": 3, "answers": {}}
    assert be.get(_url(rid)).status_code == 404
    assert _delete(be, rid, 3).status_code == 404
    assert be.request("DELETE", _url(rid)).status_code == 422
    history = db.scalars(select(AnswerHistory.new_value).where(
        AnswerHistory.response_id == _response(db, rid).id).order_by(AnswerHistory.revision)).all()
    assert history[-1] is None and len(history) == 2


def test_stale_or_submitted_response_refuses(api, make_user, open_mini, app, db):
    rid = open_mini()
    be = api(make_user("respondent", "BE"))
    r = _put(be, rid, version=7)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "stale_version"
    assert be.patch(f"/api/v1/rounds/{rid}/responses/BE", json={"answers": COMPLETE, "version": 1}).status_code == 200
    assert _put(be, rid, version=2).status_code == 201
    with app.extensions["spoc_db"].unit_of_work() as session:
        response = session.scalar(select(Response).where(Response.round_id == rid, Response.country_code == "BE"))
        assert submit(session, response, None) == []
    before = db.scalar(select(func.count()).select_from(StoredFile))
    r = _put(be, rid, PDF + b"% later\n", version=3)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "locked"
    r = _delete(be, rid, 3)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "locked"
    assert db.scalar(select(func.count()).select_from(StoredFile)) == before
    assert be.get(_url(rid)).data == PDF


def test_patch_refuses_files_but_accepts_them_sent_back_unchanged(api, make_user, open_mini):
    rid = open_mini()
    be = api(make_user("respondent", "BE"))
    url = f"/api/v1/rounds/{rid}/responses/BE"
    r = be.patch(url, json={"answers": {"chart": {"file_id": 1, "name": "x.pdf"}}, "version": 1})
    assert r.status_code == 422
    assert r.get_json()["error"]["fields"] == {
        "answers.chart": f"Upload a file with PUT, remove it with DELETE {_url(rid)}."}
    _put(be, rid)
    body = be.get(url).get_json()
    r = be.patch(url, json={"answers": {**body["answers"], "staff": 3}, "version": body["version"]})
    assert r.status_code == 200, r.get_json()
    assert set(r.get_json()["answers"]) == {"chart", "staff"}
    assert be.patch(url, json={"answers": {"chart": None}, "version": 3}).status_code == 422


def test_openapi_documents_the_file_endpoints(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    ops = doc["paths"]["/api/v1/rounds/{round_id}/responses/{country}/answers/{question_id}/file"]
    assert {"200", "201", "401", "404", "409", "413", "422"} <= set(ops["put"]["responses"])
    body = ops["put"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body == {"$ref": "#/components/schemas/FileUpload"}
    assert doc["components"]["schemas"]["FileUpload"]["properties"]["file"]["format"] == "binary"
    assert "application/pdf" in ops["get"]["responses"]["200"]["content"]
    assert {"200", "401", "404", "409", "422"} <= set(ops["delete"]["responses"])
    assert ops["delete"]["parameters"][-1]["name"] == "version"


def test_random_bodies_on_a_real_response_never_fail(app, make_user, open_mini):
    """Schemathesis on the file endpoints of an existing draft (the general fuzz test mostly meets 404s)."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from portal.accounts import services as accounts

    rid = open_mini()
    with app.extensions["spoc_db"].unit_of_work() as session:
        token = accounts.create_token(session, session.merge(make_user("respondent", "BE")), "fuzz")
    client, auth = app.test_client(), {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    path = "/api/v1/rounds/{round_id}/responses/{country}/answers/{question_id}/file"
    for method in ("PUT", "GET", "DELETE"):
        operation = schema[path][method]

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)
        def run(case):
            case.path_parameters = {"round_id": rid, "country": "BE", "question_id": "chart"}
            # every other case carries the current version, so that the body itself is checked
            version = client.get(f"/api/v1/rounds/{rid}/responses/BE", headers=auth).get_json()["version"]
            if case.method == "PUT" and isinstance(case.body, dict) and len(repr(case.body)) % 2:
                case.body["version"] = version
            if case.method == "DELETE" and len(repr(case.query)) % 2:
                case.query = {"version": version}
            case.call_and_validate(headers=auth, checks=[not_a_server_error, status_code_conformance,
                                                         content_type_conformance, response_schema_conformance])

        run()


def test_a_scanned_pdf_needs_scan_confirmed(api, make_user, open_mini):
    rid = open_mini(countries=("BE",))
    be = api(make_user("respondent", "BE"))
    r = _put(be, rid, scan_confirmed=False)
    assert r.status_code == 422 and list(r.get_json()["error"]["fields"]) == ["scan_confirmed"]
    assert _put(be, rid).status_code in (200, 201)
