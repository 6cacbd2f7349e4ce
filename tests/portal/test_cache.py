"""The side panels' cache (portal/cache.py): per SPOC, a few seconds, dropped by a change made here."""

from __future__ import annotations

import datetime as dt

import pytest

from casemgmt.schemas import validate_intake
from casemgmt.services import duty
from casemgmt.services.intake import register_incoming_message
from portal import cache
from portal.cache import SidePanelCache, side_panels
from portal.db import utcnow
from tests.casemgmt.conftest import make_payload


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(cache.time, "monotonic", c)
    return c


def test_an_entry_belongs_to_one_country_and_lives_its_seconds(clock):
    panels = SidePanelCache(10)
    assert panels.get("BE", "to_chase", lambda: "BE 1") == "BE 1"
    assert panels.get("BE", "to_chase", lambda: "BE 2") == "BE 1"  # cached
    assert panels.get("FR", "to_chase", lambda: "FR 1") == "FR 1"  # another SPOC never gets BE's
    clock.now += 9.9
    assert panels.get("BE", "to_chase", lambda: "BE 3") == "BE 1"
    clock.now += 0.2
    assert panels.get("BE", "to_chase", lambda: "BE 4") == "BE 4"  # older than 10 s: read again
    assert panels.get("FR", "to_chase", lambda: "FR 2") == "FR 2"
    panels.drop("BE")
    assert panels.get("BE", "to_chase", lambda: "BE 5") == "BE 5"
    assert panels.get("FR", "to_chase", lambda: "FR 3") == "FR 2"  # FR untouched by BE's change


def test_zero_seconds_switches_it_off():
    panels = SidePanelCache(0)
    assert [panels.get("BE", "k", lambda i=i: i) for i in range(3)] == [0, 1, 2]


def test_a_change_made_through_this_process_shows_at_once_one_made_elsewhere_within_the_seconds(
        app, make_user, clock):
    from tests.conftest import PortalClient

    boss = make_user("supervisor", "BE")
    officer = make_user("officer", "BE", email="duty@be.invalid")
    now = utcnow()
    with app.extensions["spoc_db"].unit_of_work() as s:
        duty.add_shift(s, boss, "BE", officer, "duty_officer", now - dt.timedelta(hours=1), now + dt.timedelta(hours=6))
    client = PortalClient(app.test_client())
    client.login("duty@be.invalid")
    assert 'id="duty-badge"' not in client.get("/cases/").get_data(as_text=True)
    # another app server registers an urgent request: this process does not know it yet
    other = make_user("officer", "BE")
    with app.extensions["spoc_db"].unit_of_work() as s:
        payload, errors = validate_intake(make_payload(urgent=True, urgency_ground="life_or_physical_integrity",
                                                       information_access="direct"))
        assert not errors
        number = register_incoming_message(s, "BE", payload, other).registration_number
    assert 'id="duty-badge"' not in client.get("/cases/").get_data(as_text=True)
    clock.now += app.config["SIDE_PANEL_SECONDS"]  # at most SIDE_PANEL_SECONDS later, it shows
    assert "1 urgent not taken" in client.get("/cases/").get_data(as_text=True)
    # taken here: the change drops the SPOC's panels, so the badge goes at once, not 10 s later
    assert client.post_form(f"/cases/{number}/assign", {"as-assignee_id": str(officer.id)}).status_code == 302
    assert 'id="duty-badge"' not in client.get("/cases/").get_data(as_text=True)
    assert side_panels(app).seconds == app.config["SIDE_PANEL_SECONDS"] > 0


def _register(app, country: str, by) -> str:
    """A case registered by another app server (straight into the database, this process not told)."""
    with app.extensions["spoc_db"].unit_of_work() as s:
        payload, errors = validate_intake(make_payload())
        assert not errors
        return register_incoming_message(s, country, payload, by).registration_number


def _load_of(page: str, who: str) -> str | None:
    """The open-case count of `who` in the team-load table of an inbox page."""
    import re

    section = page.split('id="load-h"', 1)[1].split("</section>", 1)[0]
    found = re.search(rf"<td>{re.escape(who)}</td><td class=\"text-end\">(\d+)</td>", section)
    return found.group(1) if found else None


def test_the_supervisors_team_load_is_a_side_panel_of_its_spoc(app, make_user, clock):
    from tests.conftest import PortalClient

    make_user("supervisor", "BE", email="boss@be.invalid")
    make_user("supervisor", "FR", email="boss@fr.invalid")
    officer = make_user("officer", "BE")
    other = make_user("officer", "FR")
    number = _register(app, "BE", officer)
    _register(app, "FR", other), _register(app, "FR", other)
    be, fr = PortalClient(app.test_client()), PortalClient(app.test_client())
    be.login("boss@be.invalid")
    fr.login("boss@fr.invalid")
    assert _load_of(be.get("/cases/").get_data(as_text=True), "Not assigned") == "1"
    assert _load_of(fr.get("/cases/").get_data(as_text=True), "Not assigned") == "2"  # FR never gets BE's
    # another app server registers a case: shown within SIDE_PANEL_SECONDS
    _register(app, "BE", officer)
    assert _load_of(be.get("/cases/").get_data(as_text=True), "Not assigned") == "1"
    clock.now += app.config["SIDE_PANEL_SECONDS"]
    assert _load_of(be.get("/cases/").get_data(as_text=True), "Not assigned") == "2"
    # an assignment made here shows at once
    assert be.post_form(f"/cases/{number}/assign", {"as-assignee_id": str(officer.id)}).status_code == 302
    page = be.get("/cases/").get_data(as_text=True)
    assert _load_of(page, "Not assigned") == "1" and _load_of(page, "Test officer") == "1"


def test_the_head_of_spocs_case_counts_are_a_side_panel_of_its_spoc(app, make_user, clock):
    from tests.conftest import PortalClient

    make_user("head_of_spoc", "BE", email="head@be.invalid")
    make_user("head_of_spoc", "FR", email="head@fr.invalid")
    make_user("supervisor", "BE", email="boss@be.invalid")
    officer = make_user("officer", "BE")
    be, fr = PortalClient(app.test_client()), PortalClient(app.test_client())
    be.login("head@be.invalid")
    fr.login("head@fr.invalid")
    assert "0 open cases" in be.get("/").get_data(as_text=True)
    number = _register(app, "BE", officer)
    assert "0 open cases" in be.get("/").get_data(as_text=True)  # kept: another server's change
    assert "0 open cases" in fr.get("/").get_data(as_text=True)  # FR never counts BE's
    clock.now += app.config["SIDE_PANEL_SECONDS"]
    assert "1 open cases" in be.get("/").get_data(as_text=True)
    assert "0 open cases" in fr.get("/").get_data(as_text=True)
    # any change made here by a user of the SPOC drops its counts: the next home page counts afresh
    _register(app, "BE", officer)
    assert "1 open cases" in be.get("/").get_data(as_text=True)
    boss = PortalClient(app.test_client())
    boss.login("boss@be.invalid")
    assert boss.post_form(f"/cases/{number}/assign", {"as-assignee_id": str(officer.id)}).status_code == 302
    assert "2 open cases" in be.get("/").get_data(as_text=True)
    assert "0 open cases" in fr.get("/").get_data(as_text=True)
