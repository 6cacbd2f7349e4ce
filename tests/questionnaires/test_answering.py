"""The answering page: save draft with typed values kept, autosave, submit, reopen, print, language."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from questionnaires.models import AnswerHistory, Response
from tests.questionnaires.conftest import COMPLETE, form_for, page_revisions, response_url


def _answers(db, round_id, cc="BE"):
    db.rollback()
    response = db.scalar(select(Response).where(Response.round_id == round_id, Response.country_code == cc))
    return response, {a.question_id: a.value for a in response.answers if a.value is not None}


def test_page_shows_sections_labels_hints_required_and_logic(login_as, open_mini):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert "Basics" in page and "CMS details" in page and 'href="#s-details"' in page
    assert "Is there a CMS?" in page and "(required)" in page
    assert 'data-relevant="${has_cms} = &#39;yes&#39;"' in page
    # nothing answered yet: the CMS follow-ups start hidden (the server computes the same as the page)
    assert re.search(r'class="question[^"]*hidden-by-logic[^"]*"\s+id="q-cms_name"', page)
    assert "js/questionnaire.js" in page and "js/expressions.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) and " style=" not in page


def test_save_draft_keeps_answers_and_records_who(login_as, open_mini, db):
    rid = open_mini()
    c, user = login_as("respondent", "BE")
    r = c.post_form(response_url(rid), form_for({"has_cms": "yes", "cms_name": "CaseBook", "staff": "12",
                                                 "units": ["sirene", "enu"]}) | {"action": "save"})
    assert r.status_code == 302
    response, values = _answers(db, rid)
    assert values == {"has_cms": "yes", "cms_name": "CaseBook", "staff": 12, "units": ["enu", "sirene"]}
    assert response.status == "draft"
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert "Draft saved." in page and 'value="CaseBook"' in page and "Last changed by Test respondent" in page
    assert not re.search(r'hidden-by-logic[^"]*"\s+id="q-cms_name"', page)


def test_bad_value_is_shown_beside_the_field_and_nothing_is_saved(login_as, open_mini, db):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    r = c.post_form(response_url(rid), form_for({"has_cms": "yes", "staff": "twelve", "night": "3"}))
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="err-staff" data-error>Enter a number.' in page and 'value="twelve"' in page
    assert "Nothing was saved: 1 answer needs correcting (marked below)." in page  # one bad field, said in the singular
    assert _answers(db, rid)[1] == {}
    r = c.post_form(response_url(rid), form_for({"staff": "10", "night": "30"}))
    assert r.status_code == 422 and "Not more than the whole staff." in r.get_data(as_text=True)
    assert _answers(db, rid)[1] == {}


def test_history_of_an_answer(login_as, open_mini, db):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    c.post_form(response_url(rid), form_for({"staff": "10"}))
    revs = page_revisions(c.get(response_url(rid)).get_data(as_text=True))
    c.post_form(response_url(rid), form_for({"staff": "12"}, revs))
    db.rollback()
    rows = db.scalars(select(AnswerHistory).where(AnswerHistory.question_id == "staff")
                      .order_by(AnswerHistory.revision)).all()
    assert [(h.old_value, h.new_value, h.revision) for h in rows] == [(None, 10, 1), (10, 12, 2)]
    page = c.get(response_url(rid) + "/history/staff").get_data(as_text=True)
    assert "History of an answer" in page and "12 persons" in page and "10 persons" in page
    assert c.get(response_url(rid) + "/history/no_such").status_code == 404


def test_autosave_json_with_csrf_header(login_as, open_mini, db):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    url = response_url(rid) + "/autosave"
    body = {"fields": {"shown": ["staff", "host"], "a.staff": ["7"], "rev.staff": ["0"], "a.host": ["police"]}}
    assert c.post(url, json=body).status_code == 400  # no CSRF token: refused
    r = c.post(url, json=body, headers={"X-CSRFToken": c.csrf()})
    assert r.status_code == 200, r.get_data(as_text=True)
    data = r.get_json()
    assert sorted(data["saved"]) == ["host", "staff"] and data["revisions"] == {"host": 1, "staff": 1}
    assert data["meta"]["staff"].startswith("Last changed by Test respondent")
    assert _answers(db, rid)[1] == {"staff": 7, "host": "police"}
    r = c.post(url, json={"fields": {"shown": ["staff"], "a.staff": ["-4"], "rev.staff": ["1"]}},
               headers={"X-CSRFToken": c.csrf()})
    assert r.status_code == 422 and r.get_json()["errors"] == {"staff": "The smallest allowed value is 0."}
    assert _answers(db, rid)[1]["staff"] == 7


def test_submit_lists_every_problem_with_links_then_locks(login_as, open_mini, db):
    rid = open_mini()
    c, user = login_as("respondent", "BE")
    r = c.post_form(response_url(rid), form_for({"has_cms": "yes", "staff": "3"}) | {"action": "submit"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "Not submitted: 4 answers need attention" in page
    for qid in ("cms_name", "host", "access", "intake"):
        assert f'href="#q-{qid}"' in page
    assert "Basics › Name of the CMS</a>: This answer is required." in page
    assert _answers(db, rid)[0].status == "draft"  # the answers given were saved, but not submitted
    revs = page_revisions(page)
    r = c.post_form(response_url(rid), form_for(COMPLETE, revs) | {"action": "submit"})
    assert r.status_code == 302
    response, values = _answers(db, rid)
    assert response.status == "submitted" and response.submitted_by_id == user.id
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert "The response is locked" in page and "questionnaire-form" not in page
    r = c.post_form(response_url(rid), form_for({"staff": "4"}))
    assert r.status_code == 302 and _answers(db, rid)[1]["staff"] == 40


def test_secretariat_reopens_with_a_reason(login_as, open_mini, db, make_user):
    rid = open_mini()
    make_user("respondent", "BE", email="colleague.be@test.invalid")
    c, _ = login_as("respondent", "BE")
    c.post_form(response_url(rid), form_for(COMPLETE) | {"action": "submit"})
    sec, _ = login_as("secretariat")
    page = sec.get(response_url(rid)).get_data(as_text=True)
    assert "Reopen this response" in page and "CaseBook" in page and "questionnaire-form" not in page
    r = sec.post_form(response_url(rid) + "/reopen", {"reason": "  "})
    assert r.status_code == 422 and "Give the reason for reopening" in r.get_data(as_text=True)
    assert _answers(db, rid)[0].status == "submitted"
    r = sec.post_form(response_url(rid) + "/reopen", {"reason": "Staff figures look swapped."})
    assert r.status_code == 302
    response, _ = _answers(db, rid)
    assert response.status == "reopened" and response.reopen_reason == "Staff figures look swapped."
    entry = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "questionnaire_response")
                       .order_by(AuditEntry.seq.desc())).first()
    assert entry.justification == "Staff figures look swapped." and entry.details["event"] == "reopened"
    from portal.mail import OutboxMessage

    mail = db.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Reopened:%"))).one()
    assert "colleague.be@test.invalid" in mail.to and "Staff figures look swapped." in mail.body
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert "questionnaire-form" in page and "Reason: Staff figures look swapped." in page
    assert c.post_form(response_url(rid) + "/reopen", {"reason": "x"}).status_code == 404  # respondents may not


def test_a_response_that_is_not_submitted_is_not_reopened_and_the_page_says_why(login_as, open_mini, db):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    c.post_form(response_url(rid), form_for({"staff": "4"}))
    sec, _ = login_as("secretariat")
    r = sec.post_form(response_url(rid) + "/reopen", {"reason": "Staff figures look swapped."})
    assert r.status_code == 422 and "Only a submitted response can be reopened." in r.get_data(as_text=True)
    assert _answers(db, rid)[0].status == "draft"


def test_head_of_spoc_reads_but_cannot_edit(login_as, open_mini, db):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    c.post_form(response_url(rid), form_for({"staff": "10"}))
    head, _ = login_as("head_of_spoc", "BE")
    page = head.get(response_url(rid)).get_data(as_text=True)
    assert "10 persons" in page and "questionnaire-form" not in page
    assert head.post_form(response_url(rid), form_for({"staff": "11"})).status_code == 404
    assert _answers(db, rid)[1]["staff"] == 10


def test_other_countries_and_roles_get_404(login_as, open_mini):
    rid = open_mini(countries=("BE", "NL"))
    for role, cc in (("respondent", "NL"), ("head_of_spoc", "NL"), ("officer", "BE"), ("observer", None),
                     ("dpo", "BE")):
        c, _ = login_as(role, cc)
        for url in (response_url(rid), response_url(rid) + "/print", response_url(rid) + "/history/staff"):
            assert c.get(url).status_code == 404, (role, url)
        assert c.post_form(response_url(rid), form_for({"staff": "1"})).status_code == 404
        assert c.post(response_url(rid) + "/autosave", json={"fields": {}},
                      headers={"X-CSRFToken": c.csrf()}).status_code == 404
    c, _ = login_as("respondent", "DE")  # DE is not in the round at all
    assert c.get(response_url(rid, "DE")).status_code == 404
    assert c.get(f"/questionnaires/rounds/{rid}").status_code == 404


def test_printable_view(login_as, open_mini):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    c.post_form(response_url(rid), form_for({"has_cms": "no", "staff": "10", "host": "ministry"}))
    page = c.get(response_url(rid) + "/print").get_data(as_text=True)
    assert "Ministry" in page and "10 persons" in page and "data-print" in page
    assert "CMS details" not in page  # irrelevant sections are left out
    assert "css/portal.css" in page


def test_language_switcher_sets_the_users_language(login_as, open_mini, db):
    rid = open_mini()
    c, user = login_as("respondent", "BE")
    r = c.post_form("/account/language", {"language": "fr", "next": response_url(rid)})
    assert r.status_code == 302 and r.headers["Location"].endswith(response_url(rid))
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert "Y a-t-il un SGC ?" in page and "Bases" in page and "Name of the CMS" in page  # en fallback
    r = c.post_form("/account/language", {"language": "en", "next": "https://evil.example/"})
    assert r.headers["Location"] in ("/", "http://localhost/")  # not off-site: the dashboard
    db.rollback()
    assert db.get(type(user), user.id).language == "en"


def test_a_process_step_has_its_variant_target_system_and_automation(login_as, open_mini, db):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    page = c.get(response_url(rid)).get_data(as_text=True)
    for header in ("Variant", "Target", "System used", "Automation", "In your SPOC"):
        assert f">{header}" in page
    assert 'name="a.intake.0.automation"' in page and "Partly automated" in page and "Always done" in page
    steps = [{"step": "Receipt", "variant": "", "actor": "Duty officer", "task": "Register",
              "target": "A registered request", "system": "CaseBook", "automation": "partly_automated",
              "prerequisite": "", "depends_on": "", "rating": "mandatory"},
             {"step": "Receipt", "variant": "urgent", "actor": "Shift supervisor", "task": "Register by phone",
              "target": "A registered urgent request", "system": "Paper log", "automation": "manual",
              "prerequisite": "", "depends_on": "", "rating": "required"}]
    assert c.post_form(response_url(rid), form_for({"has_cms": "yes", "intake": steps})
                       | {"action": "save"}).status_code == 302
    assert _answers(db, rid)[1]["intake"] == steps
    answers = c.get(response_url(rid) + "/print").get_data(as_text=True)
    for text in ("A registered urgent request", "Paper log", "Partly automated", "Manual", "urgent", "main path",
                 "Done in specific cases"):
        assert text in answers
    bad = [{**steps[0], "automation": "robotic"}]
    r = c.post_form(response_url(rid), form_for({"intake": bad}, page_revisions(c.get(response_url(rid))
                                                                                .get_data(as_text=True)))
                    | {"action": "save"})
    assert r.status_code == 422 and "automation is automated, partly_automated or manual" in r.get_data(as_text=True)



@pytest.mark.parametrize("share", [True, False])
def test_submitting_records_whether_the_country_shares_its_own_words(login_as, open_mini, db, share):
    """Issue 19: the consent is given per response, when submitting (a tick box beside Submit)."""
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    assert 'name="share_free_text"' in c.get(response_url(rid)).get_data(as_text=True)
    extra = {"share_free_text": "1"} if share else {}
    assert c.post_form(response_url(rid), form_for(COMPLETE) | {"action": "submit"} | extra).status_code == 302
    response, _ = _answers(db, rid)
    assert response.status == "submitted" and response.share_free_text is share
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert ("Your country agreed" in page) is share and ("see only your choices and figures" in page) is not share
