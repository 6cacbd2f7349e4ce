"""Second factor, lockout, idle timeout and re-authentication before sensitive actions."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from portal.accounts.models import User
from tests.conftest import PASSWORD, PortalClient


def _enable_totp(c: PortalClient, db, user) -> pyotp.TOTP:
    page = c.get("/account/2fa").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # the QR code, served inline as an image
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    totp = pyotp.TOTP(secret)
    r = c.post_form("/account/2fa", {"code": "000000" if totp.now() != "000000" else "111111"})
    assert r.status_code == 422 and "not right" in r.get_data(as_text=True)  # refused input: 422, as every form
    assert c.post_form("/account/2fa", {"code": totp.now()}).status_code == 302
    db.rollback()
    assert db.get(User, user.id).totp_enabled
    return totp


def test_totp_login_needs_the_code(app, login_as, db):
    c, user = login_as("officer", "BE")
    totp = _enable_totp(c, db, user)
    fresh = PortalClient(app.test_client())
    r = fresh.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert r.headers["Location"].endswith("/login/verify")
    assert fresh.get("/").status_code == 302  # not logged in yet
    r = fresh.post_form("/login/verify", {"code": "123456" if totp.now() != "123456" else "654321"})
    assert "not right" in r.get_data(as_text=True)
    # a code is accepted once: the one used to confirm the set-up does not work again
    code = totp.at(time.time() + 30)  # next step, not used yet
    assert fresh.post_form("/login/verify", {"code": code}).status_code == 302
    assert fresh.get("/").status_code == 200
    replay = PortalClient(app.test_client())
    replay.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert "not right" in replay.post_form("/login/verify", {"code": code}).get_data(as_text=True)


def test_totp_mandatory_for_case_roles_when_configured(app, login_as):
    app.config["TOTP_REQUIRED_FOR_CASE_ROLES"] = True
    try:
        c, _ = login_as("officer", "BE")
        r = c.get("/directory")
        assert r.status_code == 302 and r.headers["Location"].endswith("/account/2fa")
        other, _ = login_as("secretariat")
        assert other.get("/directory").status_code == 200  # not a case-management role
    finally:
        app.config["TOTP_REQUIRED_FOR_CASE_ROLES"] = False


def test_account_locks_after_repeated_failures(app, make_user, db):
    app.config["LOCKOUT_THRESHOLD"] = 3
    try:
        user = make_user("officer", "NL")
        c = PortalClient(app.test_client())
        for _ in range(3):
            c.post_form("/login", {"email": user.email, "password": "wrong-password-x"})
        r = c.post_form("/login", {"email": user.email, "password": PASSWORD})
        assert r.status_code == 200 and "locked" in r.get_data(as_text=True)
        db.rollback()
        assert db.scalar(select(User).where(User.id == user.id)).locked_until is not None
    finally:
        app.config["LOCKOUT_THRESHOLD"] = 10


def test_idle_session_ends(login_as):
    c, _ = login_as("officer", "BE")
    assert c.get("/directory").status_code == 200
    with c.client.session_transaction() as s:
        s["seen"] = time.time() - 31 * 60
    r = c.get("/directory")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert c.get("/account").status_code == 302


def test_sensitive_action_needs_a_recent_login(login_as):
    c, _ = login_as("officer", "BE")
    with c.client.session_transaction() as s:
        s["auth_at"] = time.time() - 11 * 60
    r = c.post_form("/account/tokens", {"name": "late"}, headers={"Referer": "http://localhost/account"})
    assert r.status_code == 302 and "/reauth" in r.headers["Location"]
    r = c.post_form("/reauth?next=/account", {"password": "wrong-password-1"})
    assert "not right" in r.get_data(as_text=True)
    r = c.post_form("/reauth?next=/account", {"password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/account"
    page = c.post_form("/account/tokens", {"name": "now"}).get_data(as_text=True)
    assert 'id="new-token"' in page


def test_logout_ends_the_session_on_the_server(app, login_as):
    c, user = login_as("officer", "BE")
    assert c.get("/directory").status_code == 200
    thief = app.test_client()
    with c.client.session_transaction() as copied, thief.session_transaction() as stolen:
        stolen.update(dict(copied))  # a copy of the cookie taken before the logout
    assert thief.get("/directory").status_code == 200
    c.post_form("/logout")
    r = thief.get("/directory")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_many_accounts_tried_from_one_address_are_throttled(app, make_user):
    users = [make_user("officer", "BE") for _ in range(3)]
    c = PortalClient(app.test_client())
    statuses = []
    for i in range(40):  # 40 different accounts (known and unknown), one wrong password each
        email = users[i % 3].email if i % 2 else f"nobody{i}@example.invalid"
        statuses.append(c.post_form("/login", {"email": email, "password": "wrong-password-x"}).status_code)
    assert 429 in statuses
    assert statuses.index(429) <= app.config["LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE"]
    # the right password from the same address waits too
    r = c.post_form("/login", {"email": users[0].email, "password": PASSWORD})
    assert r.status_code == 429


def test_the_lockout_message_is_the_same_for_unknown_and_existing_accounts(app, make_user):
    app.config.update(LOCKOUT_THRESHOLD=3, LOGIN_ATTEMPTS_PER_MINUTE=100)
    try:
        user = make_user("officer", "NL")
        pages = {}
        for email in (user.email, "no.such.user@example.invalid"):
            c = PortalClient(app.test_client())
            for _ in range(3):
                c.post_form("/login", {"email": email, "password": "wrong-password-x"})
            r = c.post_form("/login", {"email": email, "password": "wrong-password-x"})
            pages[email] = (r.status_code, re.search(r'invalid-feedback[^>]*>([^<]+)<', r.get_data(as_text=True))
                            .group(1).strip())
        assert pages[user.email] == pages["no.such.user@example.invalid"]
        assert "locked" in pages[user.email][1]
    finally:
        app.config.update(LOCKOUT_THRESHOLD=10, LOGIN_ATTEMPTS_PER_MINUTE=5)


def test_wrong_totp_codes_lock_the_account(app, login_as, db):
    c, user = login_as("officer", "BE")
    totp = _enable_totp(c, db, user)
    app.config.update(LOCKOUT_THRESHOLD=3, LOGIN_ATTEMPTS_PER_MINUTE=100)
    try:
        fresh = PortalClient(app.test_client())
        fresh.post_form("/login", {"email": user.email, "password": PASSWORD})
        wrong = "123456" if totp.now() != "123456" else "654321"
        for _ in range(3):
            fresh.post_form("/login/verify", {"code": wrong})
        db.rollback()
        assert db.get(User, user.id).locked_until is not None
        again = PortalClient(app.test_client())
        r = again.post_form("/login", {"email": user.email, "password": PASSWORD})
        assert r.status_code == 200 and "locked" in r.get_data(as_text=True)
    finally:
        app.config.update(LOCKOUT_THRESHOLD=10, LOGIN_ATTEMPTS_PER_MINUTE=5)


def test_a_session_ends_12_hours_after_its_login_however_active(login_as):
    c, _ = login_as("officer", "BE")
    with c.client.session_transaction() as s:
        s["started"] = time.time() - 12 * 3600 - 60
        s["seen"] = time.time()  # active a moment ago
    r = c.get("/directory")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert c.get("/account").status_code == 302
