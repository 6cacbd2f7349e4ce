"""Several hosts, one queue: two web processes and one `spoc worker` on Redis storage (PostgreSQL pass,
with SPOC_TEST_REDIS_URL set, as .ci/run does). A user created through either web process gets the
welcome mail from the one worker."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from sqlalchemy import func, select

from portal.mail import OutboxMessage
from tests.conftest import PASSWORD
from tests.hardening.servers import SPOC, Server
from tests.portal import smtp_server

REDIS = os.environ.get("SPOC_TEST_REDIS_URL", "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies and CSRF tokens over plain HTTP, as a browser sends them."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, float]:
        _, page = self.get(path)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"',
                          page)
        body = urllib.parse.urlencode({**data, "csrf_token": token.group(1) or token.group(2)}).encode()
        started = time.monotonic()
        try:
            request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - http://127.0.0.1 only
            with self.opener.open(request, timeout=30) as r:
                return r.status, time.monotonic() - started
        except urllib.error.HTTPError as e:
            return e.code, time.monotonic() - started


@pytest.mark.skipif(not REDIS, reason="SPOC_TEST_REDIS_URL is not set (the PostgreSQL pass of .ci/run sets it)")
def test_two_web_processes_and_one_worker_share_a_redis_queue(app, make_user, tmp_path, monkeypatch):
    url = app.config["DATABASE_URL"]
    if not url.startswith("postgresql"):
        pytest.skip("several hosts share a PostgreSQL database")
    inbox = smtp_server.Inbox(delay=2)  # a slow mail server: requests must not wait for it
    controller = smtp_server.start(inbox)
    admin = make_user("admin")
    for key, value in {"SPOC_QUEUE_URL": REDIS, "SPOC_QUEUE_NAME": f"spoc-test-{uuid.uuid4().hex[:8]}",
                       "SPOC_MAIL_SERVER": "127.0.0.1", "SPOC_MAIL_PORT": str(controller.port)}.items():
        monkeypatch.setenv(key, value)
    webs = [Server(url, tmp_path / f"web{i}") for i in range(2)]
    worker = None
    try:
        for web in webs:
            web.start()
        with open(tmp_path / "worker.log", "wb") as log:
            worker = subprocess.Popen([SPOC, "worker"], env=webs[0].env, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        created = []
        for i, web in enumerate(webs):
            browser = Browser(f"http://127.0.0.1:{web.port}")
            assert browser.post("/login", {"email": admin.email, "password": PASSWORD})[0] == 302
            email = f"redis.{i}.{uuid.uuid4().hex[:6]}@test.invalid"
            status, took = browser.post("/admin/users/new", {"email": email, "name": f"Redis {i}", "role": "respondent",
                                                             "country_code": "BE", "agency_code": ""})
            assert status == 302 and took < 1.5  # answered without waiting for the 2-s mail server
            created.append(email)
        end = time.monotonic() + 60
        while time.monotonic() < end and not set(created) <= set(inbox.recipients()):
            time.sleep(0.2)
        assert set(created) <= set(inbox.recipients()), (tmp_path / "worker.log").read_text()[-2000:]
        database = app.extensions["spoc_db"]

        def unsent() -> int:
            with database.read_session() as s:
                return s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None)))

        # the server records a message before it answers 250; the worker marks it sent once it has the
        # answer and has closed the session: a moment later (this test once read the outbox in between)
        while time.monotonic() < end and unsent():
            time.sleep(0.2)
        assert unsent() == 0, (tmp_path / "worker.log").read_text()[-2000:]
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(20)
        for web in webs:
            web.stop()
        controller.stop()
