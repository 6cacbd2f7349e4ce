"""Prefill: a new round starts each country's draft from its last submitted answers, each marked until a
respondent confirms or changes it; submit lists the unconfirmed ones; the report's change table counts them."""

from __future__ import annotations

import re

from sqlalchemy import select

from questionnaires.definitions import process_step
from questionnaires.models import Answer, AnswerHistory, Response, ResponseEvent
from tests.questionnaires.conftest import COMPLETE, form_for, page_revisions, response_url


def _response(db, rid, cc="BE") -> Response:
    db.rollback()
    return db.scalar(select(Response).where(Response.round_id == rid, Response.country_code == cc))


def _two_rounds(login_as, open_mini, db):
    first = open_mini()
    c, _ = login_as("respondent", "BE")
    assert c.post_form(response_url(first), form_for(COMPLETE) | {"action": "submit"}).status_code == 302
    year = _response(db, first).submitted_at.year
    second = open_mini(prefill=True)
    return first, second, c, year


def test_a_prefilled_round_starts_from_the_last_submitted_answers(login_as, open_mini, db):
    first, second, c, year = _two_rounds(login_as, open_mini, db)
    response = _response(db, second)
    earlier = _response(db, first)
    values = {a.question_id: a.value for a in response.answers}
    # a process sent from the page carries every step field (variant, target, system and automation empty here)
    assert values == {**COMPLETE, "intake": [process_step(s) for s in COMPLETE["intake"]]}
    assert response.status == "draft"
    assert all(a.prefilled_from_id == earlier.id and not a.confirmed for a in response.answers)
    assert {h.via for h in db.scalars(select(AnswerHistory).where(AnswerHistory.response_id == response.id))} == \
        {"prefill"}
    assert [e.event for e in db.scalars(select(ResponseEvent).where(ResponseEvent.response_id == response.id))] == \
        ["prefilled"]
    # NL submitted nothing before: its response is not started
    assert _response(db, second, "NL").status == "not_started" and not _response(db, second, "NL").answers
    page = c.get(response_url(second)).get_data(as_text=True)
    assert page.count(f"From {year}, not yet confirmed") == len(COMPLETE)
    assert f"Confirm all {len(COMPLETE)} carried-over answers" in page


def test_submit_lists_the_unconfirmed_then_confirm_or_change_clears_them(login_as, open_mini, db):
    _, second, c, year = _two_rounds(login_as, open_mini, db)
    r = c.post_form(response_url(second), {"shown": [], "action": "submit"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    message = f"Carried over from {year} and not yet confirmed: confirm it or change it."
    assert page.count(f"</a>: {message}") == len(COMPLETE)  # the list at the top, each also beside its field
    assert _response(db, second).status == "draft"
    # confirm one with its box, change another: both lose the mark; the changed one is the respondent's own
    revisions = page_revisions(c.get(response_url(second)).get_data(as_text=True))
    fields = form_for({"staff": "41", "cms_name": "CaseBook"}, revisions) | {"a.cms_name.confirm": "1"}
    assert c.post_form(response_url(second), fields).status_code == 302
    answers = {a.question_id: a for a in _response(db, second).answers}
    assert answers["cms_name"].confirmed and answers["cms_name"].prefilled_from_id is not None
    assert answers["staff"].value == 41 and answers["staff"].prefilled_from_id is None
    page = c.get(response_url(second)).get_data(as_text=True)
    assert page.count(f"From {year}, not yet confirmed") == len(COMPLETE) - 2
    assert not re.search(r'id="q-staff".{0,600}not yet confirmed', page, re.S)
    # confirm the rest at once, then the response submits
    r = c.post_form(response_url(second), {"shown": [], "action": "confirm_all"})
    assert r.status_code == 302
    assert all(a.confirmed for a in _response(db, second).answers)
    r = c.post_form(response_url(second), {"shown": [], "action": "submit"})
    assert r.status_code == 302 and _response(db, second).status == "submitted"


def test_autosave_confirms_and_says_so(login_as, open_mini, db):
    _, second, c, _ = _two_rounds(login_as, open_mini, db)
    r = c.post(response_url(second) + "/autosave", headers={"X-CSRFToken": c.csrf()},
               json={"fields": {"shown": ["host"], "a.host": ["police"], "a.host.confirm": ["1"], "rev.host": ["1"]}})
    assert r.status_code == 200 and r.get_json()["confirmed"] == ["host"]
    db.rollback()
    assert db.scalar(select(Answer).where(Answer.question_id == "host", Answer.confirmed.is_(True),
                                          Answer.prefilled_from_id.is_not(None))) is not None


def test_the_report_change_table_counts_the_confirmed_answers(login_as, open_mini, db, api, make_user):
    _, second, c, _ = _two_rounds(login_as, open_mini, db)
    revisions = page_revisions(c.get(response_url(second)).get_data(as_text=True))
    c.post_form(response_url(second), form_for({"staff": "41"}, revisions))
    c.post_form(response_url(second), {"shown": [], "action": "confirm_all"})
    assert c.post_form(response_url(second), {"shown": [], "action": "submit"}).status_code == 302
    reader = make_user("secretariat")
    body = api(reader).get(f"/api/v1/reports/rounds/{second}?tables=changes").get_json()
    table = body["tables"][0]
    assert "answers_confirmed" in [col["name"] for col in table["columns"]]
    row = next(r for r in table["records"] if r["country"] == "BE")
    confirmed = sum(1 for a in _response(db, second).answers if a.prefilled_from_id and a.confirmed)
    assert row["answers_confirmed"] == confirmed == len(COMPLETE) - 1
    assert row["answers_changed"] == 1
    assert "confirmed unchanged" in table["note"]
