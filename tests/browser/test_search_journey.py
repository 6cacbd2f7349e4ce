"""Search across cases in the browser (issue 17, points 3 and 7): an officer looks for a person by a
spelling other than the one received, narrows with a filter, saves the search, and reruns it the
next day from the list of saved searches, where a new matching case now shows; the searches are in
the SPOC's access log."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.casemgmt.conftest import make_payload
from tests.conftest import PASSWORD

URGENT = {"urgent": True, "urgency_ground": "life_or_physical_integrity", "information_access": "direct"}
IVANOV = [{"kind": "person", "surname": "Иванов", "given_names": "Пётр", "date_of_birth": "1975-02-01"}]


def test_a_search_saved_and_rerun(page, live_server, make_user, api, shot):
    officer = make_user("officer", "BE", email="officer@be.search.invalid")
    partner = api(make_user("officer", "BE"))
    first = partner.post("/api/v1/cases/intake", json=make_payload(
        subject="Identity check", body="Please check the person.", entities=IVANOV, **URGENT)).get_json()
    partner.post("/api/v1/cases/intake", json=make_payload(subject="Identity check", entities=IVANOV))
    partner.post("/api/v1/cases/intake", json=make_payload(subject="Stolen car", body="A car was stolen."))
    nl = api(make_user("officer", "NL"))
    nl.post("/api/v1/cases/intake", json=make_payload(subject="Identity check", entities=IVANOV, **URGENT))

    log_in(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/cases/")
    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Words, a reference, a name or an identifier").fill("Ivanov")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#result-count")).to_have_text("2")  # Иванов, as received; NL's case never shows
    page.get_by_text("Filters").click()
    page.get_by_label("Urgent only").check()
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#result-count")).to_have_text("1")
    expect(page.get_by_role("link", name=first["registration_number"])).to_be_visible()
    page.get_by_label("Save this search as").fill("Urgent Ivanov")
    page.get_by_role("button", name="Save the search").click()
    expect(page.get_by_text("Search “Urgent Ivanov” saved.")).to_be_visible()
    shot("cases-search-saved")

    # the next day another urgent request about him arrives
    later = partner.post("/api/v1/cases/intake", json=make_payload(
        subject="Follow-up", body="Петр Иванов was seen again.", **URGENT)).get_json()
    page.goto(f"{live_server}/cases/search")
    page.get_by_role("link", name="Urgent Ivanov").click()
    expect(page.locator("#result-count")).to_have_text("2")
    expect(page.get_by_role("link", name=later["registration_number"])).to_be_visible()
    expect(page.get_by_label("Words, a reference, a name or an identifier")).to_have_value("Ivanov")
    expect(page.get_by_label("Urgent only")).to_be_checked()
    shot("cases-search-rerun")

    # the DPO sees both searches, with their terms
    page.context.clear_cookies()
    dpo = make_user("dpo", "BE")
    log_in(page, live_server, dpo.email, PASSWORD)
    page.goto(f"{live_server}/cases/access-log")
    expect(page.get_by_text("search across cases (search page): q=Ivanov; urgent=1").first).to_be_visible()
