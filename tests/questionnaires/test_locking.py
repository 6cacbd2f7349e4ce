"""Two colleagues editing one response: different answers both succeed, the same answer is a conflict."""

from __future__ import annotations

import threading

from sqlalchemy import select

from questionnaires.models import Response
from tests.questionnaires.conftest import form_for, page_revisions, response_url


def _values(db, round_id):
    db.rollback()
    response = db.scalar(select(Response).where(Response.round_id == round_id, Response.country_code == "BE"))
    return {a.question_id: a.value for a in response.answers}


def test_different_answers_both_succeed_same_answer_conflicts(login_as, open_mini, db):
    rid = open_mini()
    alice, _ = login_as("respondent", "BE")
    bob, _ = login_as("respondent", "BE")
    # both open the page before anyone saves: every revision is 0
    alice_revs = page_revisions(alice.get(response_url(rid)).get_data(as_text=True))
    bob_revs = page_revisions(bob.get(response_url(rid)).get_data(as_text=True))
    assert alice_revs["staff"] == bob_revs["staff"] == "0"

    assert alice.post_form(response_url(rid), form_for({"staff": "10", "notes": ""}, alice_revs)).status_code == 302
    # Bob's full form still carries the empty staff he loaded; he only changed notes
    r = bob.post_form(response_url(rid), form_for({"staff": "", "notes": "Bob's note"}, bob_revs))
    assert r.status_code == 302
    assert _values(db, rid) == {"staff": 10, "notes": "Bob's note"}

    # now Bob changes staff too, from the page he loaded before Alice's save
    r = bob.post_form(response_url(rid), form_for({"staff": "20"}, bob_revs))
    page = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "changed this answer" in page
    assert 'Saved value (theirs): <span class="conflict-theirs">10 persons</span>' in page
    assert 'Your value (shown in the field): <span class="conflict-yours">20 persons</span>' in page
    assert 'id="a-staff" name="a.staff" value="20"' in page
    assert _values(db, rid)["staff"] == 10  # never silently overwritten

    # saving again from the conflict page (which now carries the current revision) keeps Bob's value
    r = bob.post_form(response_url(rid), form_for({"staff": "20"}, page_revisions(page)))
    assert r.status_code == 302 and _values(db, rid)["staff"] == 20


def test_same_value_from_both_is_no_conflict(login_as, open_mini, db):
    rid = open_mini()
    alice, _ = login_as("respondent", "BE")
    bob, _ = login_as("respondent", "BE")
    revs = page_revisions(alice.get(response_url(rid)).get_data(as_text=True))
    alice.post_form(response_url(rid), form_for({"host": "police"}, revs))
    r = bob.post_form(response_url(rid), form_for({"host": "police"}, revs))
    assert r.status_code == 302 and _values(db, rid) == {"host": "police"}


def test_autosave_conflict_reports_both_values(login_as, open_mini, db):
    rid = open_mini()
    alice, _ = login_as("respondent", "BE")
    bob, _ = login_as("respondent", "BE")
    alice.post_form(response_url(rid), form_for({"host": "police"}, {"host": 0}))
    r = bob.post(response_url(rid) + "/autosave", headers={"X-CSRFToken": bob.csrf()},
                 json={"fields": {"shown": ["host"], "a.host": ["ministry"], "rev.host": ["0"]}})
    assert r.status_code == 409
    conflict = r.get_json()["conflicts"]["host"]
    assert conflict["theirs"] == "Police" and conflict["yours"] == "Ministry" and conflict["revision"] == 1
    assert conflict["by"] == "Test respondent"
    assert _values(db, rid) == {"host": "police"}


def test_concurrent_saves_of_different_answers_lose_nothing(app, login_as, open_mini, db):
    rid = open_mini()
    clients = [login_as("respondent", "BE")[0] for _ in range(4)]
    qids = ["staff", "night", "notes", "since"]
    values = {"staff": "30", "night": "3", "notes": "parallel", "since": "2020-01-01"}
    for c in clients:
        c.csrf()
    errors = []

    def save(c, qid):
        r = c.post(response_url(rid) + "/autosave", headers={"X-CSRFToken": c.csrf()},
                   json={"fields": {"shown": [qid], f"a.{qid}": [values[qid]], f"rev.{qid}": ["0"]}})
        if r.status_code != 200:
            errors.append((qid, r.status_code, r.get_data(as_text=True)[:200]))

    threads = [threading.Thread(target=save, args=(c, q)) for c, q in zip(clients, qids, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert _values(db, rid) == {"staff": 30, "night": 3, "notes": "parallel", "since": "2020-01-01"}
