"""axe-core (WCAG 2.1 AA) over the main pages of each role: no critical and no serious violation.

The axe script ships in the axe-playwright-python wheel and is evaluated in the page (our CSP blocks
an injected <script> tag); nothing is fetched from the network."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import log_in, serving
from tests.conftest import PASSWORD, fresh, user_factory
from tests.reports.conftest import make_structures_round

AXE = Axe()
# enough countries for the capability table to scroll sideways on a laptop-sized window
COUNTRIES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
             "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}

PAGES = {
    "secretariat": ["/", "/meetings/", "/meetings/{meeting}", "/meetings/{meeting}/invitations",
                    "/meetings/actions", "/meetings/register", "/meetings/report", "/questionnaires/",
                    "/questionnaires/rounds/{round}", "/reports/", "/reports/rounds/{round}", "/reports/countries",
                    "/reports/countries/BE", "/training/", "/training/activities/{activity}", "/directory/",
                    "/directory/BE", "/account"],
    "head_of_spoc": ["/", "/meetings/", "/meetings/{meeting}", "/questionnaires/", "/reports/",
                     "/reports/rounds/{round}", "/reports/countries/BE", "/training/", "/directory/", "/account"],
    "respondent": ["/", "/questionnaires/", "/questionnaires/rounds/{round}/responses/BE"],
    "officer": ["/", "/cases/", "/cases/{case}", "/cases/new", "/cases/duty", "/cases/search?q=person&urgent=1",
                "/cases/search?q=person"],
    "supervisor": ["/cases/", "/cases/{case}", "/cases/statistics", "/cases/approvals", "/cases/templates", "/cases/settings"],
    "dpo": ["/cases/access-log", "/cases/retention"],
    "admin": ["/", "/admin/users", "/admin/users/new", "/account"],
    "trainer": ["/", "/training/", "/training/calendar", "/training/activities/{activity}", "/training/needs",
                "/training/opportunities", "/training/trainers"],
    "observer": ["/", "/meetings/", "/training/"],
}
# where each role's user belongs
HOME = {"secretariat": {}, "admin": {}, "observer": {"agency": "EUROPOL"}}


def _seed(app, secretariat) -> dict:
    """A round, a meeting BE is invited to, a training activity and an overdue case of BE."""
    import datetime as dt

    from casemgmt.schemas import validate_intake
    from casemgmt.services.intake import Uploads, register_incoming_message
    from portal.db import utcnow
    from portal.meetings.services import agenda, invitations
    from portal.meetings.services import meetings as meeting_service
    from portal.training.models import Activity
    from tests.casemgmt.conftest import make_payload

    ids = {"round": make_structures_round(app, COUNTRIES, title="Structures 2026")}
    day = (utcnow() + dt.timedelta(days=30)).date()
    with app.extensions["spoc_db"].unit_of_work() as session:
        actor = session.merge(secretariat)
        meeting = meeting_service.create_meeting(
            session, actor, title="Heads of SPOC meeting", start=dt.datetime.combine(day, dt.time(9)),
            end=dt.datetime.combine(day, dt.time(17)), timezone="Europe/Brussels",
            deadline=day - dt.timedelta(days=7), venue="Brussels")
        agenda.add_item(session, meeting, actor, title="Time limits of Article 5", topic="obstacles",
                        presenter="BE", day=day, start_time=dt.time(9), end_time=dt.time(10))
        invitations.set_invitees(session, meeting, actor, ["BE", "NL"], {})
        invitations.send_invitations(session, meeting, actor, "http://portal.test", utcnow())
        activity = Activity(title="SIENA basics", format="classroom", start_date=day, end_date=day,
                            place="Budapest", capacity=10, status="open")
        session.add(activity)
        session.flush()
        ids |= {"meeting": meeting.id, "activity": activity.id}
        data, errors = validate_intake(make_payload(
            received_at=(dt.datetime.now(dt.UTC) - dt.timedelta(days=8)).replace(microsecond=0).isoformat()))
        assert not errors
        uploads = Uploads(app.config["UPLOAD_FOLDER"], 10 * 1024 * 1024)
        ids["case"] = register_incoming_message(session, "BE", data, None, uploads=uploads).case.registration_number
    return ids


def _serious(page) -> list[str]:
    results = AXE.run(page, options=WCAG_AA)
    found = results.response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}" for v in found
            if v["impact"] in ("critical", "serious")]


@pytest.fixture(scope="module")
def seeded(_app):
    """What every role's pages show, one user of each role, and the app serving them: made once for the
    module's role tests, which only read (the `app` fixture of the next test empties the database again)."""
    fresh(_app)
    make_user = user_factory(_app)
    ids = _seed(_app, make_user("secretariat", email="seeder@axe.invalid"))
    users = {role: make_user(role, email=f"{role}@axe.invalid", **HOME.get(role, {"country": "BE"}))
             for role in PAGES}
    with serving(_app) as base:
        yield base, ids, users
    fresh(_app)


@pytest.mark.parametrize("role", sorted(PAGES))
def test_main_pages_have_no_serious_accessibility_violation(page, seeded, role):
    base, ids, users = seeded
    page.set_viewport_size({"width": 1024, "height": 800})
    log_in(page, base, users[role].email, PASSWORD)
    problems = {}
    for path in PAGES[role]:
        response = page.goto(base + path.format(**ids))
        assert response.status == 200, path
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
