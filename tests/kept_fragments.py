"""Pages whose parts are kept between openings (portal/fragments.py): open one, open it again from the kept
fragments, and check that no country's kept part is served on another country's page."""

from __future__ import annotations

from collections.abc import Callable

from portal.fragments import fragments


def open_page(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.get_data(as_text=True)


def open_kept(app, client, url: str, *, rendered: bool = False, hits: int | None = None, fresh: int = 0) -> str:
    """The page opened again: its parts must come from the kept fragments. `rendered`: a part changed since
    may be rendered anew (the others still kept); `hits`: exactly this many fragments served kept; `fresh`: at
    most this many parts are new at every opening (a case page's log gains the line of its own opening)."""
    cache = fragments(app)
    before, misses = cache.hits, cache.misses
    page = open_page(client, url)
    assert cache.hits > before, "every part was rendered afresh, none kept"
    assert hits is None or cache.hits == before + hits, (cache.hits - before, hits)
    assert rendered or cache.misses <= misses + fresh, "a part was rendered afresh, not kept"
    return page


def assert_no_country_gets_anothers(app, views: list[tuple], *, part: Callable[[str], str] = str,
                                    hits: int | None = None, fresh: int = 0) -> None:
    """`views`: two countries' (client, url of its own page, texts its kept `part` shows, texts its page
    must not show: the other's). Both are opened, then opened again from the kept fragments: each shows its
    own, nothing of the other's, and neither client gets the other's page (404)."""
    for client, url, _, _ in views:
        open_page(client, url)
    for client, url, shows, hides in views:
        page = open_kept(app, client, url, hits=hits, fresh=fresh)
        assert all(text in part(page) for text in shows), (url, shows)
        assert not any(text in page for text in hides), (url, hides)
    (first, first_url, _, _), (second, second_url, _, _) = views
    assert first.get(second_url).status_code == 404 and second.get(first_url).status_code == 404
