"""The secretariat's managed topic list."""

from __future__ import annotations

from sqlalchemy import select

from portal.training.models import TrainingTopic


def test_the_secretariat_adds_and_edits_topics(login_as, db):
    sec, _ = login_as("secretariat")
    page = sec.get("/training/settings").get_data(as_text=True)
    for label in ("SIENA", "SIS / SIRENE", "INTERPOL channels", "Directive (EU) 2023/977", "Data protection",
                  "Languages", "Analysis", "Case management", "Cross-checking"):
        assert label in page
    assert sec.post_form("/training/topics", {"label": "Leadership of a SPOC", "key": "", "needs_choice": ""}).status_code == 302
    db.rollback()
    topic = db.scalar(select(TrainingTopic).where(TrainingTopic.key == "leadership_of_a_spoc"))
    assert topic.label == "Leadership of a SPOC" and topic.needs_choice is None
    r = sec.post_form("/training/topics", {"label": "leadership of a spoc", "key": "other_key"})
    assert r.status_code == 422 and "exists already" in r.get_data(as_text=True)
    r = sec.post_form("/training/topics", {"label": "New", "key": "9bad key"})
    assert r.status_code == 422 and 'id="key-error"' in r.get_data(as_text=True)
    r = sec.post_form(f"/training/topics/{topic.id}", {"label": "SPOC leadership", "needs_choice": ""})
    assert r.status_code == 302
    db.rollback()
    topic = db.get(TrainingTopic, topic.id)
    assert (topic.label, topic.active) == ("SPOC leadership", False)  # unticked: no longer offered in the lists
    c, _ = login_as("trainer", "BE")
    assert c.get("/training/settings").status_code == 404
    assert c.post_form("/training/topics", {"label": "X"}).status_code == 404


def test_seed_topics_command_is_idempotent(app, db):
    runner = app.test_cli_runner()
    assert "0 topic(s) added." in runner.invoke(args=["training", "seed-topics"]).output
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.delete(s.scalar(select(TrainingTopic).where(TrainingTopic.key == "siena")))
    assert "1 topic(s) added." in runner.invoke(args=["training", "seed-topics"]).output


def test_a_topic_edit_with_bad_values_changes_nothing_and_says_why_beside_the_field(login_as, db):
    """The topic row's form is checked as the add form is: at most 120 characters on one line, a training need
    the questionnaire offers; refused, it comes back as typed with the message beside its field (422)."""
    sec, _ = login_as("secretariat")
    topic = db.scalar(select(TrainingTopic).where(TrainingTopic.key == "siena"))
    before = (topic.id, topic.label, topic.needs_choice, topic.active)
    cases = [({"label": "x" * 5000, "needs_choice": "", "active": "1"}, f'id="label-{topic.id}-error"'),
             ({"label": "SIENA\x00", "needs_choice": "", "active": "1"}, f'id="label-{topic.id}-error"'),
             ({"label": "", "needs_choice": "", "active": "1"}, f'id="label-{topic.id}-error"'),
             ({"label": "SIENA", "needs_choice": "bogus-choice", "active": "1"}, f'id="need-{topic.id}-error"')]
    for values, error in cases:
        r = sec.post_form(f"/training/topics/{topic.id}", values)
        page = r.get_data(as_text=True)
        assert r.status_code == 422 and error in page and 'aria-invalid="true"' in page, values
        db.rollback()
        topic = db.get(TrainingTopic, topic.id)
        assert (topic.id, topic.label, topic.needs_choice, topic.active) == before, values
    r = sec.post_form("/training/topics", {"label": "Leadership", "key": "", "needs_choice": "bogus-choice"})
    assert r.status_code == 422 and 'id="needs_choice-error"' in r.get_data(as_text=True)  # the add form too
