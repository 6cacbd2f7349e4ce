"""The autosave status line: the time of the save in the user's time zone, in the page's language
(issue 19, item 12)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from portal.accounts.models import User
from tests.questionnaires.conftest import response_url


def _set(app, user, **values):
    with app.extensions["spoc_db"].unit_of_work() as session:
        for key, value in values.items():
            setattr(session.get(User, user.id), key, value)


def test_autosave_says_when_in_the_users_time_zone_and_language(app, login_as, open_mini):
    rid = open_mini()
    c, user = login_as("respondent", "BE")
    _set(app, user, timezone="Asia/Tokyo", language="fr")
    before = dt.datetime.now(ZoneInfo("Asia/Tokyo"))
    r = c.post(response_url(rid) + "/autosave", json={"fields": {"shown": ["staff"], "a.staff": ["7"],
                                                                 "rev.staff": ["0"]}},
               headers={"X-CSRFToken": c.csrf()})
    after = dt.datetime.now(ZoneInfo("Asia/Tokyo"))
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.get_json()
    assert body["saved_at"] in {f"{before:%H:%M} JST", f"{after:%H:%M} JST"}  # Tokyo's clock, not the server's
    assert body["status"] == f"Brouillon enregistré automatiquement à {body['saved_at']}."
    # the page's script shows the server's line (no browser clock)
    script = c.get("/static/js/questionnaire.js").get_data(as_text=True)
    assert "body.status" in script and "new Date()" not in script


def test_what_the_script_says_comes_with_the_page_in_its_language(app, login_as, open_mini):
    """The answering page's script (unsaved changes, saving, offline, a colleague's conflicting change) takes
    its words from the page, in the page's language, not from English written in the script."""
    import html
    import json
    import re

    rid = open_mini()
    c, user = login_as("respondent", "BE")
    _set(app, user, language="de")
    page = c.get(response_url(rid)).get_data(as_text=True)
    texts = json.loads(html.unescape(re.search(r"data-texts='([^']*)'", page).group(1)))
    assert texts["unsaved"] == "Nicht gespeicherte Änderungen…"
    assert texts["changed_at"] == "{who} hat diese Antwort um {time} geändert, während Sie sie bearbeiteten."
    assert texts["offline"].startswith("Automatisches Speichern nicht möglich")
    script = c.get("/static/js/questionnaire.js").get_data(as_text=True)
    assert 'say("unsaved"' in script and 'setStatus("Unsaved changes…")' not in script
    assert 'data-confirm="Die Antwort von BE' in page
