"""Every meetings page refuses, with 404, the users it is not for."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.meetings.models import AgendaItem

SECRETARIAT_ONLY_GET = ["/meetings/new", "/meetings/{m}/edit", "/meetings/{m}/invitations", "/meetings/{m}/funding",
                        "/meetings/funding", "/meetings/report", "/meetings/report.docx", "/meetings/actions/new",
                        "/meetings/{m}/agenda/{i}/edit", "/meetings/{m}/minutes/{i}/edit"]
SECRETARIAT_ONLY_POST = ["/meetings/{m}/status", "/meetings/{m}/agenda", "/meetings/{m}/agenda/{i}/move",
                         "/meetings/{m}/agenda/{i}/delete", "/meetings/{m}/documents", "/meetings/{m}/invitations",
                         "/meetings/{m}/invitations/remind", "/meetings/{m}/attendance",
                         "/meetings/{m}/minutes/circulate", "/meetings/{m}/minutes/adopt"]
INVITEE_GET = ["/meetings/{m}", "/meetings/{m}/meeting.ics"]


@pytest.fixture
def setup(make_meeting, db):
    mid = make_meeting(countries=["BE"], send=True)
    db.rollback()
    item = db.scalar(select(AgendaItem).where(AgendaItem.meeting_id == mid))
    return mid, item.id


@pytest.mark.parametrize("role,country", [("head_of_spoc", "BE"), ("head_of_spoc", "NL"), ("officer", "BE"),
                                          ("observer", None), ("respondent", "BE")])
def test_secretariat_pages_answer_404_to_others(login_as, setup, role, country):
    mid, iid = setup
    client, _ = login_as(role, country)
    for url in SECRETARIAT_ONLY_GET:
        assert client.get(url.format(m=mid, i=iid)).status_code == 404, url
    for url in SECRETARIAT_ONLY_POST:
        assert client.post_form(url.format(m=mid, i=iid), {}).status_code == 404, url


@pytest.mark.parametrize("role,country,status", [("head_of_spoc", "BE", 200), ("head_of_spoc", "NL", 404),
                                                 ("observer", None, 404), ("officer", "BE", 404),
                                                 ("secretariat", None, 200), ("admin", None, 200)])
def test_meeting_pages_for_invitees_only(login_as, setup, role, country, status):
    mid, _ = setup
    client, _ = login_as(role, country)
    for url in INVITEE_GET:
        assert client.get(url.format(m=mid)).status_code == status, url


def test_pages_need_login(client, setup):
    mid, _ = setup
    for url in ("/meetings", f"/meetings/{mid}", "/meetings/actions", "/meetings/calendar-feed"):
        r = client.get(url)
        assert r.status_code == 302 and "/login" in r.headers["Location"], url
