"""The SPOC officer's day in the browser (issue 17): an own request to another Member State with its
Art. 4(5) content waits for the supervisor's approval (four eyes), is approved and leaves; once the
partner's deadline has passed it is listed to chase, and the chaser is filled from a template."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import log_in
from tests.casemgmt.conftest import make_payload
from tests.conftest import PASSWORD


def test_own_request_approved_then_chased_from_a_template(page, live_server, make_user, api, app, shot):
    from casemgmt.models import Case, Exchange
    from casemgmt.services.settings import set_setting
    from casemgmt.services.templates import save_template

    officer = make_user("officer", "BE", email="officer@be.day.invalid")
    supervisor = make_user("supervisor", "BE", email="supervisor@be.day.invalid")
    number = api(officer).post("/api/v1/cases/intake", json=make_payload()).get_json()["registration_number"]
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        set_setting(s, "BE", "four_eyes", ["request"])
        save_template(s, supervisor, "BE", kind="chaser", language="en", title="Reminder",
                      text="Our request {exchange} was due by {deadline}. When may we expect your answer?")

    log_in(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/cases/{number}")
    page.locator("#act-request summary").click()
    form = page.locator("#act-request form")
    form.get_by_label("Requested Member State").select_option("FR")
    form.get_by_label("Subject", exact=True).fill("Keeper of FR-AB-123-CD")
    form.get_by_label("Information sought (Art. 4(5)(a))").fill("Registered keeper and address")
    form.get_by_label("Purpose", exact=True).fill("Investigation of a burglary series")
    form.get_by_label("Objective reasons to believe the requested State has it").fill("The car is registered in France")
    form.get_by_label("Restrictions on use").fill("none")
    form.get_by_label("Copy to Europol (Art. 12)").select_option("no")
    form.get_by_label("Reason for the decision on a copy to Europol").fill("A local matter")
    form.get_by_role("button", name="Send the request").click()
    # the connection between purpose and person is missing: told beside its field, nothing sent
    expect(page.get_by_text("Art. 4(5): state the connection between the purpose and the person")).to_be_visible()
    page.locator("#act-request form").get_by_label("Connection between the purpose and the person").fill(
        "The keeper may have lent the car to the suspect")
    page.locator("#act-request form").get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("need a supervisor's approval")).to_be_visible()
    expect(page.locator("#approvals")).to_contain_text("waiting for approval")
    shot("cases-request-waiting-approval")

    page.context.clear_cookies()
    log_in(page, live_server, supervisor.email, PASSWORD)
    page.goto(f"{live_server}/cases/approvals")
    expect(page.get_by_text("Registered keeper and address")).to_be_visible()
    shot("cases-approvals")
    page.get_by_role("button", name="Approve and send").click()
    expect(page.get_by_text("Approved: it was sent as the officer's.")).to_be_visible()
    expect(page.get_by_text("Nothing waits for approval.")).to_be_visible()
    page.goto(f"{live_server}/cases/{number}")
    expect(page.locator("#exchange-2")).to_contain_text("Outgoing: Request")

    # nine days later the partner has not answered: the request is to chase
    with database.unit_of_work() as s:
        case_id = s.scalar(select(Case.id).where(Case.registration_number == number))
        request = s.scalar(select(Exchange).where(Exchange.case_id == case_id, Exchange.number == 2))
        request.received_at -= dt.timedelta(days=9)
        request.due_at -= dt.timedelta(days=9)
        for message in request.messages:
            message.at -= dt.timedelta(days=9)
    page.context.clear_cookies()
    log_in(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/cases/")
    chase = page.locator("#to-chase")
    expect(chase).to_contain_text(f"{number}/2 to France")
    shot("cases-inbox-to-chase")
    chase.get_by_role("link", name=f"{number}/2").click()
    page.locator("#act-xmessage summary").click()
    page.get_by_label("Start from a template").select_option(label="Chaser to a partner, en: Reminder")
    page.get_by_label("for", exact=True).select_option(label=f"{number}/2")
    page.get_by_role("button", name="Fill the form").click()
    body = page.locator("#act-xmessage textarea[name='xm-body']")
    expect(body).to_have_value(re.compile(rf"^Our request {number}/2 was due by \d\d \w+ \d{{4}} \d\d:\d\d CET\. "
                                          r"When may we expect your answer\?$"))
    page.locator("#act-xmessage form").last.get_by_role("button", name="Record the message").click()
    expect(page.get_by_text("Message recorded.")).to_be_visible()
    expect(page.locator("article", has_text="When may we expect your answer?")).to_be_visible()
    shot("cases-chased")
