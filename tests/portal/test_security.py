"""portal.security: the login throttle's counters (shared by the hosts through Redis) and the session
cookie's signer (made once per secret key, so a key rotation still ends the sessions it signed)."""

from __future__ import annotations

import os
import uuid

import pytest

from portal import create_app
from portal.security import login_blocked, record_login_failure

REDIS = os.environ.get("SPOC_TEST_REDIS_URL", "")


def _host(tmp_path, name: str, storage: str):
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path / name}.db", "INSTANCE_PATH": str(tmp_path / name),
                       "SECRET_KEY": "k" * 40, "MAIL_SERVER": "", "RATELIMIT_STORAGE_URI": storage,
                       "LOGIN_ATTEMPTS_PER_MINUTE": 3})


@pytest.mark.skipif(not REDIS, reason="SPOC_TEST_REDIS_URL is not set (the PostgreSQL pass of .ci/run sets it)")
def test_failed_logins_count_on_every_host_sharing_redis(tmp_path):
    one, two = _host(tmp_path, "one", REDIS), _host(tmp_path, "two", REDIS)
    email = f"{uuid.uuid4().hex}@throttle.invalid"  # counters of its own in the shared store
    for _ in range(3):
        with one.test_request_context("/login", method="POST"):
            assert not login_blocked(one, email)
            record_login_failure(one, email)
    with two.test_request_context("/login", method="POST"):
        assert login_blocked(two, email)  # the failures made on the first host count on the second
    with one.test_request_context("/login", method="POST"):
        assert not login_blocked(one, f"other-{email}")


def test_hosts_without_a_shared_store_count_their_own_failures(tmp_path):
    one, two = _host(tmp_path, "one", "memory://"), _host(tmp_path, "two", "memory://")
    for _ in range(3):
        with one.test_request_context("/login", method="POST"):
            record_login_failure(one, "someone@throttle.invalid")
    with one.test_request_context("/login", method="POST"):
        assert login_blocked(one, "someone@throttle.invalid")
    with two.test_request_context("/login", method="POST"):
        assert not login_blocked(two, "someone@throttle.invalid")


def test_a_new_secret_key_ends_the_sessions_the_old_one_signed_unless_kept_as_fallback(app, login_as):
    client, _ = login_as("secretariat")
    assert client.get("/account").status_code == 200
    old = app.secret_key
    try:
        app.config.update(SECRET_KEY="n" * 40, SECRET_KEY_FALLBACKS=[old])
        app.secret_key = "n" * 40
        assert client.get("/account").status_code == 200  # the old key still verifies, as a fallback
        app.config.update(SECRET_KEY_FALLBACKS=[])
        page = client.get("/account")
        assert page.status_code == 302 and "/login" in page.headers["Location"]
    finally:
        app.config.update(SECRET_KEY=old, SECRET_KEY_FALLBACKS=[])
        app.secret_key = old
