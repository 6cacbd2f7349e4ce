"""A BE officer takes an urgent request from intake to reply in the browser, the deadline shown
all along; the same request via a second channel lands in the same case; the BE DPO sees the
consultations; an NL officer gets 404."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD


def test_urgent_request_from_intake_to_reply(page, live_server, make_user, shot):
    officer = make_user("officer", "BE", email="officer@be.browser.invalid")
    make_user("officer", "NL", email="officer@nl.browser.invalid")
    make_user("dpo", "BE", email="dpo@be.browser.invalid")
    errors = []
    # a form with errors answers 422, which the console reports; anything else is a real error
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "422" not in msg.text else None)
    log_in(page, live_server, officer.email, PASSWORD)
    page.get_by_role("link", name="Cases", exact=True).first.click()
    expect(page.get_by_role("heading", name="Cases of the SPOC BE")).to_be_visible()
    page.get_by_role("link", name="Register a message").first.click()

    received = dt.datetime.now(ZoneInfo("Europe/Brussels")).replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    page.get_by_label("Channel", exact=True).select_option("SIENA")
    page.get_by_label("Channel reference").fill("SIENA-BROWSER-77")
    page.get_by_label("Received at").fill(received.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Counterpart country").fill("DE")
    page.get_by_label("Urgent request (Art. 4(4))").check()
    page.get_by_label("Urgency ground").select_option("life_or_physical_integrity")
    page.get_by_label("Information asked for").select_option("direct")
    page.get_by_label("Subject", exact=True).fill("Urgent: missing child, possible abductor")
    page.get_by_label("Text of the message").fill("Please check the person and the vehicle below.")
    page.get_by_label("Surname", exact=True).fill("Kowalski")
    page.get_by_label("Given names").fill("Jan")
    page.get_by_label("Date of birth").fill("1980-04-03")
    page.get_by_label("Vehicles").fill("1-ABC-234, BE")
    shot("cases-intake-form")
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_text(re.compile(r"Registered as BE-\d{4}-\d{6}\."))).to_be_visible()
    number = re.search(r"BE-\d{4}-\d{6}", page.get_by_role("heading", level=1).inner_text()).group(0)
    due = received + dt.timedelta(hours=8)
    deadline = page.locator("#case-deadline")
    expect(deadline).to_contain_text("Deadline (8 h from receipt)")
    expect(deadline).to_contain_text(due.strftime("Due %d %b %Y %H:%M"))
    expect(deadline).to_contain_text(re.compile(r"[67] h \d\d min left"))
    shot("cases-case-received")

    # the vehicle turns out to be re-registered: flagged out of date, with the reason (required)
    vehicle = page.locator("#entities tr", has_text="1-ABC-234")
    vehicle.get_by_text("flag inaccurate").click()
    vehicle.get_by_role("button", name="Flag").click()
    expect(page.locator("#entities tr", has_text="1-ABC-234").locator(".invalid-feedback")).to_have_text(
        "Give the reason.")
    vehicle = page.locator("#entities tr", has_text="1-ABC-234")
    vehicle.get_by_label("Reason").fill("Plate re-registered to another car on 2 November")
    vehicle.get_by_role("button", name="Flag").click()
    expect(page.get_by_text("Flagged: these data are no longer passed on.")).to_be_visible()
    expect(page.locator("#entities tr", has_text="1-ABC-234").locator(".flag-badge")).to_contain_text(
        "Plate re-registered")
    shot("cases-entity-flagged")

    page.get_by_role("button", name="Save the evaluation").click()
    expect(page.locator("#case-status")).to_have_text("Evaluated")
    page.get_by_role("button", name="Record the cross-check as done").click()
    expect(page.locator("#case-status")).to_have_text("Cross-checked")
    expect(deadline).to_contain_text(due.strftime("Due %d %b %Y %H:%M"))  # the deadline is kept

    # the reply, without its justification first: the message appears beside the field
    page.get_by_label("Information provided", exact=True).fill("The person is known; the vehicle is registered to him.")
    page.get_by_role("button", name="Send the reply").click()
    expect(page.locator("#re-justification-error")).to_have_text("Say why the information may be provided.")
    expect(page.get_by_label("Information provided", exact=True)).to_have_value(
        "The person is known; the vehicle is registered to him.")
    page.get_by_label("Justification of the disclosure").fill("Urgent request under Art. 4(4)(b)")
    page.get_by_role("button", name="Send the reply").click()
    expect(page.locator("#case-status")).to_have_text("Replied")
    expect(page.locator("#case-deadline")).to_contain_text("Answered in time")
    shot("cases-case-replied")

    # the same request arrives on SIRENE quoting the SIENA number: it lands in the same case
    page.get_by_role("link", name="Register a message").first.click()
    page.get_by_label("Channel", exact=True).select_option("SIRENE")
    page.get_by_label("Reason for not using SIENA (Art. 13)").select_option("urgency")
    page.get_by_label("Channel reference").fill("SIRENE-DE-5501")
    page.get_by_label("References on other channels").fill("SIENA:SIENA-BROWSER-77")
    page.get_by_label("Received at").fill(received.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Counterpart country").fill("DE")
    page.get_by_label("Subject", exact=True).fill("Same request via SIRENE")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text(f"This message belongs to {number}: it was added to that case.")).to_be_visible()
    expect(page.get_by_text("same matter, another message")).to_be_visible()

    # the BE DPO sees every consultation in the log
    dpo_context = page.context.browser.new_context()
    dpo_page = dpo_context.new_page()
    log_in(dpo_page, live_server, "dpo@be.browser.invalid", PASSWORD)
    dpo_page.goto(f"{live_server}/cases/access-log?case={number}&action=consultation")
    rows = dpo_page.locator("tbody tr")
    expect(rows.first).to_contain_text("case page opened")
    assert rows.count() >= 5  # each page load after each step
    assert officer.email in rows.first.inner_text()
    dpo_page.screenshot(path=str(shot.__globals__["SCREENSHOTS"] / "cases-dpo-log.png"), full_page=True)
    dpo_context.close()

    # an NL officer sees none of it
    nl_context = page.context.browser.new_context()
    nl_page = nl_context.new_page()
    log_in(nl_page, live_server, "officer@nl.browser.invalid", PASSWORD)
    response = nl_page.goto(f"{live_server}/cases/{number}")
    assert response.status == 404
    expect(nl_page.get_by_text("There is nothing here, or it is not yours to see.")).to_be_visible()
    nl_page.goto(f"{live_server}/cases/")
    expect(nl_page.get_by_text(number)).to_have_count(0)
    nl_page.screenshot(path=str(shot.__globals__["SCREENSHOTS"] / "cases-nl-404.png"), full_page=True)
    nl_context.close()
    assert not errors, errors


def test_supervisor_inbox_and_statistics_on_the_demo(page, live_server, app, shot):
    from portal.demo import load_demo

    with app.extensions["spoc_db"].unit_of_work() as s:
        load_demo(s, PASSWORD)
    log_in(page, live_server, "supervisor.be@demo.invalid", PASSWORD)
    page.goto(live_server + "/cases/")
    expect(page.get_by_role("heading", name="Team load")).to_be_visible()
    expect(page.locator("tr.table-danger").first).to_be_visible()  # overdue cases stand out
    shot("cases-inbox-supervisor")
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name=re.compile("Statistics of the SPOC BE"))).to_be_visible()
    page.wait_for_load_state("load")
    for img in page.locator("img.chart-img").all():
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), img.get_attribute("src")
        assert img.get_attribute("alt").startswith("Cases by") or img.get_attribute("alt").startswith("Deadline")
    shot("cases-statistics")
    page.get_by_role("link", name="Art. 18 figures").click()
    expect(page.get_by_role("heading", name="Received and answered")).to_be_visible()
    shot("cases-art18")
