"""Action points: owners update their own, history, follow-up list, reminders of overdue ones."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.db import utcnow
from portal.meetings.models import ActionPoint, ActionUpdate
from portal.meetings.services import actions as service
from tests.portal.meetings.conftest import outbox


def _action(app, secretariat, owner="country:BE", days=-3, meeting_id=None, title="Send the guidelines"):
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        from portal.meetings.models import Meeting

        a = service.create_action(s, s.merge(secretariat), title=title, owner=owner,
                                  due_on=utcnow().date() + dt.timedelta(days=days),
                                  meeting=s.get(Meeting, meeting_id) if meeting_id else None)
        return a.id


def test_owner_updates_own_country_action_with_history(app, login_as, secretariat, db):
    aid = _action(app, secretariat)
    client, _ = login_as("head_of_spoc", "BE")
    page = client.get(f"/meetings/actions/{aid}").get_data(as_text=True)
    assert "overdue" in page and "Save the update" in page
    r = client.post_form(f"/meetings/actions/{aid}", {"status": "open", "comment": ""})
    assert r.status_code == 422 and 'id="comment-error"' in r.get_data(as_text=True)
    r = client.post_form(f"/meetings/actions/{aid}", {"status": "done", "comment": "Sent on Monday."})
    assert r.status_code == 302
    db.rollback()
    action = db.get(ActionPoint, aid)
    assert action.status == "done" and action.closed_at is not None
    history = list(db.scalars(select(ActionUpdate).where(ActionUpdate.action_id == aid).order_by(ActionUpdate.id)))
    assert [(h.old_status, h.new_status, h.comment) for h in history][-1] == ("open", "done", "Sent on Monday.")
    page = client.get(f"/meetings/actions/{aid}").get_data(as_text=True)
    assert "Sent on Monday." in page and "Open → Done" in page  # statuses by their labels, not codes


def test_other_country_gets_404_and_cannot_update(app, login_as, secretariat, db):
    aid = _action(app, secretariat)
    client, _ = login_as("head_of_spoc", "NL")
    assert client.get(f"/meetings/actions/{aid}").status_code == 404
    assert client.post_form(f"/meetings/actions/{aid}", {"status": "done", "comment": "x"}).status_code == 404
    db.rollback()
    assert db.get(ActionPoint, aid).status == "open"


def test_invitee_of_the_meeting_sees_but_does_not_update_others_actions(app, login_as, secretariat, make_meeting):
    mid = make_meeting(countries=["BE", "NL"], send=True)
    aid = _action(app, secretariat, meeting_id=mid)
    client, _ = login_as("head_of_spoc", "NL")
    page = client.get(f"/meetings/actions/{aid}").get_data(as_text=True)
    assert "Send the guidelines" in page and "Save the update" not in page
    assert client.post_form(f"/meetings/actions/{aid}", {"status": "done", "comment": "x"}).status_code == 404


def test_follow_up_page_lists_open_and_overdue(app, login_as, secretariat):
    _action(app, secretariat, title="Late one", days=-5)
    _action(app, secretariat, title="Future one", days=20)
    done = _action(app, secretariat, title="Finished one", days=-40)
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        service.update_action(s, s.get(ActionPoint, done), s.merge(secretariat), status="done", comment="ok")
    client, _ = login_as("secretariat")
    open_page = client.get("/meetings/actions?status=open").get_data(as_text=True)
    assert "Late one" in open_page and "Future one" in open_page and "Finished one" not in open_page
    overdue = client.get("/meetings/actions?status=overdue").get_data(as_text=True)
    assert "Late one" in overdue and "Future one" not in overdue


def test_secretariat_creates_action_with_error_beside_the_field(login_as, db):
    client, _ = login_as("secretariat")
    r = client.post_form("/meetings/actions/new", {"title": "Do it", "owner": "country:XX"})
    assert r.status_code == 422 and 'id="owner-error"' in r.get_data(as_text=True)
    r = client.post_form("/meetings/actions/new", {"title": "Do it", "owner": "agency:EUROPOL", "due_on": "2030-01-01"})
    assert r.status_code == 302
    db.rollback()
    assert db.scalar(select(ActionPoint.owner_agency_code)) == "EUROPOL"


def test_send_reminders_mails_owners_of_overdue_actions_once_a_week(app, secretariat, make_user, db):
    head = make_user("head_of_spoc", "BE")
    _action(app, secretariat, days=-2)
    _action(app, secretariat, days=10, title="Not due")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "overdue action" in result.output
    mails = [m for m in outbox(db) if m.subject.startswith("Overdue action point")]
    assert len(mails) == 1 and mails[0].to == [head.email] and "Send the guidelines" in mails[0].subject
    runner.invoke(args=["send-reminders"])
    assert len([m for m in outbox(db) if m.subject.startswith("Overdue action point")]) == 1
