"""Topics and obstacles register: raised by a country, on later agendas, history until closed."""

from __future__ import annotations

from sqlalchemy import select

from portal.meetings.models import AgendaItem, RegisterEntry


def test_head_raises_for_own_country_only(login_as, db):
    client, _ = login_as("head_of_spoc", "BE")
    r = client.post_form("/meetings/register/new", {"title": "8-hour limit", "topic": "obstacles",
                                                    "country_code": "NL", "description": "Readings differ."})
    assert r.status_code == 302
    db.rollback()
    assert db.scalar(select(RegisterEntry.country_code)) == "BE"  # the own country, whatever was posted
    r = client.post_form("/meetings/register/new", {"title": "", "topic": "obstacles"})
    assert r.status_code == 422 and 'id="title-error"' in r.get_data(as_text=True)


def test_entry_on_two_agendas_keeps_history_until_closed(login_as, make_meeting, db):
    head, _ = login_as("head_of_spoc", "BE")
    head.post_form("/meetings/register/new", {"title": "8-hour limit", "topic": "obstacles", "description": ""})
    db.rollback()
    entry = db.scalar(select(RegisterEntry))
    first, second = make_meeting(title="First"), make_meeting(days_ahead=60, title="Second")
    sec, _ = login_as("secretariat")
    for mid in (first, second):
        r = sec.post_form(f"/meetings/{mid}/agenda", {"title": "Time limits", "topic": "obstacles",
                                                      "register_entry_id": str(entry.id)})
        assert r.status_code == 302
    page = sec.get(f"/meetings/register/{entry.id}").get_data(as_text=True)
    assert page.count("Put on the agenda") == 2 and "First" in page and "Second" in page
    sec.post_form(f"/meetings/register/{entry.id}", {"action": "close", "comment": "Solved by guidelines."})
    db.rollback()
    entry = db.get(RegisterEntry, entry.id)
    assert entry.status == "closed" and [e.kind for e in entry.events][-1] == "closed"
    assert len(db.scalars(select(AgendaItem).where(AgendaItem.register_entry_id == entry.id)).all()) == 2
    # a closed entry cannot go on a new agenda; heads cannot close
    third = make_meeting(days_ahead=90, title="Third")
    r = sec.post_form(f"/meetings/{third}/agenda", {"title": "Again", "topic": "obstacles",
                                                    "register_entry_id": str(entry.id)})
    assert r.status_code == 422 and "closed" in r.get_data(as_text=True)
    assert head.post_form(f"/meetings/register/{entry.id}", {"action": "reopen"}).status_code == 404


def test_officers_do_not_see_the_register(login_as):
    client, _ = login_as("officer", "BE")
    assert client.get("/meetings/register").status_code == 404


def test_the_history_says_what_happened_in_the_readers_language_and_a_strange_filter_lists_all(app, login_as, db):
    from portal.accounts.models import User

    head, user = login_as("head_of_spoc", "BE")
    head.post_form("/meetings/register/new", {"title": "8-hour limit", "topic": "obstacles", "description": ""})
    db.rollback()
    entry = db.scalar(select(RegisterEntry))
    assert entry.topic == "obstacles" and entry.topic.label.startswith("Legal and practical obstacles")
    page = head.get(f"/meetings/register/{entry.id}").get_data(as_text=True)
    assert "Raised" in page
    with app.extensions["spoc_db"].unit_of_work() as session:
        session.get(User, user.id).language = "fr"
    page = head.get(f"/meetings/register/{entry.id}").get_data(as_text=True)
    assert "Soulevé" in page and "Raised" not in page
    # a topic or state in the address that is none of them filters nothing out (no error page)
    r = head.get("/meetings/register?topic=no_such_topic&status=no_such_state")
    assert r.status_code == 200 and "8-hour limit" in r.get_data(as_text=True)
