"""The search page, saved searches and GET /api/v1/cases/search as an officer uses them."""

from __future__ import annotations

import re

from sqlalchemy import select

from casemgmt.models import Case, SavedSearch
from portal.audit import AuditEntry


def _numbers(html: str) -> list[str]:
    return re.findall(r'name="case" value="([A-Z]{2}-\d{4}-\d{6})"', html)


def test_search_page_finds_and_counts(intake, login_as, officer):
    _, number, _ = intake("BE", officer, subject="Counterfeit watches", body="Seized at Zeebrugge")
    intake("BE", officer, subject="Something else")
    client, _ = login_as("officer", "BE")
    page = client.get("/cases/search?q=zeebrugge").get_data(as_text=True)
    assert _numbers(page) == [number]
    assert '<span id="result-count">1</span> case(s) found' in page
    assert "Counterfeit watches" in page
    assert 'href="/cases/search"' in client.get("/cases/").get_data(as_text=True)  # in the navigation


def test_bad_filters_are_named_beside_the_field(login_as):
    client, _ = login_as("officer", "BE")
    r = client.get("/cases/search?q=x&from=yesterday&channel=PIGEON")
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="from-error">a date as YYYY-MM-DD' in page and 'id="channel-error">one of SIENA' in page
    assert 'value="x"' in page  # what was typed stays


def test_save_list_rerun_and_delete_a_search(intake, login_as, officer, db):
    _, number, _ = intake("BE", officer, subject="Counterfeit watches", urgent=True,
                          urgency_ground="life_or_physical_integrity", information_access="direct")
    intake("BE", officer, subject="Counterfeit watches")
    client, user = login_as("officer", "BE")
    r = client.post_form("/cases/search/save", {"name": "Urgent watches", "q": "watches", "urgent": "1"})
    assert r.status_code == 302
    db.rollback()
    saved = db.scalar(select(SavedSearch).where(SavedSearch.user_id == user.id))
    assert saved.params == {"q": "watches", "urgent": "1"}
    page = client.get("/cases/search").get_data(as_text=True)
    assert "Urgent watches" in page and f"/cases/search/saved/{saved.id}" in page
    rerun = client.client.get(f"/cases/search/saved/{saved.id}", follow_redirects=True).get_data(as_text=True)
    assert _numbers(rerun) == [number]
    saved_id = saved.id
    r = client.post_form(f"/cases/search/saved/{saved_id}/delete")
    assert r.status_code == 302
    db.rollback()
    assert db.get(SavedSearch, saved_id) is None


def test_a_saved_search_is_nobody_elses(login_as, make_user, db):
    from casemgmt.services import search
    from casemgmt.services.search_criteria import read_criteria

    owner = make_user("officer", "BE")
    nl_owner = make_user("officer", "NL")
    ids = []
    for who in (owner, nl_owner):
        ids.append(search.save_search(db, who, "Mine", read_criteria({"q": "fraud"})[0]).id)
    db.commit()
    colleague, _ = login_as("officer", "BE")
    for search_id in ids:  # a colleague's, and another country's: both 404
        assert colleague.client.get(f"/cases/search/saved/{search_id}").status_code == 404
        assert colleague.post_form(f"/cases/search/saved/{search_id}/delete").status_code == 404
    assert "Mine" not in colleague.get("/cases/search").get_data(as_text=True)


def test_each_search_is_in_the_access_log_with_its_terms(intake, login_as, officer, db):
    intake("BE", officer, subject="Counterfeit watches")
    client, user = login_as("officer", "BE")
    client.get("/cases/search?q=watches&channel=SIENA")
    db.rollback()
    entry = db.scalar(select(AuditEntry).where(AuditEntry.object_type == "case_search"))
    assert (entry.actor_email, entry.action, entry.details["terms"]) == (
        user.email, "consultation", {"q": "watches", "channel": "SIENA"})
    dpo, _ = login_as("dpo", "BE")
    assert "search across cases (search page): q=watches; channel=SIENA" in dpo.get(
        "/cases/access-log").get_data(as_text=True)


def test_bulk_action_on_a_selection_of_results(intake, login_as, officer, make_user, db):
    numbers = [intake("BE", officer, subject="Bulk from search")[1] for _ in range(2)]
    client, _ = login_as("supervisor", "BE")
    page = client.get("/cases/search?q=bulk").get_data(as_text=True)
    assert set(_numbers(page)) == set(numbers) and 'name="back" value="/cases/search?q=bulk"' in page
    r = client.post_form("/cases/bulk", {"action": "assign", "assignee_id": str(officer.id), "case": numbers[:1],
                                         "back": "/cases/search?q=bulk"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/cases/search?q=bulk")
    db.rollback()
    assigned = dict(db.execute(select(Case.registration_number, Case.assignee_id)).all())
    assert assigned[numbers[0]] == officer.id and assigned[numbers[1]] is None


def test_api_search(intake, api, make_user, officer):
    _, number, _ = intake("BE", officer, subject="Counterfeit watches", external_reference="SIENA-API-77")
    intake("NL", make_user("officer", "NL"), subject="Counterfeit watches")
    client = api(make_user("officer", "BE"))
    r = client.get("/api/v1/cases/search?q=watches")
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert [i["registration_number"] for i in body["items"]] == [number]
    assert (body["count"], body["count_capped"], body["next_after"]) == (1, False, None)
    assert client.get("/api/v1/cases/search?q=SIENA-API-77").get_json()["items"][0]["registration_number"] == number
    bad = client.get("/api/v1/cases/search?from=soon")
    assert bad.status_code == 422 and "from" in bad.get_json()["error"]["fields"]
    assert api(make_user("secretariat")).get("/api/v1/cases/search?q=watches").status_code == 404
    assert "/cases/search" in str(client.get("/api/v1/openapi.json").get_json()["paths"].keys())
