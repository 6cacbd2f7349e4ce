"""One load-and-authorise of a case (issue 22, point 2): the pages and every API endpoint load a case
through casemgmt.services.folder.authorised_case, so they answer alike: a missing case, another
SPOC's case and (for a change) a case the user may only read all answer 404."""

from __future__ import annotations

import pytest

from casemgmt.services import CaseError
from casemgmt.services.folder import authorised_case
from portal.errors import RuleError
from tests.casemgmt.test_requests import REQUEST

CHANGES = [
    ("exchanges", {"direction": "out", "type": "request", "counterpart": {"kind": "member_state", "country": "FR"},
                   "channel": "SIENA", "subject": "Vehicle registered in France?"}),
    ("requests", REQUEST),
    ("exchanges/1/messages", {"type": "reply", "body": "Nothing known.", "channel": "SIENA", "handling_code": "H0"}),
    ("exchanges/1/close", {"outcome": "information_provided"}),
    ("entities", {"entity": {"kind": "phone", "number": "+32470000000"}, "justification": "Named in the reply"}),
]


@pytest.fixture
def number(intake):
    return intake("BE")[1]


@pytest.mark.parametrize(("path", "body"), CHANGES, ids=[p for p, _ in CHANGES])
@pytest.mark.parametrize("who", [("officer", "NL"), ("dpo", "BE")])
def test_a_change_through_the_api_is_404_to_whoever_may_not_handle_the_case(api, make_user, number, path, body, who):
    r = api(make_user(*who)).post(f"/api/v1/cases/{number}/{path}", json=body)
    assert r.status_code == 404, r.get_json()
    assert r.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("path", "body"), CHANGES[:2], ids=[p for p, _ in CHANGES[:2]])
def test_a_missing_case_is_404_as_another_spocs(api, make_user, number, path, body):
    r = api(make_user("officer", "BE")).post(f"/api/v1/cases/BE-1999-999999/{path}", json=body)
    assert r.status_code == 404


def test_reading_a_case_page_and_api_agree(api, make_user, login_as, number):
    dpo = make_user("dpo", "BE")
    assert api(dpo).get(f"/api/v1/cases/{number}").status_code == 200
    assert api(make_user("officer", "NL")).get(f"/api/v1/cases/{number}").status_code == 404
    page, _ = login_as("dpo", "BE")
    assert page.get(f"/cases/{number}").status_code == 200
    other, _ = login_as("officer", "NL")
    assert other.get(f"/cases/{number}").status_code == 404


def test_authorised_case_reads_for_readers_and_changes_for_handlers(db, make_user, number):
    officer, dpo, foreign = make_user("officer", "BE"), make_user("dpo", "BE"), make_user("officer", "NL")
    assert authorised_case(db, officer, number.lower(), handle=True).registration_number == number
    assert authorised_case(db, dpo, number).registration_number == number
    assert authorised_case(db, dpo, number, handle=True) is None
    assert authorised_case(db, foreign, number) is None
    assert authorised_case(db, officer, "BE-1999-999999") is None


def test_a_case_rule_error_is_a_rule_error_naming_its_field():
    exc = CaseError("Give the outcome.", "outcome")
    assert isinstance(exc, RuleError) and exc.status == 422 and exc.field == "outcome"


def test_the_dashboard_counts_what_the_api_lists(api, make_user, login_as, intake):
    for country in ("BE", "BE", "NL"):
        intake(country)
    client, officer = login_as("officer", "BE")
    listed = api(officer).get("/api/v1/cases?status=open").get_json()["items"]
    assert len(listed) == 2
    assert "2 open cases, 0 overdue." in client.get("/").get_data(as_text=True)
    nobody, _ = login_as("secretariat")
    assert "open cases" not in nobody.get("/").get_data(as_text=True)
