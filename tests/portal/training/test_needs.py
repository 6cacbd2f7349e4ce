"""The needs matrix from the questionnaire's real training-needs answers, beside what has been offered."""

from __future__ import annotations

from portal.training.services.needs import needs_matrix


def test_matrix_from_the_latest_submitted_answers(app, submit_needs, db):
    submit_needs({"BE": ["siena", "languages"], "NL": ["sis_sirene"]}, title="Structures 2025")
    submit_needs({"BE": ["data_protection"], "DE": ["siena", "other"]}, title="Structures 2026")
    m = needs_matrix(db)
    assert [c.code for c in m.countries] == ["BE", "DE", "NL"]
    assert [k for k, v in m.need["BE"].items() if v] == ["data_protection"]  # the latest response wins
    assert [k for k, v in m.need["NL"].items() if v] == ["sis_sirene"]  # NL's only submitted answer
    assert [k for k, v in m.need["DE"].items() if v] == ["siena"]  # "other" has no topic
    assert m.countries_needing("siena") == 1 and m.topic_gap("siena")


def test_a_draft_or_reopened_response_does_not_count(app, submit_needs, db):
    submit_needs({"BE": ["siena"]}, title="Structures 2025")
    from sqlalchemy import select

    from questionnaires.models import Response

    with app.extensions["spoc_db"].unit_of_work() as s:
        r = s.scalar(select(Response))
        r.status = "reopened"
    assert needs_matrix(db).countries == []


def test_gaps_close_when_staff_are_confirmed_on_an_activity_of_the_topic(app, submit_needs, make_activity,
                                                                          make_nomination, db, login_as):
    submit_needs({"BE": ["siena", "analysis"], "NL": ["siena"]})
    activity = make_activity(topic="siena")
    make_nomination(activity, "BE", "confirmed")
    make_nomination(activity, "NL", "waiting")
    m = needs_matrix(db)
    assert m.offered == {"siena": 1}
    assert not m.is_gap("BE", "siena") and m.is_gap("NL", "siena") and m.is_gap("BE", "analysis")
    assert m.topic_gap("analysis") and not m.topic_gap("siena")
    assert m.gap_count == 2
    core, _ = login_as("trainer", "LT")
    page = core.get("/training/needs").get_data(as_text=True)
    assert "2 gaps" in page and "not offered" in page
    assert page.count('class="need-gap"') == 2 and page.count('class="need-covered"') == 1
    assert "Structures 2026" in page  # the source of each row


def test_a_head_of_spoc_sees_their_own_countrys_needs(submit_needs, login_as, api):
    submit_needs({"BE": ["siena"], "NL": ["languages"]})
    head, user = login_as("head_of_spoc", "NL")
    page = head.get("/training/needs").get_data(as_text=True)
    assert ">NL<" in page and ">BE<" not in page
    body = api(user).get("/api/v1/training-needs").get_json()
    assert list(body["countries"]) == ["NL"]
    officer, _ = login_as("officer", "BE")
    assert officer.get("/training/needs").status_code == 404


def test_topics_map_to_questionnaire_choices(app, submit_needs, db, login_as):
    submit_needs({"BE": ["languages"]})
    sec, _ = login_as("secretariat")
    # a new topic mapped to the questionnaire's "languages" choice shows the need too
    r = sec.post_form("/training/topics", {"label": "English for police cooperation", "key": "",
                                           "needs_choice": "languages"})
    assert r.status_code == 302
    db.rollback()
    m = needs_matrix(db)
    assert m.need["BE"]["english_for_police_cooperation"] is True
