"""The bar keeps the account (name, language switcher, log out) inside it at desktop widths, in every language."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD


def _inside(inner: dict, outer: dict) -> bool:
    return (inner["x"] >= outer["x"] - 0.5 and inner["y"] >= outer["y"] - 0.5
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5)


@pytest.mark.parametrize("role,width", [("secretariat", 1440), ("secretariat", 1280), ("officer", 1280)])
def test_the_account_area_stays_in_the_bar(page, live_server, make_user, shot, role, width):
    """At 1440 px a secretariat user's language select was an empty box and "Log out" lay beyond the bar."""
    user = make_user(role, "BE" if role == "officer" else None,
                     email=f"{role}.{width}@council-secretariat.browser.invalid")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, user.email, PASSWORD)
    for lang in ("en", "fr", "de"):
        page.goto(live_server + ("/meetings/" if lang == "fr" else "/"))
        shot(f"navbar-{role}-{width}-{lang}")
        bar = page.locator("nav.navbar").bounding_box()
        logout = page.locator("nav.navbar form[action$='/logout'] button")
        assert logout.is_visible()
        assert _inside(logout.bounding_box(), bar), (lang, logout.bounding_box(), bar)
        select = page.locator("#page-language")
        box = select.bounding_box()
        assert box and _inside(box, bar)
        chosen = select.evaluate("s => s.options[s.selectedIndex].text")
        assert chosen == {"en": "English", "fr": "Français", "de": "Deutsch"}[lang]
        # the chosen language's name is not cut: the select is at least as wide as its text needs
        assert select.evaluate("s => s.scrollWidth <= s.clientWidth + 1"), (lang, box)
        account = page.locator("nav.navbar a[href$='/account']")
        assert _inside(account.bounding_box(), bar)
        if lang != "de":
            with page.expect_navigation():  # the switcher submits itself
                page.select_option("#page-language", {"en": "fr", "fr": "de"}[lang])
