"""Layout, security headers, error pages, health check, cookies."""

from __future__ import annotations

import re


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok", "database": "ok"}


def test_security_headers_on_pages(client):
    r = client.get("/login")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"]


def test_no_inline_script_and_no_external_asset(client, make_user):
    client.login(make_user("secretariat").email)
    for url in ("/", "/directory", "/directory/", "/account", "/login"):
        page = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", page), url


def test_local_assets_are_served(client):
    page = client.get("/login").get_data(as_text=True)
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert client.get(url).status_code == 200, url


def test_session_cookie_flags(client, make_user):
    r = client.login(make_user("officer", "BE").email)
    cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_error_pages_are_in_the_layout(client, make_user):
    client.login(make_user("officer", "BE").email)
    r = client.get("/no/such/page")
    body = r.get_data(as_text=True)
    assert r.status_code == 404 and "Page not found" in body and "navbar" in body


def test_pages_need_login(client):
    r = client.get("/directory/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
