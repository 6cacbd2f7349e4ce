"""The case page's folder is kept between openings (casemgmt/views/case_folder.py): whatever changes in it
shows on the next opening, every opening is still logged (LED Art. 25), the page is the same with the
kept folder as rendered afresh, and no SPOC's folder is served on another's page."""

from __future__ import annotations

import re

from sqlalchemy import func, select, update

from casemgmt.models import Message
from portal.accounts.models import User
from portal.audit import AuditEntry
from portal.fragments import fragments
from tests.kept_fragments import assert_no_country_gets_anothers, open_kept, open_page


def _page(c, number: str) -> str:
    return open_page(c, f"/cases/{number}")


def _kept(app, c, number: str) -> str:
    """The page opened again: its folder must come from the kept fragments."""
    return open_kept(app, c, f"/cases/{number}", fresh=1)  # the log's line of this opening (case_log.py)


def _folder(page: str) -> str:
    """The folder's part of the page (before the log of the case), without the request's CSRF tokens."""
    folder = page.split('id="exchanges"')[1].split('<section aria-labelledby="log-h"')[0]
    return re.sub(r'name="csrf_token" value="[^"]+"', "", folder)


def test_a_note_a_task_and_a_flag_show_at_once(app, login_as, intake, make_user):
    c, officer = login_as("officer", "BE")
    colleague = make_user("officer", "BE")
    _, number, _ = intake("BE")
    _page(c, number)
    _kept(app, c, number)
    assert c.post_form(f"/cases/{number}/notes", {"nt-text": "Called the provider <b>back</b>"}).status_code == 302
    page = _page(c, number)
    assert "Called the provider &lt;b&gt;back&lt;/b&gt;" in _folder(page)
    _kept(app, c, number)
    assert c.post_form(f"/cases/{number}/tasks", {"tk-title": "Check the IBAN",
                                                  "tk-assignee_id": str(colleague.id)}).status_code == 302
    assert f"for {colleague.name}" in _folder(_page(c, number))
    # the colleague's name changed elsewhere (an administrator): the task shows the new one
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.execute(update(User).where(User.id == colleague.id).values(name="Renamed Colleague"))
    assert "for Renamed Colleague" in _folder(_page(c, number))
    kind, entity_id = re.search(r'id="entity-(\w+)-(\d+)"', page).groups()
    r = c.post_form(f"/cases/{number}/entities/{kind}/{entity_id}/flag",
                    {f"fl-{kind}-{entity_id}-inaccurate": "1", f"fl-{kind}-{entity_id}-reason": "Wrong birth date"})
    assert r.status_code == 302
    assert "Flagged inaccurate or out of date: Wrong birth date" in _folder(_page(c, number))


def test_a_row_written_without_the_orm_shows_at_once(app, login_as, intake):
    """The key is the rows as stored, not what this process wrote: a change by another app server or a
    plain statement (the intake writes through prepared statements) shows too."""
    c, _ = login_as("officer", "BE")
    case_id, number, _ = intake("BE")
    _page(c, number)
    _kept(app, c, number)
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.connection().execute(update(Message.__table__).where(Message.__table__.c.case_id == case_id)
                               .values(subject="Subject changed by another server"))
    assert "Subject changed by another server" in _folder(_page(c, number))


def test_every_opening_is_logged_with_the_folder_kept(app, login_as, intake):
    c, officer = login_as("officer", "BE")
    _, number, _ = intake("BE")
    database = app.extensions["spoc_db"]

    def openings() -> int:
        with database.read_session() as s:
            return s.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.object_id == number, AuditEntry.action == "consultation",
                AuditEntry.actor_email == officer.email)) or 0

    _page(c, number)
    before = openings()
    for n in range(1, 4):
        page = _kept(app, c, number)
        assert openings() == before + n
        log = page.split('<section aria-labelledby="log-h"')[1]
        assert log.count("case page opened") == before + n


def test_the_kept_folder_is_the_folder_rendered_afresh(app, login_as, intake):
    c, _ = login_as("officer", "BE")
    _, number, _ = intake("BE")
    assert c.post_form(f"/cases/{number}/notes", {"nt-text": "A note"}).status_code == 302
    _page(c, number)
    kept = _folder(_kept(app, c, number))
    fragments(app).chars = 0  # the cache switched off: rendered on every opening
    try:
        assert _folder(_page(c, number)) == kept
    finally:
        fragments(app).chars = 64_000_000


def test_no_spoc_gets_anothers_folder(app, login_as, intake):
    be, _ = login_as("officer", "BE")
    nl, _ = login_as("officer", "NL")
    _, be_number, _ = intake("BE")
    _, nl_number, _ = intake("NL")
    assert_no_country_gets_anothers(app, [(be, f"/cases/{be_number}", [f"/cases/{be_number}/"], [nl_number]),
                                          (nl, f"/cases/{nl_number}", [f"/cases/{nl_number}/"], [be_number])],
                                    part=_folder, fresh=1)


def test_the_side_column_shows_a_colleague_and_an_expired_data_set_at_once(app, login_as, intake, make_user):
    """The cross-check panel and the column of actions are kept too (keyed by the SPOC's users, data sets,
    authorities, templates and the case's cross-check rows): what changes there shows at once."""
    import datetime as dt

    from casemgmt.crosscheck.models import ReferenceDataset

    c, _ = login_as("officer", "BE")
    _, number, _ = intake("BE")
    _page(c, number)
    _kept(app, c, number)
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.add(ReferenceDataset(country_code="BE", name="stolen-vehicles", owner="Federal police",
                               expires_on=dt.date.today() - dt.timedelta(days=1)))
        s.add(ReferenceDataset(country_code="NL", name="dutch-register", expires_on=dt.date.today() - dt.timedelta(days=1)))
    page = _page(c, number)
    panel = page.split('id="xc-panel"')[1].split("</section>")[0]
    assert "stolen-vehicles" in panel and "dutch-register" not in page
    colleague = make_user("officer", "BE")
    assert f'value="{colleague.id}"' in _page(c, number).split('id="act-assign"')[1]
