"""The navigation bar of every page is kept between openings (portal/layout.py, kept_navbar): the same bar as
rendered afresh, the user's own name and menu, the page it comes back to after a change of language, a rename or
a new language at once, and never one user's bar on another's page."""

from __future__ import annotations

import re

from sqlalchemy import update

from portal.accounts.models import User
from portal.fragments import fragments
from tests.conftest import set_language


def _bar(page: str) -> str:
    """The navigation bar, without the request's CSRF tokens."""
    bar = page.split('<nav class="navbar', 1)[1].split("</nav>", 1)[0]
    return re.sub(r'name="csrf_token" value="[^"]+"', "", bar)


def _open(c, url: str) -> str:
    r = c.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.get_data(as_text=True)


def test_the_kept_bar_is_the_bar_rendered_afresh(app, login_as):
    users = [login_as(role, country)[0] for role, country in (("officer", "BE"), ("supervisor", "BE"),
                                                              ("head_of_spoc", "NL"), ("secretariat", None),
                                                              ("admin", None), ("trainer", "DE"))]
    urls = ["/", "/training", "/account", "/training?year=2026"]
    kept = {}
    for c in users:
        for url in urls:
            _open(c, url)
            hits = fragments(app).hits
            kept[(c, url)] = _bar(_open(c, url))
            assert fragments(app).hits > hits
    fragments(app).chars = 0  # the cache switched off: rendered on every opening
    try:
        for (c, url), bar in kept.items():
            assert _bar(_open(c, url)) == bar, url
    finally:
        fragments(app).chars = 64_000_000
    assert 'value="/training?year=2026"' in kept[(users[0], "/training?year=2026")]  # back here after a change


def test_the_bar_comes_back_to_its_own_page(app, login_as):
    """One kept bar for the user's pages of a part of the portal; the language switch of each comes back to it."""
    c, _ = login_as("officer", "BE")
    _open(c, "/training")
    for url in ("/training?year=2030", "/training?year=2031&x=%3Cb%3E", "/training"):
        hits = fragments(app).hits
        bar = _bar(_open(c, url))
        assert fragments(app).hits > hits
        assert f'name="next" value="{url.replace("&", "&amp;")}"' in bar


def test_a_rename_and_a_new_language_show_at_once(app, login_as):
    c, user = login_as("officer", "BE")
    _open(c, "/")
    assert user.name in _bar(_open(c, "/"))
    with app.extensions["spoc_db"].unit_of_work() as s:  # another app server, a plain statement
        s.execute(update(User).where(User.id == user.id).values(name="Renamed Officer"))
    assert "Renamed Officer" in _bar(_open(c, "/"))
    set_language(app, user, "de")
    bar = _bar(_open(c, "/"))
    assert "Abmelden" in bar and 'value="de" lang="de" selected' in bar


def test_no_user_gets_anothers_bar(app, login_as, make_user):
    first, one = login_as("officer", "BE")
    second, two = login_as("officer", "BE")
    third, three = login_as("officer", "NL")
    with app.extensions["spoc_db"].unit_of_work() as s:
        for user, name in ((one, "Anna Peeters"), (two, "Bart Claes"), (three, "Daan de Vries")):
            s.execute(update(User).where(User.id == user.id).values(name=name))
    for _ in range(2):
        bars = [_bar(_open(c, "/cases/")) for c in (first, second, third)]
    assert "Anna Peeters" in bars[0] and "Bart Claes" not in bars[0] and "Daan de Vries" not in bars[0]
    assert "Bart Claes" in bars[1] and "Anna Peeters" not in bars[1]
    assert "Daan de Vries" in bars[2] and "· NL" in bars[2] and "· BE" not in bars[2]


def test_the_login_page_bar_is_not_kept(app, client):
    hits, misses = fragments(app).hits, fragments(app).misses
    for _ in range(2):
        assert client.get("/login").status_code == 200
    assert (fragments(app).hits, fragments(app).misses) == (hits, misses)
