"""One date format everywhere: pages, mails and documents write a day as 31 Jan 2030."""

from __future__ import annotations

import datetime as dt

from portal.dates import format_day


def test_a_day_reads_the_same_from_a_date_or_a_stored_answer():
    assert format_day(dt.date(2030, 1, 31)) == "31 Jan 2030" == format_day("2030-01-31")
    assert format_day(None) == "—" and format_day("") == "—" and format_day("not a date") == "not a date"


def test_due_dates_on_pages_use_the_portal_format(login_as, make_meeting, db):
    mid = make_meeting(countries=["BE"], send=True)
    sec, _ = login_as("secretariat")
    r = sec.post_form(f"/meetings/actions/new?meeting={mid}", {"title": "Send the guidelines", "owner": "country:BE",
                                                                "due_on": "2030-01-31", "meeting": mid})
    assert r.status_code == 302
    for url in ("/meetings/actions", r.headers["Location"], f"/meetings/{mid}/minutes"):
        page = sec.get(url).get_data(as_text=True)
        assert "31 Jan 2030" in page and "2030-01-31" not in page.replace('value="2030-01-31"', ""), url
    page = sec.get("/meetings/report?start=2030-01-01&end=2030-06-30").get_data(as_text=True)
    assert "01 Jan 2030" in page and "30 Jun 2030" in page
