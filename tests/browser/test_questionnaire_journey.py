"""A Belgian respondent fills the SPOC structures questionnaire in a real browser: live logic,
autosave, save and come back, submit with something missing, complete, submit; NL sees nothing."""

from __future__ import annotations

import datetime as dt
import random
import re

from playwright.sync_api import expect

from portal.db import utcnow
from questionnaires.definitions import shipped
from questionnaires.demo import generate_answers
from questionnaires.services import rounds, versions
from tests.browser.conftest import SCREENSHOTS, log_in
from tests.conftest import PASSWORD

LEFT_FOR_THE_BROWSER = ("resp_name", "swot_intake_s")


def _view(page, name: str) -> None:
    """A screenshot of what the user sees now (the whole questionnaire is too long for one image)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _open_round(app) -> int:
    with app.extensions["spoc_db"].unit_of_work() as session:
        version = versions.publish_definition(session, shipped("spoc_structures")).version
        round_ = rounds.open_round(session, version, title="SPOC structures 2026",
                                   deadline=utcnow().date() + dt.timedelta(days=21), countries=["BE", "NL"],
                                   actor=None)
        return round_.id


def test_fill_save_come_back_submit(page, live_server, app, make_user, api):
    rid = _open_round(app)
    be = make_user("respondent", "BE", email="respondent.be@browser.invalid")
    colleague = make_user("respondent", "BE", email="colleague.be@browser.invalid")
    errors = []
    # a page answered 422 (submit with problems) is logged by the browser; anything else is a failure
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and "status of 422" not in msg.text else None)
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, live_server, be.email, PASSWORD)
    page.get_by_role("link", name="Questionnaires", exact=True).first.click()
    page.get_by_role("link", name="SPOC structures 2026").click()
    expect(page.get_by_role("heading", name="National SPOC structures")).to_be_visible()
    url = page.url
    page.evaluate("window.__noReload = 'still the same page'")

    # live logic: the CMS follow-ups appear and disappear as the answer changes, without a reload
    functions, plans = page.locator("#q-cms_functions"), page.locator("#q-cms_plans")
    expect(functions).to_be_hidden()
    expect(plans).to_be_hidden()
    page.locator("#q-cms_in_place").get_by_label("Yes").check()
    expect(functions).to_be_visible()
    expect(plans).to_be_hidden()
    functions.scroll_into_view_if_needed()
    _view(page, "questionnaire-cms-yes")
    page.locator("#q-cms_in_place").get_by_label("No: paper registers", exact=False).check()
    expect(functions).to_be_hidden()
    expect(plans).to_be_visible()
    _view(page, "questionnaire-cms-no")
    page.locator("#q-cms_in_place").get_by_label("Yes").check()
    assert page.evaluate("window.__noReload") == "still the same page"

    # autosave after a few seconds, then an explicit save; both survive a reload
    page.get_by_label("Official name of the SPOC").fill("Directorate of International Police Cooperation")
    expect(page.locator("#autosave-status")).to_contain_text("saved automatically", timeout=10000)
    page.locator("#q-comp_host").get_by_label("Ministry", exact=False).first.check()
    # a process table: fill a step, add a row for a second one that depends on it
    table = page.locator('[data-process="proc_incoming"]')
    table.get_by_label("Step 1: Step", exact=True).fill("Receipt of the request")
    table.get_by_label("Step 1: actor").fill("Duty officer")
    table.get_by_label("Step 1: target").fill("The request registered as received")
    table.get_by_label("Step 1: automation").select_option("partly_automated")
    table.get_by_label("Step 1: In the SPOC").select_option("mandatory")
    rows_before = table.locator("[data-step-row]").count()
    page.locator('[data-add-step="proc_incoming"]').click()
    expect(table.locator("[data-step-row]")).to_have_count(rows_before + 1)
    new_row = table.locator("[data-step-row]").last
    new_row.locator("input").nth(0).fill("Reply through SIENA")
    new_row.get_by_label("depends on").fill("Receipt of the request")
    new_row.get_by_label("In the SPOC").select_option("required")
    # the added row's fields are named with its own number (data-aria), not the copied row's
    expect(new_row.get_by_label(f"Step {rows_before + 1}: Step", exact=True)).to_have_value("Reply through SIENA")
    table.scroll_into_view_if_needed()
    _view(page, "questionnaire-process-table")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.goto(url)
    expect(page.get_by_label("Official name of the SPOC")).to_have_value("Directorate of International Police Cooperation")
    expect(page.locator("#q-cms_in_place").get_by_label("Yes")).to_be_checked()
    expect(page.locator("#q-cms_in_place .answer-meta")).to_contain_text("Last changed by")
    expect(functions).to_be_visible()
    expect(table.get_by_label("Step 1: Step", exact=True)).to_have_value("Receipt of the request")
    expect(table.get_by_label("Step 2: depends on")).to_have_value("Receipt of the request")
    expect(table.get_by_label("Step 1: automation")).to_have_value("partly_automated")

    # submit with almost everything missing: the list of problems, each a link to its question
    page.get_by_role("button", name="Submit").click()
    problems = page.locator("#submit-problems")
    expect(problems).to_contain_text("Not submitted")
    expect(problems.get_by_role("link", name="Name of the contact person")).to_be_visible()
    problems.scroll_into_view_if_needed()
    _view(page, "questionnaire-submit-problems")
    problems.get_by_role("link", name="Name of the contact person").click()
    assert page.url.endswith("#q-resp_name")

    # a colleague fills most of the rest through the API, leaving two answers for us
    mine = {"cms_in_place", "comp_name", "comp_host", "comp_host_other", "proc_incoming"}
    # answers made for a country with a CMS, as the browser said (the first seed that gives one)
    generated = next(g for g in (generate_answers(shipped("spoc_structures"), random.Random(seed), country="BE")
                                 for seed in range(1, 50)) if g.get("cms_in_place") == "yes")
    rest = {k: v for k, v in generated.items() if k not in mine and k not in LEFT_FOR_THE_BROWSER}
    client = api(colleague)
    version = client.get(f"/api/v1/rounds/{rid}/responses/BE").get_json()["version"]
    r = client.patch(f"/api/v1/rounds/{rid}/responses/BE", json={"answers": rest, "version": version})
    assert r.status_code == 200, r.get_json()

    page.goto(url)
    page.get_by_role("button", name="Submit").click()
    expect(problems).to_contain_text("Not submitted: 2 answers need attention")
    page.get_by_label("Name of the contact person").fill("Anne Dubois")
    page.locator("#a-swot_intake_s").fill("Single registry for every channel; 24/7 duty officers.")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Submitted. The response is now locked")).to_be_visible()
    expect(page.locator("#questionnaire-form")).to_have_count(0)
    _view(page, "questionnaire-submitted")
    assert not errors, errors

    # a Dutch respondent sees none of it
    nl = make_user("respondent", "NL", email="respondent.nl@browser.invalid")
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, nl.email, PASSWORD)
    response = page.goto(url)
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_text("Anne Dubois")).to_have_count(0)


def test_secretariat_follows_progress_and_prints(page, live_server, app, make_user, api, shot):
    rid = _open_round(app)
    be = make_user("respondent", "BE")
    answers = generate_answers(shipped("spoc_structures"), random.Random(2), country="BE")
    r = api(be).patch(f"/api/v1/rounds/{rid}/responses/BE", json={"answers": answers, "version": 1})
    assert r.status_code == 200
    sec = make_user("secretariat", email="secretariat@browser.invalid")
    log_in(page, live_server, sec.email, PASSWORD)
    page.goto(f"{live_server}/questionnaires/rounds/{rid}")
    expect(page.get_by_role("heading", name="SPOC structures 2026")).to_be_visible()
    expect(page.locator("tr", has_text="Belgium")).to_contain_text(re.compile(r"Draft\s+\d+%"))
    expect(page.locator("tr", has_text="Netherlands")).to_contain_text("Not started")
    shot("questionnaire-round-progress")
    page.locator("tr", has_text="Belgium").get_by_role("link", name="Print").click()
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.emulate_media(media="print")
    _view(page, "questionnaire-print")
