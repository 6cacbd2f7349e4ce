"""axe-core (WCAG 2.1 AA) over the main pages of each role: no critical and no serious violation.

The axe script ships in the axe-playwright-python wheel and is evaluated in the page (our CSP blocks
an injected <script> tag); nothing is fetched from the network."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.reports.conftest import make_structures_round

AXE = Axe()
# enough countries for the capability table to scroll sideways on a laptop-sized window
COUNTRIES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
             "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}

PAGES = {
    "secretariat": ["/", "/meetings/", "/meetings/actions", "/meetings/register", "/questionnaires/",
                    "/reports/", "/reports/rounds/{round}", "/reports/countries", "/training/", "/directory/",
                    "/account"],
    "head_of_spoc": ["/", "/meetings/", "/questionnaires/", "/reports/", "/reports/rounds/{round}",
                     "/training/", "/directory/", "/account"],
    "respondent": ["/", "/questionnaires/", "/questionnaires/rounds/{round}/responses/BE"],
    "officer": ["/", "/cases/", "/cases/new"],
}


def _serious(page) -> list[str]:
    results = AXE.run(page, options=WCAG_AA)
    found = results.response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}" for v in found
            if v["impact"] in ("critical", "serious")]


@pytest.mark.parametrize("role", sorted(PAGES))
def test_main_pages_have_no_serious_accessibility_violation(page, live_server, app, make_user, role):
    rid = make_structures_round(app, COUNTRIES, title="Structures 2026")
    user = make_user(role, None if role == "secretariat" else "BE", email=f"{role}@axe.invalid")
    page.set_viewport_size({"width": 1024, "height": 800})
    log_in(page, live_server, user.email, PASSWORD)
    problems = {}
    for path in PAGES[role]:
        page.goto(live_server + path.format(round=rid))
        found = _serious(page)
        if found:
            problems[path] = found
    assert problems == {}, problems


def test_the_sticky_save_bar_never_hides_the_field_being_typed_in(page, live_server, app, make_user):
    rid = make_structures_round(app, ("BE",), title="Structures 2026")
    from questionnaires.models import ResponseStatus, Round

    with app.extensions["spoc_db"].unit_of_work() as session:  # back to the respondent
        response = next(r for r in session.get(Round, rid).responses if r.country_code == "BE")
        response.status = ResponseStatus.REOPENED.value
    user = make_user("respondent", "BE", email="respondent@axe.invalid")
    page.set_viewport_size({"width": 1024, "height": 700})
    log_in(page, live_server, user.email, PASSWORD)
    page.goto(f"{live_server}/questionnaires/rounds/{rid}/responses/BE")
    bar = page.locator(".form-actions.sticky-bottom")
    covered = []
    for _ in range(40):  # tab through the first fields as a keyboard user does
        page.keyboard.press("Tab")
        box = page.evaluate("""() => { const e = document.activeElement; const r = e.getBoundingClientRect();
                                       return {tag: e.tagName, top: r.top, bottom: r.bottom}; }""")
        bar_top = bar.bounding_box()["y"]
        if box["tag"] in ("INPUT", "SELECT", "TEXTAREA") and box["bottom"] > bar_top + 1:
            covered.append(box)
    assert covered == []
