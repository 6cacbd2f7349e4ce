"""A BE officer takes an urgent request from intake to reply in the browser (one action once the
hits are decided: no separate evaluation or cross-check step), the deadline shown all along; closes
it with its outcome; a new request quoting the closed case is suggested, not swallowed, and confirmed
as new; a delay notice then a late answer is counted as an Art. 5(2) deviation; the BE DPO sees the
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
    expect(page.get_by_role("heading", name="Cases of the SPOC Belgium")).to_be_visible()
    page.get_by_role("link", name="Register a message").first.click()

    received = dt.datetime.now(ZoneInfo("Europe/Brussels")).replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    page.get_by_label("Channel", exact=True).select_option("SIENA")
    page.get_by_label("Channel reference").fill("SIENA-BROWSER-77")
    page.get_by_label("Received at").fill(received.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Counterpart country").select_option("DE")
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
    expect(deadline).to_contain_text("Legal deadline (8 h from receipt, Art. 5(1))")
    expect(page.locator("#exchange-1")).to_contain_text("Directive (EU) 2023/977")
    expect(page.locator("#exchange-1")).to_contain_text("Member State: Germany")
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

    expect(deadline).to_contain_text(due.strftime("Due %d %b %Y %H:%M"))  # the deadline is kept

    # no hits to decide: the reply panel is open at once, one action away
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

    # closed with its outcome
    page.locator("#close-outcome").select_option("information_provided")
    page.locator("#close-form").get_by_role("button", name="Close").click()
    expect(page.get_by_role("heading", name=f"{number} is closed")).to_be_visible()  # opened again only with a reason
    page.get_by_label("Justification").fill("Checking the outcome recorded")
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator("#case-status")).to_have_text("Closed")
    expect(page.locator("#exchange-1")).to_contain_text("Closed: Information provided")

    # a new request quoting the closed case's SIENA number: its own case and clock, the closed one suggested
    page.get_by_role("link", name="Register a message").first.click()
    page.get_by_label("Channel", exact=True).select_option("SIENA")
    page.get_by_label("Channel reference").fill("SIENA-BROWSER-78")
    page.get_by_label("References on other channels").fill("SIENA:SIENA-BROWSER-77")
    page.get_by_label("Received at").fill(received.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Counterpart country").select_option("DE")
    page.get_by_label("Subject", exact=True).fill("New request: the suspect seen again")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text(re.compile(rf"with its own clock\. It may be the same matter as {number}"))).to_be_visible()
    new_number = re.search(r"BE-\d{4}-\d{6}", page.get_by_role("heading", level=1).inner_text()).group(0)
    assert new_number != number
    suggestion = page.locator("li.suggestion", has_text=number)
    expect(suggestion).to_contain_text("quotes the SIENA reference SIENA-BROWSER-77")
    shot("cases-suggestion")
    suggestion.get_by_role("button", name="Same request (merge)").click()  # refused: the case is closed
    expect(page.get_by_text("is closed: a new request is its own exchange")).to_be_visible()
    page.locator("li.suggestion", has_text=number).get_by_label("link the cases when dismissing").check()
    page.locator("li.suggestion", has_text=number).get_by_role("button", name="Not the same").click()
    expect(page.get_by_text("Suggestion dismissed.")).to_be_visible()
    expect(page.locator("li.suggestion")).to_have_count(0)


    # the BE DPO sees every consultation in the log
    dpo_context = page.context.browser.new_context()
    dpo_page = dpo_context.new_page()
    log_in(dpo_page, live_server, "dpo@be.browser.invalid", PASSWORD)
    dpo_page.goto(f"{live_server}/cases/access-log?case={number}&action=consultation")
    rows = dpo_page.locator("tbody tr")
    expect(rows.first).to_contain_text("case page opened")
    # each page load after each step: repeated within minutes, they are one line with their count
    counts = [int(n) for n in re.findall(r"\((\d+) times\)", dpo_page.locator("tbody").inner_text())]
    assert sum(counts) + rows.count() - len(counts) >= 4
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


def test_a_delay_notice_then_a_late_answer_is_an_art5_2_deviation(page, live_server, app, make_user, shot):
    from casemgmt.schemas import validate_intake
    from casemgmt.services.intake import register_incoming_message
    from tests.casemgmt.conftest import make_payload

    officer = make_user("officer", "BE", email="officer.late@be.browser.invalid")
    make_user("supervisor", "BE", email="supervisor.late@be.browser.invalid")
    received = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=10)
    payload, errors = validate_intake(make_payload(received_at=received.isoformat(), counterpart_country="FR",
                                                   subject="Bank account holder", entities=[]))
    assert not errors
    with app.extensions["spoc_db"].unit_of_work() as s:
        number = register_incoming_message(s, "BE", payload, officer).registration_number
    log_in(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/cases/{number}")
    expect(page.locator("#case-deadline")).to_contain_text("Overdue")
    page.locator("#act-delay summary").click()
    page.get_by_label("Expected delay (days)").fill("5")
    page.locator("#act-delay").get_by_label("Reasons", exact=True).fill(
        "The bank data need the investigating judge's authorisation (Art. 9).")
    page.get_by_role("button", name="Send the delay notice").click()
    expect(page.locator("#exchange-1")).to_contain_text("delay notice given")
    expect(page.locator("#case-deadline")).to_contain_text("Delayed for judicial authorisation")
    page.get_by_label("Information provided", exact=True).fill("The holder is the company named below.")
    page.get_by_label("Justification of the disclosure").fill("Request under Art. 4, authorisation granted")
    page.get_by_role("button", name="Send the reply").click()
    expect(page.locator("#exchange-1")).to_contain_text("Art. 5(2) deviation")
    expect(page.locator("#case-deadline")).to_contain_text("Late for judicial authorisation (Art. 5(2))")
    shot("cases-art5-2-deviation")
    context = page.context.browser.new_context()
    supervisor = context.new_page()
    log_in(supervisor, live_server, "supervisor.late@be.browser.invalid", PASSWORD)
    year = received.astimezone(ZoneInfo("Europe/Brussels")).year
    supervisor.goto(f"{live_server}/cases/statistics/art18?year={year}")
    deviations = supervisor.locator("table", has=supervisor.get_by_role("columnheader", name="deviations"))
    expect(deviations.locator("tr", has_text="FR")).to_contain_text("1")
    supervisor.screenshot(path=str(shot.__globals__["SCREENSHOTS"] / "cases-art18-deviation.png"), full_page=True)
    context.close()


def test_supervisor_inbox_and_statistics_on_the_demo(page, live_server, app, shot):
    from portal.demo import load_demo

    with app.extensions["spoc_db"].unit_of_work() as s:
        load_demo(s, PASSWORD, app)
    log_in(page, live_server, "supervisor.be@demo.invalid", PASSWORD)
    page.goto(live_server + "/cases/")
    expect(page.get_by_role("heading", name="Team load")).to_be_visible()
    expect(page.locator("tr.table-danger").first).to_be_visible()  # overdue cases stand out
    shot("cases-inbox-supervisor")
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name=re.compile("Statistics of the SPOC Belgium"))).to_be_visible()
    page.wait_for_load_state("load")
    for img in page.locator("img.chart-img").all():
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), img.get_attribute("src")
        assert img.get_attribute("alt").startswith("Cases by") or img.get_attribute("alt").startswith("Deadline")
    shot("cases-statistics")
    page.get_by_role("link", name="Art. 18 figures").click()
    expect(page.get_by_role("heading", name="Received and answered")).to_be_visible()
    shot("cases-art18")
