"""The secretariat opens a round's comparative report (heatmap, maturity ranking and its method,
downloads); a Head of SPOC reads their country's profile — in a real browser."""

from __future__ import annotations

import io

import openpyxl
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, log_in
from tests.conftest import PASSWORD
from tests.reports.conftest import make_structures_round


def view(page, name: str, anchor: str | None = None) -> None:
    """A screenshot of what the window shows (the report is too long for a full-page one)."""
    if anchor:
        page.locator(anchor).scroll_into_view_if_needed()
        page.evaluate(f"document.querySelector('{anchor}').scrollIntoView()")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_secretariat_reads_the_comparative_report(page, live_server, app, make_user):
    rid = make_structures_round(app, ("AT", "BE", "DE", "FR", "LT", "NL"), title="National SPOC structures 2026")
    user = make_user("secretariat", email="secretariat@reports.invalid")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, live_server, user.email, PASSWORD)
    page.get_by_role("link", name="Reports", exact=True).first.click()
    page.get_by_role("link", name="National SPOC structures 2026").click()
    expect(page.get_by_role("heading", name="National SPOC structures 2026")).to_be_visible()
    expect(page.get_by_role("heading", name="Method")).to_be_visible()
    expect(page.get_by_text("The maturity index is the weighted mean of the item scores")).to_be_visible()
    heatmap = page.get_by_role("img", name="Heatmap of 13 key capabilities")
    expect(heatmap).to_be_visible()
    ranking = page.get_by_role("img", name="Maturity ranking, highest first")
    expect(ranking).to_be_visible()
    for img in (heatmap, ranking):  # really drawn, not a broken image
        assert img.evaluate("i => i.complete && i.naturalWidth > 300")
    view(page, "reports-round-top")
    view(page, "reports-round-maturity", "#maturity")
    view(page, "reports-round-capabilities", "#capabilities")
    page.locator("#questions").scroll_into_view_if_needed()
    first = page.locator("#questions img").first
    first.scroll_into_view_if_needed()
    page.wait_for_function("i => i.complete && i.naturalWidth > 300", arg=first.element_handle())
    view(page, "reports-round-questions", "#questions")
    # the worker builds the files (at once in the tests); the page then offers them
    page.get_by_role("button", name="Build XLSX").click()
    expect(page.get_by_text("The file is ready.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the XLSX").click()
    workbook = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert {"Maturity", "Capabilities", "Charts"} <= set(workbook.sheetnames)
    page.get_by_role("link", name="National SPOC structures 2026").click()
    page.get_by_role("button", name="Build DOCX").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the DOCX").click()
    assert download.value.suggested_filename == f"report-{rid}-national-spoc-structures-2026.docx"
    assert not errors, errors


def test_head_of_spoc_reads_the_country_profile(page, live_server, app, make_user, shot):
    make_structures_round(app, ("BE", "NL"))
    user = make_user("head_of_spoc", "BE", email="head.be@reports.invalid")
    log_in(page, live_server, user.email, PASSWORD)
    page.goto(live_server + "/reports/countries")
    page.get_by_role("link", name="Belgium").click()
    expect(page.get_by_role("heading", name="Belgium")).to_be_visible()
    for heading in ("SPOC composition", "24/7 availability", "Channels", "Languages", "Case management"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text("Answers of")).to_be_visible()
    expect(page.get_by_text("BE contact table")).to_be_visible()
    shot("reports-profile-be")
    page.goto(live_server + "/reports/")
    page.get_by_role("link", name="Structures").click()
    expect(page.get_by_role("heading", name="Your country's position: BE")).to_be_visible()
    view(page, "reports-round-head-of-spoc", "#position")
