"""The answering page keeps its whole body (sections, questions, buttons) while nothing it shows has
changed (questionnaires/views/question_cache.py::body_html): an answer changed by another app server,
a note the secretariat publishes, a response sent back show on the next opening; the kept body is the
body rendered afresh; no country's body is served on another's page."""

from __future__ import annotations

import re

from sqlalchemy import update

from portal.fragments import fragments
from questionnaires.models import Answer, QuestionThread, Response
from tests.kept_fragments import assert_no_country_gets_anothers, open_kept, open_page
from tests.questionnaires.conftest import form_for, page_revisions, response_url


def _kept(app, c, url: str) -> str:
    """The page opened again: its body must come from the kept fragments (one, and the navigation bar's),
    nothing rendered."""
    return open_kept(app, c, url, hits=2)


def _body(page: str) -> str:
    body = page.split('<div class="row">', 1)[1]
    return re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]+"', "", body)


def test_a_change_written_elsewhere_shows_at_once(app, login_as, open_mini):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    page = open_page(c, response_url(rid))
    assert c.post_form(response_url(rid), form_for({"has_cms": "yes", "cms_name": "CaseBook"},
                                                   page_revisions(page))).status_code == 302
    open_page(c, response_url(rid))
    assert 'value="CaseBook"' in _kept(app, c, response_url(rid))
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:  # another app server, a plain statement: no hook of this process sees it
        s.connection().execute(update(Answer.__table__).where(Answer.__table__.c.question_id == "cms_name")
                               .values(value="Atlas"))
    page = open_page(c, response_url(rid))
    assert 'value="Atlas"' in page and 'value="CaseBook"' not in page
    _kept(app, c, response_url(rid))
    with database.unit_of_work() as s:
        response_id, round_id = s.query(Response.id, Response.round_id).filter(Response.country_code == "BE",
                                                                               Response.round_id == rid).one()
        s.add(QuestionThread(round_id=round_id, country_code="BE", question_id="cms_name", answered=True,
                             public_note="Name the product, not the vendor"))
    assert "Name the product, not the vendor" in open_page(c, response_url(rid))
    _kept(app, c, response_url(rid))
    with database.unit_of_work() as s:
        s.execute(update(Response).where(Response.id == response_id).values(share_free_text=True))
    assert re.search(r'id="share_free_text" checked', open_page(c, response_url(rid)))


def test_the_kept_body_is_the_body_rendered_afresh(app, login_as, open_mini):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    page = open_page(c, response_url(rid))
    c.post_form(response_url(rid), form_for({"has_cms": "yes", "cms_name": "CaseBook"}, page_revisions(page)))
    open_page(c, response_url(rid))
    kept = _body(_kept(app, c, response_url(rid)))
    fragments(app).chars = 0
    try:
        assert _body(open_page(c, response_url(rid))) == kept
    finally:
        fragments(app).chars = 64_000_000


def test_no_country_gets_anothers_body(app, login_as, open_mini):
    rid = open_mini(countries=("BE", "NL"))
    be, _ = login_as("respondent", "BE")
    nl, _ = login_as("respondent", "NL")
    page = open_page(be, response_url(rid))
    be.post_form(response_url(rid), form_for({"has_cms": "yes", "cms_name": "BelgianBook"}, page_revisions(page)))
    assert_no_country_gets_anothers(app, [
        (be, response_url(rid, "BE"), ["/responses/BE/autosave", "BelgianBook"], ["/responses/NL"]),
        (nl, response_url(rid, "NL"), ["/responses/NL/autosave"], ["/responses/BE", "BelgianBook"])], hits=2)
