"""Login, logout, CSRF, throttling, passwords, tokens and user administration."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.accounts.models import ApiToken, OneTimeLink, User
from portal.mail import OutboxMessage
from tests.conftest import PASSWORD, PortalClient


def test_login_page_has_labelled_fields(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<label class="form-label" for="email">Email</label>' in page
    assert 'name="password"' in page and 'type="password"' in page


def test_login_then_dashboard_then_logout(client, make_user):
    user = make_user("secretariat")
    r = client.login(user.email)
    assert r.headers["Location"].endswith("/")
    home = client.get("/")
    assert home.status_code == 200 and user.email in home.get_data(as_text=True)
    assert client.post_form("/logout").status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_login_without_csrf_token_is_400(client, make_user):
    user = make_user("secretariat")
    r = client.client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert r.status_code == 400
    assert "Bad request" in r.get_data(as_text=True)


def test_logout_by_get_is_not_allowed(client, make_user):
    client.login(make_user("officer", "BE").email)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_wrong_password_keeps_typed_email_and_says_why(client, make_user):
    user = make_user("officer", "BE")
    r = client.post_form("/login", {"email": user.email, "password": "wrong-one-xx"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "The email or password is not right." in body
    assert f'value="{user.email}"' in body
    assert 'id="password-error"' in body


def test_sixth_attempt_within_a_minute_is_429_even_with_the_right_password(client, make_user):
    user = make_user("officer", "NL")
    codes = [client.post_form("/login", {"email": user.email, "password": "nope-nope-nope"}).status_code
             for _ in range(5)]
    assert codes == [200] * 5
    assert client.post_form("/login", {"email": user.email, "password": PASSWORD}).status_code == 429
    # another account is not affected
    other = make_user("officer", "NL")
    assert client.post_form("/login", {"email": other.email, "password": PASSWORD}).status_code == 302


def test_deactivated_user_cannot_log_in_and_is_logged_out(app, client, make_user, login_as):
    admin_client, admin = login_as("admin")
    user = make_user("respondent", "BE")
    victim = PortalClient(app.test_client())
    victim.login(user.email)
    assert victim.get("/account").status_code == 200
    r = admin_client.post_form(f"/admin/users/{user.id}/active", {"active": "0"})
    assert r.status_code == 302
    assert victim.get("/account").status_code == 302  # the open session ended
    r = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert r.status_code == 200 and "not right" in r.get_data(as_text=True)
    admin_client.post_form(f"/admin/users/{user.id}/active", {"active": "1"})
    client.login(user.email)


def test_change_password_checks_current_and_policy(login_as, app, db):
    c, user = login_as("officer", "BE")
    r = c.post_form("/account/password", {"current_password": "bad", "new_password": "Another-long-pass-1",
                                          "confirm": "Another-long-pass-1"})
    assert r.status_code == 422 and "current password is not right" in r.get_data(as_text=True)
    r = c.post_form("/account/password", {"current_password": PASSWORD, "new_password": "short",
                                          "confirm": "short"})
    assert "at least 10 characters" in r.get_data(as_text=True)
    r = c.post_form("/account/password", {"current_password": PASSWORD, "new_password": "password123",
                                          "confirm": "password123"})
    assert "too common" in r.get_data(as_text=True)
    r = c.post_form("/account/password", {"current_password": PASSWORD, "new_password": "Another-long-pass-1",
                                          "confirm": "Another-long-pass-1"})
    assert r.status_code == 302
    assert c.get("/account").status_code == 200  # this session stays
    fresh = PortalClient(app.test_client())
    fresh.login(user.email, "Another-long-pass-1")


def test_admin_creates_user_who_sets_password_by_one_time_link(app, login_as, db):
    admin_c, _ = login_as("admin")
    r = admin_c.post_form("/admin/users/new", {"email": "New.Person@Example.invalid", "name": "New Person",
                                               "role": "respondent", "country_code": "LT", "agency_code": ""})
    assert r.status_code == 302
    user = db.scalar(select(User).where(User.email == "new.person@example.invalid"))
    assert user.country_code == "LT" and user.password_hash is None
    mail = db.scalars(select(OutboxMessage)).all()
    assert len(mail) == 1 and mail[0].to == ["new.person@example.invalid"]
    link = re.search(r"http://portal.test(/set-password/\S+)", mail[0].body).group(1)
    anon = PortalClient(app.test_client())
    page = anon.get(link)
    assert page.status_code == 200 and "new.person@example.invalid" in page.get_data(as_text=True)
    r = anon.post_form(link, {"new_password": "Lithuania-spoc-2026", "confirm": "Lithuania-spoc-2026"})
    assert r.status_code == 302
    assert anon.get(link).status_code == 404  # single use
    anon.login("new.person@example.invalid", "Lithuania-spoc-2026")


def test_expired_link_is_refused(app, make_user, db):
    import datetime as dt

    from portal.accounts import services

    user = make_user("respondent", "BE")
    raw = services.create_one_time_link(db, db.merge(user), hours=1)
    db.scalar(select(OneTimeLink)).expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.commit()
    assert PortalClient(app.test_client()).get(f"/set-password/{raw}").status_code == 404


@pytest.mark.parametrize("role,country,agency,error", [
    ("officer", "", "", "belongs to one country"),
    ("observer", "", "", "belongs to one EU agency or international organisation"),
])
def test_admin_form_requires_the_right_scope_and_keeps_values(login_as, db, role, country, agency, error):
    admin_c, _ = login_as("admin")
    r = admin_c.post_form("/admin/users/new", {"email": "x@example.invalid", "name": "Typed Name", "role": role,
                                               "country_code": country, "agency_code": agency})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and error in body and 'value="Typed Name"' in body
    assert db.scalar(select(User).where(User.email == "x@example.invalid")) is None


def test_admin_changes_role_and_country(login_as, make_user, db):
    admin_c, _ = login_as("admin")
    user = make_user("respondent", "BE")
    r = admin_c.post_form(f"/admin/users/{user.id}", {"name": "Moved", "role": "officer", "country_code": "NL",
                                                      "agency_code": ""})
    assert r.status_code == 302
    db.rollback()
    changed = db.get(User, user.id)
    assert (changed.role, changed.country_code, changed.name) == ("officer", "NL", "Moved")


@pytest.mark.parametrize("role", ["secretariat", "head_of_spoc", "officer", "dpo", "observer"])
def test_only_admin_manages_users(login_as, make_user, role):
    c, _ = login_as(role, None if role in ("secretariat", "observer") else "BE")
    target = make_user("respondent", "BE")
    assert c.get("/admin/users").status_code == 404
    assert c.get(f"/admin/users/{target.id}").status_code == 404
    assert c.post_form(f"/admin/users/{target.id}/active", {"active": "0"}).status_code == 404


def test_token_created_listed_and_revoked(login_as, db):
    c, user = login_as("officer", "BE")
    page = c.post_form("/account/tokens", {"name": "stats"}).get_data(as_text=True)
    raw = re.search(r'id="new-token">(spoc_[^<]+)<', page).group(1)
    api = c.application.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    token = db.scalar(select(ApiToken))
    assert token.token_hash != raw and raw not in token.token_hash  # stored hashed
    assert "stats" in c.get("/account").get_data(as_text=True)
    assert c.post_form(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_cannot_revoke_someone_elses_token(login_as, api, make_user, db):
    other = make_user("officer", "NL")
    api(other)
    token = db.scalar(select(ApiToken))
    c, _ = login_as("officer", "BE")
    assert c.post_form(f"/account/tokens/{token.id}/revoke").status_code == 404
    db.refresh(token)
    assert token.revoked_at is None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    "/\t/evil.example/", "javascript:alert(1)"])
def test_open_redirect_is_ignored(client, make_user, target):
    """Another site, or what a browser reads as one (a backslash, a tab inside), is never a redirect target
    (portal.security.local_target, the one check)."""
    user = make_user("officer", "BE")
    r = client.post_form("/login", {"email": user.email, "password": PASSWORD}, query_string={"next": target})
    assert r.headers["Location"] == "/"


def test_a_local_next_is_followed_after_login(client, make_user):
    user = make_user("officer", "BE")
    r = client.post_form("/login", {"email": user.email, "password": PASSWORD}, query_string={"next": "/cases?x=1"})
    assert r.headers["Location"] == "/cases?x=1"


def test_a_password_change_revokes_the_users_api_tokens(login_as, api):
    c, user = login_as("officer", "BE")
    token = api(user)
    assert token.get("/api/v1/me").status_code == 200
    r = c.post_form("/account/password", {"current_password": PASSWORD, "new_password": "Another-long-pass-1",
                                          "confirm": "Another-long-pass-1"})
    assert r.status_code == 302
    assert token.get("/api/v1/me").status_code == 401
    assert "revoked" in c.get("/account").get_data(as_text=True)


def test_tokens_do_not_come_back_when_a_user_is_enabled_again(login_as, make_user, api):
    admin, _ = login_as("admin")
    user = make_user("officer", "NL")
    token = api(user)
    admin.post_form(f"/admin/users/{user.id}/active", {"active": "0"})
    assert token.get("/api/v1/me").status_code == 401
    admin.post_form(f"/admin/users/{user.id}/active", {"active": "1"})
    assert token.get("/api/v1/me").status_code == 401


def test_a_token_expires_after_its_lifetime_shown_on_the_account_page(app, login_as, api, db):
    import datetime as dt

    from portal.accounts.models import ApiToken
    from portal.db import utcnow

    c, user = login_as("officer", "BE")
    token = api(user)
    db.rollback()
    stored = db.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert dt.timedelta(days=89) < stored.expires_at - utcnow() <= dt.timedelta(days=90)
    page = c.get("/account").get_data(as_text=True)
    assert "Expires" in page and "valid 90 days" in page
    stored.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.commit()
    assert token.get("/api/v1/me").status_code == 401
    assert "expired" in c.get("/account").get_data(as_text=True)


def test_the_user_list_says_never_for_a_user_who_has_not_logged_in(login_as, make_user):
    admin_c, _ = login_as("admin")
    waiting = make_user("officer", "BE", email="nadia.newcomer@police.example")
    page = admin_c.get("/admin/users").get_data(as_text=True)
    row = page[page.index("nadia.newcomer@police.example"):]
    row = row[:row.index("</tr>")]
    assert ">never</span>" in row, row  # not an empty cell
    assert waiting.last_login_at is None
