"""The hits a re-run after a data set load found first: marked new on the case's panel and hits page,
and a badge in the inbox while a strong one is not reviewed."""

from __future__ import annotations

from sqlalchemy import select

from casemgmt.crosscheck.models import CrossCheckHit
from tests.casemgmt.crosscheck.test_rerun import WANTED, courier_case


def test_new_hits_are_marked_on_the_case_pages_and_in_the_inbox(intake, login_as, db, load, wanted_csv):
    client, officer = login_as("officer", "BE")
    case_id, number, _ = courier_case(intake, officer)
    other_id, other_number, _ = intake("BE", officer, subject="Plain case", body="Nothing to see")
    inbox = client.get("/cases/").get_data(as_text=True)
    assert "new hits" not in inbox
    load(wanted_csv(WANTED))
    inbox = client.get("/cases/").get_data(as_text=True)
    row = next(line for line in inbox.splitlines() if f">{number}</a>" in line)
    assert "xc-new-hits" in row and "new hits" in row
    other_row = next(line for line in inbox.splitlines() if f">{other_number}</a>" in line)
    assert "new hits" not in other_row
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    assert 'class="mb-1 xc-new"' in page and "1 hit (1 strong) new since" in page and "from data set wanted" in page
    hits = client.get(f"/cases/{number}/crosscheck").get_data(as_text=True)
    assert 'xc-new">new</span>' in hits and "New since" in hits and "from data set wanted" in hits
    hit_id = db.scalar(select(CrossCheckHit.id).where(CrossCheckHit.case_id == case_id))
    assert client.post_form(f"/cases/{number}/crosscheck/hits/{hit_id}", {"decision": "confirmed"}).status_code == 302
    assert "new hits" not in client.get("/cases/").get_data(as_text=True)
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "xc-new" not in page
    hits = client.get(f"/cases/{number}/crosscheck").get_data(as_text=True)
    assert 'xc-new">new</span>' not in hits and "Found since" in hits


def test_an_intake_hit_is_not_marked_new(intake, login_as, load, wanted_csv):
    client, officer = login_as("officer", "BE")
    load(wanted_csv(WANTED))
    _, number, _ = courier_case(intake, officer)  # registered after the load: its intake finds the hit
    assert "new hits" not in client.get("/cases/").get_data(as_text=True)
    assert "xc-new" not in client.get(f"/cases/{number}/crosscheck").get_data(as_text=True)


def test_the_demo_shows_a_hit_of_a_data_set_loaded_after_the_case(app, db):
    from casemgmt.models import Case
    from portal.demo import load_demo

    with app.extensions["spoc_db"].unit_of_work() as s:
        load_demo(s, "demo-password-1", app)
    db.rollback()
    van = db.scalar(select(Case.id).where(Case.subject == "Demo cross-check: driver of a rented van"))
    (hit,) = db.scalars(select(CrossCheckHit).where(CrossCheckHit.case_id == van))
    assert (hit.source, hit.level, hit.status) == ("dataset:eu-most-wanted-demo", "strong", "unreviewed")
    assert hit.new_data_at is not None
