"""The case page's column of actions is kept between openings (casemgmt/views/case_actions.py): whatever
changes shows on the next opening, the kept forms post with the request's own CSRF token, and no
SPOC's column is served on another's page."""

from __future__ import annotations

import re

from tests.kept_fragments import assert_no_country_gets_anothers, open_kept, open_page


def _page(c, number: str) -> str:
    return open_page(c, f"/cases/{number}")


def _kept(app, c, number: str) -> str:
    """The page opened again: its column of actions must come from the kept fragments."""
    return open_kept(app, c, f"/cases/{number}", fresh=1)  # the log's line of this opening (case_log.py)


def test_a_change_of_state_shows_at_once_and_the_kept_forms_post(app, login_as, intake):
    c, _ = login_as("officer", "BE")
    _, number, _ = intake("BE")
    _page(c, number)
    page = _kept(app, c, number)
    assert 'id="act-evaluate"' in page and 'id="act-crosscheck"' not in page  # received: evaluate, no cross-check
    # the kept form carries this request's token: posting it as the page gives it works
    token = re.search(r'name="ev-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    fields = {f"ev-{k}": "" for k in ("urgency_ground", "crime_category", "source_code", "information_code",
                                      "handling_code", "handling_text")}
    r = c.post(f"/cases/{number}/evaluate", data={**fields, "ev-csrf_token": token, "ev-information_access": "direct"})
    assert r.status_code == 302, re.findall(r"invalid-feedback[^>]*>([^<]+)|alert-danger[^>]*>([^<]+)", r.get_data(as_text=True))
    page = _page(c, number)  # evaluated: the cross-check is offered now, the evaluation shows its value
    assert 'id="act-crosscheck"' in page
    assert re.search(r'<option selected value="direct">', page.split('id="act-evaluate"')[1])


def test_an_assignment_and_a_new_colleague_show_at_once(app, login_as, intake, make_user):
    c, officer = login_as("officer", "BE")
    _, number, _ = intake("BE")
    _page(c, number)
    _kept(app, c, number)
    assert c.post_form(f"/cases/{number}/assign", {"as-assignee_id": str(officer.id)}).status_code == 302
    assign = _page(c, number).split('id="act-assign"')[1]
    assert f'<option selected value="{officer.id}">' in assign
    colleague = make_user("officer", "BE")
    assert f'value="{colleague.id}"' in _page(c, number).split('id="act-assign"')[1]


def test_the_language_switched_shows_at_once(app, login_as, intake):
    c, _ = login_as("officer", "BE")
    _, number, _ = intake("BE")
    _page(c, number)
    assert 'type="submit">Assign</button>' in _kept(app, c, number)
    assert c.post_form("/account/language", {"language": "fr", "next": "/"}).status_code == 302
    page = _page(c, number)
    assert 'type="submit">Assign</button>' not in page and 'type="submit">Attribuer</button>' in page


def test_no_spoc_gets_anothers_column(app, login_as, intake):
    be, _ = login_as("officer", "BE")
    nl, _ = login_as("officer", "NL")
    _, be_number, _ = intake("BE")
    _, nl_number, _ = intake("NL")
    assert_no_country_gets_anothers(app, [
        (be, f"/cases/{be_number}", [f"/cases/{be_number}/assign"], [nl_number]),
        (nl, f"/cases/{nl_number}", [f"/cases/{nl_number}/assign"], [be_number])],
        part=lambda page: page.split('<h2 class="h5">')[-1], fresh=1)  # the column of actions
