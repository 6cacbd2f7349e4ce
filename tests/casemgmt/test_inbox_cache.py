"""The inbox but for its rows is kept between openings (casemgmt/views/inbox.py): the rows are always its own,
what the kept part shows changes with the filter, the language, the time zone and the side panels, the page
is the same kept as rendered afresh, and no SPOC's kept inbox is served to another."""

from __future__ import annotations

import re

from sqlalchemy import update

from portal.accounts.models import User
from portal.fragments import fragments
from tests.conftest import set_language
from tests.kept_fragments import open_kept, open_page


def _frame(page: str) -> str:
    """The inbox's main part without its rows (written afresh on every opening) and CSRF tokens."""
    main = page.split('id="main"')[1].split("</main>")[0]
    main = re.sub(r"<tbody>.*?</tbody>", "<tbody></tbody>", main, flags=re.S)
    return re.sub(r'name="csrf_token" value="[^"]+"', "", main)


def _numbers(page: str) -> list[str]:
    return re.findall(r'name="case" value="([^"]+)"', page)


def test_the_kept_inbox_is_the_inbox_rendered_afresh(app, login_as, make_user, intake):
    officer, _ = login_as("officer", "BE")
    boss, _ = login_as("supervisor", "BE")
    make_user("officer", "BE")
    numbers = [intake("BE")[1] for _ in range(3)]
    urls = ["/cases/", "/cases/?status=open", "/cases/?mine=1", "/cases/?status=merged", "/cases/?status=all"]
    kept = {}
    for c in (officer, boss):
        for url in urls:
            open_page(c, url)
            page = open_kept(app, c, url)
            kept[(c, url)] = (_frame(page), _numbers(page))
    assert sorted(kept[(officer, "/cases/")][1]) == sorted(numbers) and kept[(officer, "/cases/?mine=1")][1] == []
    fragments(app).chars = 0  # the cache switched off: rendered on every opening
    try:
        for (c, url), (frame, rows) in kept.items():
            page = open_page(c, url)
            assert (_frame(page), _numbers(page)) == (frame, rows), url
    finally:
        fragments(app).chars = 64_000_000


def test_the_rows_filter_language_and_time_zone_show_at_once(app, login_as, intake):
    c, officer = login_as("officer", "BE")
    first = intake("BE")[1]
    assert _numbers(open_page(c, "/cases/")) == [first]
    assert _numbers(open_kept(app, c, "/cases/")) == [first]
    # a case registered by another app server: its row shows on the next opening
    second = intake("BE")[1]
    assert sorted(_numbers(open_kept(app, c, "/cases/"))) == sorted([first, second])
    assert '<option value="open" selected>' in open_page(c, "/cases/?status=open")
    assert '<option value="action" selected>' in open_kept(app, c, "/cases/")
    # the user's time zone changed elsewhere (a plain statement), then the language
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.connection().execute(update(User.__table__).where(User.__table__.c.id == officer.id)
                               .values(timezone="Europe/Lisbon"))
    assert "Times in Europe/Lisbon." in open_page(c, "/cases/")
    set_language(app, officer, "fr")
    page = open_page(c, "/cases/")
    assert "Dossiers du SPOC Belgique" in page and "Times in" not in page


def test_no_spoc_gets_anothers_inbox(app, login_as, make_user, intake):
    be, _ = login_as("officer", "BE")
    nl, _ = login_as("officer", "NL")
    colleagues = make_user("officer", "BE"), make_user("officer", "NL")
    with app.extensions["spoc_db"].unit_of_work() as s:
        for user, name in zip(colleagues, ("Colleague Peeters", "Collega de Vries"), strict=True):
            s.get(User, user.id).name = name
    be_number, nl_number = intake("BE")[1], intake("NL")[1]
    for c in (be, nl):
        open_page(c, "/cases/")
    be_page, nl_page = open_kept(app, be, "/cases/"), open_kept(app, nl, "/cases/")
    assert "Cases of the SPOC Belgium" in be_page and "Cases of the SPOC Netherlands" in nl_page
    assert _numbers(be_page) == [be_number] and _numbers(nl_page) == [nl_number]
    assert "Colleague Peeters" in be_page and "Collega de Vries" not in be_page  # whom one may assign to
    assert "Collega de Vries" in nl_page and "Colleague Peeters" not in nl_page
