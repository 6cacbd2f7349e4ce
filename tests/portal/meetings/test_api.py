"""The meetings API: lists scoped to the token's user, details, .ics, action points by status."""

from __future__ import annotations

import datetime as dt

import icalendar

from portal.db import utcnow
from portal.meetings.services import actions


def test_meetings_list_and_detail(api, make_user, make_meeting, login_as):
    mid = make_meeting(countries=["BE", "NL"], agencies={"EUROPOL": "SIENA"}, send=True)
    hidden = make_meeting(countries=["NL"], send=True, title="NL only")
    nl_client, _ = login_as("head_of_spoc", "NL")
    nl_client.post_form(f"/meetings/{mid}/answer", {"answer": "decline"})
    sec = api(make_user("secretariat"))
    listing = sec.get("/api/v1/meetings").get_json()
    assert {m["id"] for m in listing} == {mid, hidden}
    assert set(listing[0]) == {"id", "title", "start", "end", "presidency", "status"}
    detail = sec.get(f"/api/v1/meetings/{mid}").get_json()
    assert [a["title"] for a in detail["agenda"]] == ["Item 1", "Item 2"]
    answers = {i["invitee"]: i["answer"] for i in detail["invitees"]}
    assert answers == {"BE": None, "NL": "decline", "EUROPOL": None}
    assert dt.datetime.fromisoformat(detail["start"]).utcoffset() == dt.timedelta(0)

    head = api(make_user("head_of_spoc", "BE"))
    assert [m["id"] for m in head.get("/api/v1/meetings").get_json()] == [mid]
    assert head.get(f"/api/v1/meetings/{hidden}").status_code == 404
    assert head.get(f"/api/v1/meetings/{hidden}/ics").status_code == 404
    assert head.get(f"/api/v1/meetings/{mid}").get_json()["invitees"] is None
    assert api(make_user("officer", "BE")).get("/api/v1/meetings").get_json() == []


def test_meeting_ics(api, make_user, make_meeting):
    mid = make_meeting(countries=["BE"], send=True)
    r = api(make_user("head_of_spoc", "BE")).get(f"/api/v1/meetings/{mid}/ics")
    assert r.status_code == 200 and r.content_type.startswith("text/calendar")
    events = list(icalendar.Calendar.from_ical(r.data).walk("VEVENT"))
    assert len(events) == 1 and events[0].get("DTSTART") is not None


def test_actions_by_status(app, api, make_user, secretariat):
    database = app.extensions["spoc_db"]
    today = utcnow().date()
    with database.unit_of_work() as s:
        actor = s.merge(secretariat)
        actions.create_action(s, actor, title="Late", owner="country:BE", due_on=today - dt.timedelta(days=1))
        actions.create_action(s, actor, title="Future", owner="country:BE", due_on=today + dt.timedelta(days=9))
        done = actions.create_action(s, actor, title="Done", owner="country:BE", due_on=today - dt.timedelta(days=9))
        actions.update_action(s, done, actor, status="done", comment="ok")
        actions.create_action(s, actor, title="NL's", owner="country:NL", due_on=today - dt.timedelta(days=1))
    sec = api(make_user("secretariat"))
    open_ = sec.get("/api/v1/actions?status=open").get_json()
    assert sorted(a["title"] for a in open_) == ["Future", "Late", "NL's"]
    overdue = sec.get("/api/v1/actions?status=overdue").get_json()
    assert sorted(a["title"] for a in overdue) == ["Late", "NL's"] and all(a["overdue"] for a in overdue)
    assert set(overdue[0]) >= {"owner", "due", "status"}
    head = api(make_user("head_of_spoc", "BE"))
    assert sorted(a["title"] for a in head.get("/api/v1/actions?status=open").get_json()) == ["Future", "Late"]
    r = sec.get("/api/v1/actions?status=soon")
    assert r.status_code == 422 and "status" in r.get_json()["error"]["fields"]


def test_openapi_describes_the_meetings_api(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/meetings", "/api/v1/meetings/{meeting_id}", "/api/v1/meetings/{meeting_id}/ics",
                 "/api/v1/actions"):
        assert "get" in doc["paths"][path], path
    assert "text/calendar" in doc["paths"]["/api/v1/meetings/{meeting_id}/ics"]["get"]["responses"]["200"]["content"]
