"""Pages of the demo do not scroll sideways at a laptop's width (1280 px) nor, for the pages made of tables,
at a phone's (390 px): a wide table scrolls inside its own .table-responsive box, never the page.

The review that found these: the questionnaire's process table widened the page to 1588 px (its "Remove"
header's visually-hidden text escaped the scroll box), the cases inbox hid the deadline beyond the window,
the case page's deadline ran past its card, four list pages had no scroll box at 390 px, the directory
lost the address's line breaks and the funding page broke amounts across lines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.conftest import log_in, serving
from tests.conftest import PASSWORD, fresh

# user (of the demo) -> the pages to check and the widths to check them at
PAGES = {
    "respondent.be": [("/questionnaires/rounds/{round}/responses/BE", (1280, 390))],
    "officer.be": [("/cases/", (1280,)), ("/cases/{case}", (1280,))],
    "admin": [("/admin/users", (1280, 390)), ("/meetings/funding", (1280,))],
    "secretariat": [("/meetings/", (1280, 390)), ("/meetings/funding", (1280,)), ("/directory/BE", (1280, 390))],
    "observer.europol": [("/meetings/", (1280, 390))],
    "trainer.be": [("/training/opportunities", (1280, 390))],
}


@pytest.fixture(scope="module")
def demo(_app):
    """The demo's data, loaded once for the module's tests (which only read), and the app serving them."""
    from casemgmt.models import Case
    from portal.demo import load_demo
    from questionnaires.models import Round

    fresh(_app)
    with _app.extensions["spoc_db"].unit_of_work() as s:
        load_demo(s, PASSWORD, _app)
    with _app.extensions["spoc_db"].unit_of_work() as s:
        ids = {"round": s.scalar(select(Round.id).where(Round.status == "open").order_by(Round.id.desc())),
               # one of BE's own requests whose partner is late: its card reads "Answer due …" and a badge
               "case": s.scalar(select(Case.registration_number).where(Case.country_code == "BE")
                                .where(Case.direction == "out").order_by(Case.id))}
    assert ids["round"] and ids["case"], ids
    with serving(_app) as base:
        yield base, ids
    fresh(_app)


def _scrolls_sideways(page) -> list[int] | None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return widths if widths[0] > widths[1] else None


@pytest.mark.parametrize("user", sorted(PAGES))
def test_no_page_scrolls_sideways(page, demo, shot, user):
    base, ids = demo
    log_in(page, base, f"{user}@demo.invalid", PASSWORD)
    wide = {}
    for path, widths in PAGES[user]:
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(base + path.format(**ids))
            assert response.status == 200, path
            shot(f"no-sideways-{user}-{path.strip('/').replace('/', '_') or 'home'}-{width}".replace("{", "").replace("}", ""))
            if found := _scrolls_sideways(page):
                wide[f"{path} at {width}"] = found
    assert wide == {}, wide


def _right(box: dict) -> float:
    return box["x"] + box["width"]


def test_the_inbox_shows_the_deadline_without_scrolling(page, demo):
    """The officer's most important column: it was beyond the window, in the table's scroll box, at 1280 px."""
    base, _ = demo
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "officer.be@demo.invalid", PASSWORD)  # reads French
    page.goto(base + "/cases/")
    table = page.locator("table", has=page.locator("#inbox-caption"))
    header = table.get_by_role("columnheader", name="Date limite")
    box, scroller = header.bounding_box(), table.locator("xpath=..").bounding_box()
    assert _right(box) <= 1280 and _right(box) <= _right(scroller) + 0.5, (box, scroller)
    # and so are the other columns: nothing of the table is hidden in its scroll box
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    headers = table.locator("thead th").all_inner_texts()
    assert [h.strip() for h in headers][1:] == ["Priorité", "Numéro", "Objet", "Canal", "De", "Statut",
                                                "Date limite", "Attributaire"]


def test_the_case_deadline_stays_inside_its_card(page, demo):
    base, ids = demo
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "officer.be@demo.invalid", PASSWORD)
    page.goto(f"{base}/cases/{ids['case']}")
    card = page.locator("#case-deadline")
    assert "attendue" in card.inner_text()  # "Réponse attendue le …"
    outside = card.evaluate("""body => { const edge = body.getBoundingClientRect().right
                                           - parseFloat(getComputedStyle(body).paddingRight) + 0.5;
        return Array.from(body.querySelectorAll('*')).filter(e => e.getBoundingClientRect().right > edge)
                    .map(e => e.outerHTML.slice(0, 80)); }""")
    assert outside == []


def test_the_directory_shows_the_address_lines(page, demo):
    base, _ = demo
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "secretariat@demo.invalid", PASSWORD)
    page.goto(base + "/directory/BE")
    address = page.locator("dt", has_text="Address").locator("xpath=following-sibling::dd[1]")
    text = address.inner_text()
    assert "Brussels" in text and "\n" in text.strip(), text
    line = float(address.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert address.bounding_box()["height"] >= 2 * line - 1
    assert "<" not in text  # still escaped text, not markup


def test_funding_amounts_stay_on_one_line(page, demo):
    base, _ = demo
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "secretariat@demo.invalid", PASSWORD)
    page.goto(base + "/meetings/funding")
    cells = page.locator("main td", has_text="€")
    assert cells.count() > 0
    wrapping = [c.inner_text() for c in cells.all() if c.evaluate("e => getComputedStyle(e).whiteSpace") != "nowrap"]
    assert wrapping == []
