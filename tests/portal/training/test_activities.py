"""Activities: planning with validation, the calendar (month list and grid), the overlap flag, the .ics."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar
from sqlalchemy import select

from portal.training.models import Activity
from tests.portal.training.conftest import TODAY, topic_id


def _form(**over):
    start = TODAY + dt.timedelta(days=20)
    data = {"title": "SIS/SIRENE for SPOC staff", "format": "classroom", "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=2)).isoformat(), "place": "CEPOL, Budapest", "language": "en",
            "capacity": "20", "country_quota": "", "status": "open", "topic_id": "",
            "learning_objectives": "Find and use SIS alerts.", "audience": "Case handlers"}
    data.update(over)
    return data


def test_the_core_group_plans_an_activity(login_as, make_trainer, db):
    t1, t2 = make_trainer("Ann"), make_trainer("Bob", country="NL")
    core, _ = login_as("trainer", "NL")
    sis = topic_id(db, "sis_sirene")
    data = _form(topic_id=str(sis), cepol_support="y", cepol_reference="CEPOL 3/2026")
    data["trainer_ids"] = [str(t1), str(t2)]
    r = core.post_form("/training/activities/new", data)
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    db.rollback()
    a = db.scalar(select(Activity))
    assert (a.title, a.format, a.capacity, a.cepol_support, a.cepol_reference, a.topic.key) == (
        "SIS/SIRENE for SPOC staff", "classroom", 20, True, "CEPOL 3/2026", "sis_sirene")
    assert sorted(t.name for t in a.trainers) == ["Ann", "Bob"]
    page = core.get(r.headers["Location"]).get_data(as_text=True)
    assert "CEPOL 3/2026" in page and "Find and use SIS alerts." in page
    assert '<dd class="col-sm-8">English</dd>' in page  # the language by its name, not "en"


def test_invalid_activity_is_refused_beside_the_field(login_as, db):
    sec, _ = login_as("secretariat")
    cases = [
        (_form(end_date=(TODAY - dt.timedelta(days=1)).isoformat()), "end_date", "cannot be before the first day"),
        (_form(capacity="0"), "capacity", "between 1 and 1000"),
        (_form(place="", format="classroom"), "place", "Give the place"),
        (_form(cepol_support="y", cepol_reference=""), "cepol_reference", "Give CEPOL"),
        (_form(country_quota="50", capacity="20"), "country_quota", "between 1 and the capacity"),
    ]
    for data, field, message in cases:
        r = sec.post_form("/training/activities/new", data)
        page = r.get_data(as_text=True)
        assert r.status_code == 422, field
        assert f'id="{field}-error"' in page and message in page, field
        assert 'value="SIS/SIRENE for SPOC staff"' in page
    db.rollback()
    assert db.scalar(select(Activity)) is None


def test_an_online_activity_needs_no_place(login_as, db):
    sec, _ = login_as("secretariat")
    assert sec.post_form("/training/activities/new", _form(format="online", place="")).status_code == 302


def test_heads_and_officers_cannot_plan(login_as):
    for role in ("head_of_spoc", "officer"):
        c, _ = login_as(role, "BE")
        assert c.get("/training/activities/new").status_code == 404
        assert c.post_form("/training/activities/new", _form()).status_code == 404


def test_a_trainer_booked_on_overlapping_activities_is_flagged(login_as, make_trainer, make_activity):
    t = make_trainer("Marie Lambert")
    other = make_trainer("Someone Else")
    start = TODAY + dt.timedelta(days=10)
    a = make_activity(title="SIENA basics", start=start, days=3, trainers=[t])
    b = make_activity(title="Data protection", start=start + dt.timedelta(days=2), days=1, trainers=[t])
    c = make_activity(title="Languages", start=start + dt.timedelta(days=3), days=1, trainers=[t, other])
    make_activity(title="Cancelled one", start=start, status="cancelled", trainers=[other])
    sec, _ = login_as("secretariat")
    page = sec.get(f"/training/activities/{a}").get_data(as_text=True)
    assert "Trainer booked on overlapping activities" in page
    assert "Marie Lambert is also booked on" in page and "Data protection" in page
    page = sec.get(f"/training/activities/{c}").get_data(as_text=True)
    assert "overlapping" not in page  # the day after a ends, b's single day is over: no overlap
    index = sec.get("/training").get_data(as_text=True)
    assert index.count("trainer double-booked") == 2
    pool = sec.get("/training/trainers").get_data(as_text=True)
    assert "double-booked" in pool
    assert sec.get(f"/training/activities/{b}").get_data(as_text=True).count("is also booked on") == 1


def test_planning_calendar_lists_by_month_and_shows_a_month_grid(login_as, make_activity):
    make_activity(title="Spring course", start=dt.date(2031, 3, 30), days=3)
    make_activity(title="Summer course", start=dt.date(2031, 6, 10), days=1, status="planned")
    c, _ = login_as("officer", "BE")
    page = c.get("/training?year=2031").get_data(as_text=True)
    assert page.index("March 2031") < page.index("Spring course") < page.index("June 2031") < page.index("Summer course")
    grid = c.get("/training/calendar?month=2031-04").get_data(as_text=True)
    assert "April 2031" in grid and "Spring course" in grid and "Summer course" not in grid
    assert "March 2031" in grid and "May 2031" in grid  # previous and next month links
    assert c.get("/training/calendar?month=nonsense").status_code == 200


def test_activity_ics(login_as, make_activity):
    a = make_activity(title="SIENA basics", start=dt.date(2031, 5, 6), days=2)
    c, _ = login_as("respondent", "NL")
    r = c.get(f"/training/activities/{a}/calendar.ics")
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    (event,) = Calendar.from_ical(r.data).walk("VEVENT")
    assert event.decoded("DTSTART") == dt.date(2031, 5, 6) and event.decoded("DTEND") == dt.date(2031, 5, 8)


def test_unknown_activity_is_404(login_as):
    c, _ = login_as("secretariat")
    assert c.get("/training/activities/999").status_code == 404
