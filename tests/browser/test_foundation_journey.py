"""Log in, see the directory, look at a country, log out — in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD


def test_login_directory_logout(page, live_server, make_user, shot):
    user = make_user("secretariat", email="secretariat@browser.invalid")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, live_server, user.email, PASSWORD)
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    page.get_by_role("link", name="Directory", exact=True).first.click()
    expect(page.get_by_role("heading", name="Directory of the network")).to_be_visible()
    expect(page.get_by_role("link", name="Lithuania")).to_be_visible()
    expect(page.get_by_text("eu-LISA", exact=False)).to_be_visible()
    shot("directory")
    page.get_by_role("link", name="Greece").click()
    expect(page.get_by_role("heading", name="Greece")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    assert not errors, errors  # no CSP violation or script error


def test_wrong_password_message_beside_the_field(page, live_server, make_user, shot):
    user = make_user("officer", "BE")
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#password-error")).to_have_text("The email or password is not right.")
    expect(page.get_by_label("Email")).to_have_value(user.email)
    shot("login-error")
