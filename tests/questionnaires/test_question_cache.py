"""The answering page keeps each question's HTML between openings (questionnaires/views/question_cache.py):
an answer saved (by the user or a colleague), the language switched or a secretariat's note published
shows on the next opening, and no country's answers are served on another's page."""

from __future__ import annotations

import re

from tests.kept_fragments import assert_no_country_gets_anothers, open_kept
from tests.questionnaires.conftest import form_for, page_revisions, response_url


def test_an_answer_saved_shows_at_once(app, login_as, open_mini, make_user):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    c.get(response_url(rid))
    page = open_kept(app, c, response_url(rid))
    assert re.search(r'class="question[^"]*hidden-by-logic[^"]*"\s+id="q-cms_name"', page)
    r = c.post_form(response_url(rid), form_for({"has_cms": "yes", "cms_name": "CaseBook"}, page_revisions(page)))
    assert r.status_code == 302
    page = open_kept(app, c, response_url(rid), rendered=True)  # the other questions still kept
    assert 'value="CaseBook"' in page and "Last changed by Test respondent" in page
    assert not re.search(r'hidden-by-logic[^"]*"\s+id="q-cms_name"', page)  # relevant now
    # a colleague of the same country changes it: shown at once, with who changed it
    colleague = make_user("respondent", "BE")
    other, _ = login_as("respondent", "BE")
    other.login(colleague.email)
    r = other.post_form(response_url(rid), form_for({"cms_name": "Atlas"}, page_revisions(page)))
    assert r.status_code == 302
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert 'value="Atlas"' in page and 'value="CaseBook"' not in page


def test_the_language_switched_shows_at_once(app, login_as, open_mini):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    c.get(response_url(rid))
    assert "Is there a CMS?" in open_kept(app, c, response_url(rid))
    assert c.post_form("/account/language", {"language": "fr", "next": response_url(rid)}).status_code == 302
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert "Y a-t-il un SGC ?" in page and "Is there a CMS?" not in page


def test_no_country_gets_anothers_answers_or_links(app, login_as, open_mini):
    rid = open_mini(countries=("BE", "NL"))
    be, _ = login_as("respondent", "BE")
    nl, _ = login_as("respondent", "NL")
    page = be.get(response_url(rid)).get_data(as_text=True)
    be.post_form(response_url(rid), form_for({"has_cms": "yes", "cms_name": "BelgianBook"}, page_revisions(page)))
    assert_no_country_gets_anothers(app, [
        (be, response_url(rid, "BE"), ["/responses/BE/history/", "BelgianBook"], ["/responses/NL"]),
        (nl, response_url(rid, "NL"), ["/responses/NL/history/"], ["/responses/BE", "BelgianBook"])])
