"""The secretariat plans a meeting and invites countries and an agency; a Head of SPOC answers — in a browser."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from portal.db import utcnow
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD


def test_plan_invite_answer(page, live_server, make_user, shot, browser):
    sec = make_user("secretariat", email="secretariat@meetings.invalid")
    head = make_user("head_of_spoc", "BE", email="head.be@meetings.invalid")
    make_user("observer", agency="EUROPOL", email="observer@meetings.invalid")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    day = (utcnow() + dt.timedelta(days=45)).date()

    log_in(page, live_server, sec.email, PASSWORD)
    expect(page.get_by_text("No meeting planned").first).to_be_visible()
    shot("meetings-dashboard-warning")
    page.get_by_role("link", name="Meetings", exact=True).first.click()
    page.get_by_role("link", name="Plan a meeting").click()
    page.get_by_label("Title").fill("Heads of SPOC meeting on time limits")
    page.get_by_label("Starts").fill(f"{day.isoformat()}T09:30")
    page.get_by_label("Ends").fill(f"{day.isoformat()}T17:00")
    expect(page.locator("#presidency-proposal")).to_contain_text("Presidency on that date")
    page.get_by_label("Venue").fill("Europa building, Brussels")
    page.get_by_label("Registration deadline").fill((day - dt.timedelta(days=10)).isoformat())
    shot("meetings-new-form")
    page.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_role("heading", name="Heads of SPOC meeting on time limits")).to_be_visible()

    page.get_by_text("Add an agenda item").click()
    page.get_by_label("Item", exact=True).fill("The 8-hour limit for urgent requests")
    page.get_by_label("Standing topic").select_option("obstacles")
    page.get_by_label("Presenter").fill("Secretariat")
    page.get_by_label("From").fill("10:00")
    page.get_by_label("To", exact=True).fill("11:00")
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_role("cell", name="The 8-hour limit for urgent requests")).to_be_visible()
    shot("meetings-meeting-page")
    # an upload without a file: the page again, the message beside the file field, the title as typed
    page.get_by_text("Upload a document").click()
    page.get_by_label("Title", exact=True).fill("Draft agenda")
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("#document-file-error")).to_have_text("Choose a file to upload.")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Draft agenda")
    shot("meetings-upload-refused")

    page.get_by_role("link", name="Invitations & participants").click()
    page.get_by_label("EUROPOL", exact=True).check()
    page.get_by_role("button", name="Save and send the invitations").click()
    expect(page.locator("#reason_EUROPOL-error")).to_contain_text("Say why EUROPOL")
    shot("meetings-invitations-error")
    page.get_by_label("Why EUROPOL is invited").fill("SIENA statistics for SPOCs")
    page.get_by_role("button", name="Save and send the invitations").click()
    expect(page.get_by_text("Invitations sent to 32 invitees")).to_be_visible()
    shot("meetings-invitations-sent")
    # the invitation of Luxembourg was a mistake: withdrawn, with the reason Luxembourg is mailed
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Luxembourg LU"))
    row.get_by_text("Withdraw…").click()
    row.get_by_role("button", name="Withdraw the invitation").click()
    expect(row.get_by_text("Say why the invitation is withdrawn")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Luxembourg LU"))
    row.get_by_label("Why (the invitee is told)").fill("Sent by mistake: LU chairs the other working party")
    row.get_by_role("button", name="Withdraw the invitation").click()
    expect(page.get_by_text("The invitation of LU is withdrawn")).to_be_visible()
    expect(page.locator("#withdrawn")).to_contain_text("Sent by mistake")
    shot("meetings-invitation-withdrawn")
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server, head.email, PASSWORD)
    expect(page.get_by_text("Invitations to answer")).to_be_visible()
    page.get_by_role("link", name="Answer").click()
    expect(page.get_by_role("heading", name="Your invitation (BE)")).to_be_visible()
    page.get_by_label("Your answer").select_option("delegate")
    page.get_by_role("button", name="Send my answer").click()
    # the answer with its delegation in one form: the first participant's row names the delegate
    expect(page.locator("#participants-0-name-error")).to_have_text("Name the delegate who will attend.")
    page.get_by_label("Your answer").select_option("delegate")
    page.locator("#participants-0-name").fill("Jan Peeters")
    page.locator("#participants-0-function").fill("Deputy head of SPOC")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your answer is recorded: Sends a delegate, 1 participant.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    import icalendar

    cal = icalendar.Calendar.from_ical(open(download.value.path(), "rb").read())
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Heads of SPOC meeting on time limits"]
    shot("meetings-head-answered")
    # the two refused forms answer 422 on purpose; anything else (CSP, script) is a failure
    assert not [e for e in errors if "status of 422" not in e], errors
