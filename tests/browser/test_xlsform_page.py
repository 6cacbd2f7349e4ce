"""An imported XLSForm in a real browser: cascading choices follow the earlier answer and a calculated value
follows the figures it is made of, as the respondent types (the server checks the same on save)."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from portal.db import utcnow
from questionnaires.services import rounds, versions
from questionnaires.xlsform import import_xlsform
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.questionnaires.test_xlsform import workbook
from tests.questionnaires.test_xlsform_as_written import CASCADE_CHOICES, CASCADE_SURVEY


def test_cascading_choices_and_a_calculation_follow_the_answers(page, live_server, app, make_user):
    definition = import_xlsform(workbook(CASCADE_SURVEY, CASCADE_CHOICES), filename="cascade.xlsx")
    with app.extensions["spoc_db"].unit_of_work() as session:
        version = versions.publish_definition(session, definition).version
        rid = rounds.open_round(session, version, title="Cascade", countries=["BE"], actor=None,
                                deadline=utcnow().date() + dt.timedelta(days=9)).id
    be = make_user("respondent", "BE", email="cascade.be@browser.invalid")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, live_server, be.email, PASSWORD)
    page.goto(f"{live_server}/questionnaires/rounds/{rid}/responses/BE")
    county = page.locator("#q-county")
    expect(county.get_by_label("King")).to_be_hidden()  # no state chosen: no county offered
    page.locator("#q-state").get_by_label("Washington").check()
    expect(county.get_by_label("King")).to_be_visible()
    expect(county.get_by_label("Pierce")).to_be_visible()
    expect(county.get_by_label("Cameron")).to_be_hidden()
    county.get_by_label("King").check()
    cities = page.locator("#q-cities")
    expect(cities.get_by_label("Seattle")).to_be_visible()
    expect(cities.get_by_label("Redmond")).to_be_hidden()  # filtered by its own column too (big = 'yes')
    # another state: the chosen county is no longer offered and is unticked
    page.locator("#q-state").get_by_label("Texas").check()
    expect(county.get_by_label("Cameron")).to_be_visible()
    expect(county.get_by_label("King")).to_be_hidden()
    expect(county.get_by_label("King")).not_to_be_checked()
    # the calculation follows the figures
    page.locator("#a-staff").fill("4")
    page.locator("#a-messages").fill("1000")
    expect(page.locator("#a-per_staff")).to_have_text("250")
    expect(page.locator("#a-busy")).to_have_text("busy")
    page.locator("#a-staff").fill("30")
    expect(page.locator("#a-per_staff")).to_have_text("33.333333")
    expect(page.locator("#a-busy")).to_have_text("calm")
    assert errors == []
