"""The lines of a case page's log are kept by their entries (casemgmt/views/case_log.py): every opening shows at
once on top, a line follows its entry as stored, the page's language and time zone, the kept lines are the lines
written afresh, and no SPOC's lines reach another's page."""

from __future__ import annotations

import re

from sqlalchemy import update

from portal.accounts.models import User
from portal.audit import AuditEntry
from portal.fragments import fragments
from tests.conftest import set_language
from tests.kept_fragments import open_page


def _lines(page: str) -> list[str]:
    """The log's lines, newest first."""
    log = page.split('id="log-h"')[1].split("</table>")[0]
    return re.findall(r"<tr><td class=\"nowrap\">.*?</tr>", log)


def _hits(app) -> int:
    return fragments(app).hits


def test_every_opening_and_action_shows_on_top_at_once(app, login_as, intake):
    c, officer = login_as("officer", "BE")
    _, number, _ = intake("BE")
    first = _lines(open_page(c, f"/cases/{number}"))
    hits = _hits(app)
    second = _lines(open_page(c, f"/cases/{number}"))
    assert _hits(app) - hits >= len(first)  # the earlier lines kept
    assert len(second) == len(first) + 1 and second[1:] == first
    assert "case page opened" in second[0] and officer.email in second[0]
    assert c.post_form(f"/cases/{number}/notes", {"nt-text": "A note"}).status_code == 302
    third = _lines(open_page(c, f"/cases/{number}"))
    assert "case page opened" in third[0] and "note" in third[1] and third[2:] == second


def test_a_line_follows_its_entry_and_the_page(app, login_as, intake):
    c, officer = login_as("officer", "BE")
    _, number, _ = intake("BE")
    open_page(c, f"/cases/{number}")
    before = _lines(open_page(c, f"/cases/{number}"))
    assert "CET" in before[-1] or "CEST" in before[-1]
    # an entry changed by a plain statement (the chain's check reports it; the page shows what is stored)
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.execute(update(AuditEntry).where(AuditEntry.object_id == number, AuditEntry.seq == s.query(
            AuditEntry.seq).filter(AuditEntry.object_id == number).order_by(AuditEntry.seq).limit(1).scalar_subquery())
            .values(justification="Written elsewhere"))
    assert "<td>Written elsewhere</td>" in _lines(open_page(c, f"/cases/{number}"))[-1]
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.execute(update(User).where(User.id == officer.id).values(timezone="Europe/Lisbon"))
    lines = _lines(open_page(c, f"/cases/{number}"))
    assert all("WET" in line or "WEST" in line for line in lines)
    set_language(app, officer, "fr")
    lines = _lines(open_page(c, f"/cases/{number}"))
    assert "<td>Collecte</td>" in lines[-1]  # the intake's entry: its operation in French
    assert "<td>Collection</td>" in before[-1]


def test_the_kept_lines_are_the_lines_written_afresh(app, login_as, intake):
    c, _ = login_as("officer", "BE")
    _, number, _ = intake("BE")
    assert c.post_form(f"/cases/{number}/notes", {"nt-text": "A note"}).status_code == 302
    open_page(c, f"/cases/{number}")
    kept = _lines(open_page(c, f"/cases/{number}"))
    fragments(app).chars = 0  # the cache switched off: every line written on every opening
    try:
        afresh = _lines(open_page(c, f"/cases/{number}"))
    finally:
        fragments(app).chars = 64_000_000
    assert afresh[1:] == kept and "case page opened" in afresh[0]


def test_no_spoc_gets_anothers_lines(app, login_as, intake):
    be, be_officer = login_as("officer", "BE")
    nl, nl_officer = login_as("officer", "NL")
    _, be_number, _ = intake("BE")
    _, nl_number = intake("NL")[:2]
    for _ in range(2):
        be_lines = _lines(open_page(be, f"/cases/{be_number}"))
        nl_lines = _lines(open_page(nl, f"/cases/{nl_number}"))
    assert be_officer.email in be_lines[0] and nl_officer.email in nl_lines[0]
    assert not any(nl_officer.email in line for line in be_lines)
    assert not any(be_officer.email in line for line in nl_lines)
    assert be.get(f"/cases/{nl_number}").status_code == 404 and nl.get(f"/cases/{be_number}").status_code == 404
