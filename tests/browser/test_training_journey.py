"""Training in a real browser: a Head of SPOC proposes, the core group approves and turns the opportunity into an
activity, the Head of SPOC nominates within the quota and sees the waiting list, the secretariat confirms."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD


def _log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_opportunity_to_activity_to_nominations(app, page, live_server, make_user, shot):
    from portal.training.services.topics import seed_topics

    with app.extensions["spoc_db"].unit_of_work() as session:
        seed_topics(session)
    head = make_user("head_of_spoc", "BE", email="head.be@browser.invalid")
    core = make_user("trainer", "NL", email="trainer.nl@browser.invalid")
    sec = make_user("secretariat", email="secretariat@browser.invalid")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    # a Head of SPOC proposes an opportunity
    log_in(page, live_server, head.email, PASSWORD)
    page.get_by_role("link", name="Training", exact=True).click()
    page.get_by_role("link", name="Opportunities").click()
    page.get_by_role("link", name="Propose an opportunity").click()
    page.get_by_label("Title").fill("Directive 2023/977 workshop")
    page.get_by_label("Topic").select_option(label="Directive (EU) 2023/977")
    page.get_by_label("What is proposed").fill("A two-day workshop on time limits and refusal grounds.")
    page.get_by_label("Target audience").fill("Case handlers")
    page.get_by_role("button", name="Propose to the core group").click()
    expect(page.get_by_text("The opportunity is proposed to the core group.")).to_be_visible()
    _log_out(page)

    # the core group approves it and turns it into an activity
    log_in(page, live_server, core.email, PASSWORD)
    page.goto(live_server + "/training/opportunities")
    page.get_by_role("link", name="Directive 2023/977 workshop").click()
    page.get_by_label("Relevance for SPOC staff").select_option("5")
    page.get_by_label("Written assessment").fill("Every SPOC must apply the Directive's time limits; high relevance.")
    page.get_by_label("Decision").select_option("approved")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The opportunity is approved.")).to_be_visible()
    shot("training-opportunity-approved")
    page.get_by_role("link", name="Turn into an activity").click()
    expect(page.get_by_label("Title")).to_have_value("Directive 2023/977 workshop")
    start = dt.date.today() + dt.timedelta(days=30)
    page.get_by_label("Format").select_option("classroom")
    page.get_by_label("First day").fill(start.isoformat())
    page.get_by_label("Last day").fill((start + dt.timedelta(days=1)).isoformat())
    page.get_by_label("Status").select_option("open")
    page.get_by_label("Place", exact=True).fill("Federal Police Academy, Brussels")
    page.get_by_label("Capacity (participants)").fill("10")
    page.get_by_label("Places per country").fill("1")
    page.get_by_role("button", name="Create the activity").click()
    expect(page.get_by_role("heading", name="Directive 2023/977 workshop")).to_be_visible()
    expect(page.get_by_text("10 participants, 1 per country")).to_be_visible()
    shot("training-activity-created")
    _log_out(page)

    # the Head of SPOC nominates within the quota, then sees the waiting list
    log_in(page, live_server, head.email, PASSWORD)
    page.goto(live_server + "/training")
    page.get_by_role("link", name="Directive 2023/977 workshop").click()
    page.get_by_label("Name of the staff member").fill("Ann Peeters")
    page.get_by_label("Email").fill("ann.peeters@police.be")
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_text("Ann Peeters is nominated; the secretariat will confirm.")).to_be_visible()
    page.get_by_label("Name of the staff member").fill("Bram Claes")
    page.get_by_label("Email").fill("bram.claes@police.be")
    page.get_by_role("button", name="Nominate").click()
    expect(page.get_by_text("Bram Claes is on the waiting list")).to_be_visible()
    expect(page.get_by_role("heading", name="Waiting list of BE")).to_be_visible()
    expect(page.get_by_text("Quota 1: 1 taken")).to_be_visible()
    shot("training-nominations-waiting-list")
    _log_out(page)

    # the secretariat confirms the nominee holding the place
    log_in(page, live_server, sec.email, PASSWORD)
    page.goto(live_server + "/training")
    page.get_by_role("link", name="Directive 2023/977 workshop").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Ann Peeters is confirmed and has been sent the invitation (.ics).")).to_be_visible()
    shot("training-confirmed")
    page.goto(live_server + "/training/calendar?month=" + start.strftime("%Y-%m"))
    expect(page.get_by_role("link", name="Directive 2023/977 workshop").first).to_be_visible()
    shot("training-calendar")
    assert not errors, errors


def test_participant_gives_feedback_through_the_link(app, page, live_server, make_user, shot):
    import re

    from sqlalchemy import select

    from portal.mail import OutboxMessage
    from portal.training.models import Activity, Nomination
    from portal.training.services import feedback

    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        start = dt.date.today() - dt.timedelta(days=5)
        activity = Activity(title="SIENA for operators", format="classroom", start_date=start, end_date=start,
                            place="Budapest", capacity=5, status="held")
        activity.nominations.append(Nomination(country_code="BE", nominee_name="Ann Peeters",
                                               nominee_email="ann@police.be", status="confirmed", attended=True))
        s.add(activity)
        s.flush()
        feedback.request_feedback(s, None, activity, live_server)
    with database.unit_of_work() as s:
        body = s.scalar(select(OutboxMessage.body).where(OutboxMessage.subject.like("Your feedback%")))
    link = re.search(r"http://\S+/training/feedback/\S+", body).group(0)
    errors = []  # script or CSP errors; the 422 answer to the invalid post is expected
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and "status of 422" not in msg.text else None)
    page.goto(link)
    expect(page.get_by_role("heading", name="Training feedback: SIENA for operators")).to_be_visible()
    reason = page.locator("#q-low_rating_reason")
    expect(reason).to_be_hidden()  # only asked after a poor rating
    page.get_by_role("group", name="Overall, how would you rate").get_by_label("2 - poor").check()
    expect(reason).to_be_visible()
    page.get_by_role("group", name="Overall, how would you rate").get_by_label("4 - good").check()
    expect(reason).to_be_hidden()
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.locator("#trainer_rating-error")).to_have_text("This answer is required.")
    shot("training-feedback-errors")
    page.get_by_role("group", name="How would you rate the trainers?").get_by_label("5 - excellent").check()
    page.get_by_role("group", name="How relevant was the content").get_by_label("Highly relevant").check()
    page.get_by_role("group", name="Would you recommend").get_by_label("Yes").check()
    page.get_by_label("What was most useful to you?").fill("Real SIENA messages.")
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    with database.unit_of_work() as s:
        n = s.scalar(select(Nomination))
        assert n.feedback.answers["trainer_rating"] == "5" and "low_rating_reason" not in n.feedback.answers
    assert not errors, errors
