"""24/7 duty in the browser (issue 17, points 4 and 7): a supervisor puts an officer and a shift
leader on duty; an urgent request arrives at night and the officer on duty sees it on every page,
but nobody takes it; after the SPOC's 30 minutes the five-minute run escalates it to the shift
leader, who finds it from the badge and takes it, and the badge is gone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import log_in
from tests.casemgmt.conftest import make_payload
from tests.conftest import PASSWORD

URGENT = {"urgent": True, "urgency_ground": "life_or_physical_integrity", "information_access": "direct"}


def test_an_urgent_request_escalated_when_nobody_takes_it(page, live_server, make_user, api, app, shot):
    from casemgmt.models import Case
    from portal.db import utcnow
    from portal.jobs.schedule import frequent_reminders
    from portal.mail import OutboxMessage

    boss = make_user("supervisor", "BE", email="boss@be.duty.invalid")
    officer = make_user("officer", "BE", email="night@be.duty.invalid")
    leader = make_user("supervisor", "BE", email="leader@be.duty.invalid")
    database = app.extensions["spoc_db"]

    log_in(page, live_server, boss.email, PASSWORD)
    page.goto(f"{live_server}/cases/duty")
    zone = ZoneInfo("Europe/Brussels")
    start = (utcnow() - dt.timedelta(hours=1)).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    end = (utcnow() + dt.timedelta(hours=8)).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    for who, role in ((officer, "Duty officer"), (leader, "Shift leader")):
        page.get_by_label("Who").select_option(str(who.id))
        page.get_by_label("As", exact=True).select_option(label=role)
        page.get_by_label("From", exact=True).fill(start)
        page.get_by_label("Until", exact=True).fill(end)
        page.get_by_role("button", name="Add the shift").click()
    expect(page.locator("tr", has_text="Duty officer")).to_contain_text("on duty")
    expect(page.locator("tr", has_text="Shift leader")).to_contain_text("on duty")
    shot("cases-duty-roster")

    # an urgent request arrives; the officer on duty is mailed at once and sees it on every page
    number = api(boss).post("/api/v1/cases/intake", json=make_payload(**URGENT)).get_json()["registration_number"]
    page.context.clear_cookies()
    log_in(page, live_server, officer.email, PASSWORD)
    expect(page.locator("#duty-badge")).to_have_text("1 urgent not taken")
    page.goto(f"{live_server}/directory")
    expect(page.locator("#duty-badge")).to_have_text("1 urgent not taken")

    def mails(subject: str) -> list[list[str]]:
        with database.read_session() as s:
            return [m.to for m in s.scalars(select(OutboxMessage).where(OutboxMessage.subject.like(f"{subject}%")))]

    assert mails("New urgent request") == [[officer.email]]

    # nobody takes it; 31 minutes later the five-minute run (the worker's periodic job) escalates it
    with database.unit_of_work() as s:
        case = s.scalar(select(Case).where(Case.registration_number == number))
        case.created_at = utcnow() - dt.timedelta(minutes=31)
    with app.app_context():
        frequent_reminders()
        frequent_reminders()  # the next run: told once only
    assert mails("Urgent request not taken for 30 minutes") == [[leader.email]]

    # the shift leader follows the badge, finds it and takes it
    page.context.clear_cookies()
    log_in(page, live_server, leader.email, PASSWORD)
    page.locator("#duty-badge").click()
    expect(page.locator("#urgent-waiting")).to_contain_text("1 urgent request nobody has taken yet")
    shot("cases-duty-escalated")
    page.locator("#urgent-waiting").get_by_role("link", name="open the inbox").click()
    page.get_by_role("link", name=number).click()
    page.locator("#act-assign summary").click()
    page.get_by_label("Assign to").select_option(str(leader.id))
    page.locator("#act-assign").get_by_role("button", name="Assign").click()
    expect(page.locator("#duty-badge")).to_have_count(0)
