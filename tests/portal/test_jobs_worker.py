"""A real `spoc worker` process on the SQLite queue: it sends what the web queued, and a worker
killed with SIGKILL in the middle of 200 invitations loses none of them once a worker runs again."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.mail import OutboxMessage
from tests.portal import smtp_server

SECRET = "worker-test-secret-key-0123456789abcdef"


@pytest.fixture
def smtp():
    inbox = smtp_server.Inbox(delay=0.01)
    controller = smtp_server.start(inbox)
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def queued_app(app, tmp_path, smtp):
    """An app like production's (not TESTING: a real SQLite queue in its instance folder) on the tests'
    database, and the environment that makes `spoc worker` use the same database and queue."""
    _, port = smtp
    env = dict(os.environ, SPOC_DATABASE_URL=app.config["DATABASE_URL"], SPOC_INSTANCE_PATH=str(tmp_path / "inst"),
               SPOC_SECRET_KEY=SECRET, SPOC_MAIL_SERVER="127.0.0.1", SPOC_MAIL_PORT=str(port),
               SPOC_MAIL_CLAIM_SECONDS="3", SPOC_BASE_URL="http://portal.test")
    real = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "INSTANCE_PATH": str(tmp_path / "inst"),
                       "SECRET_KEY": SECRET, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                       "BASE_URL": "http://portal.test"})
    yield real, env
    real.extensions["spoc_db"].dispose()


class Worker:
    def __init__(self, env, log_path):
        self.log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([sys.executable, "-m", "portal.cli", "worker", "--workers", "2"], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.log.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def _pending(database) -> int:
    with database.read_session() as s:
        return s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None)))


def _wait(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _invite_round(app, make_user, respondents: int) -> list[str]:
    """Open a questionnaire round for every country with RESPONDENTS respondents in all; the invitations
    are queued in the round's transaction and enqueued after its commit."""
    from questionnaires.services import rounds, versions
    from tests.questionnaires.conftest import MINI, load_definition

    codes = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT",
             "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "CH", "IS", "LI", "NO"]
    emails = [make_user("respondent", codes[i % len(codes)]).email for i in range(respondents)]
    with app.app_context(), app.extensions["spoc_db"].unit_of_work() as session:
        version = versions.publish_definition(session, load_definition(MINI)).version
        round_ = rounds.open_round(session, version, title="Worker round", countries=codes, actor=None,
                                   deadline=dt.date.today() + dt.timedelta(days=20))
        invited = rounds.invite(session, round_, rounds.Links("http://portal.test", 72))
    assert sorted(invited) == sorted(emails)
    return emails


def test_a_real_worker_sends_the_mail_a_committed_transaction_queued(queued_app, smtp, make_user, tmp_path):
    real, env = queued_app
    inbox, _ = smtp
    emails = _invite_round(real, make_user, 5)
    queue = real.extensions["spoc_jobs"]
    assert queue.huey.pending_count() == 1  # in the queue's storage once the commit returned; nothing sent yet
    assert inbox.messages == [] and _pending(real.extensions["spoc_db"]) == 5
    worker = Worker(env, tmp_path / "worker.log")
    try:
        assert _wait(lambda: _pending(real.extensions["spoc_db"]) == 0, 60), (tmp_path / "worker.log").read_text()
    finally:
        worker.stop()
    assert sorted(inbox.recipients()) == sorted(emails)
    assert all(msg["Subject"] == "Questionnaire: Worker round" for _, msg in inbox.messages)
    assert queue.huey.pending_count() == 0


def test_a_worker_killed_mid_batch_loses_no_mail(queued_app, smtp, make_user, tmp_path):
    real, env = queued_app
    inbox, _ = smtp
    database = real.extensions["spoc_db"]
    emails = _invite_round(real, make_user, 200)
    worker = Worker(env, tmp_path / "worker.log")
    try:
        assert _wait(lambda: len(inbox.messages) >= 20, 60), (tmp_path / "worker.log").read_text()
    finally:
        worker.kill()  # SIGKILL: no clean-up of any kind
    delivered_at_kill = len(inbox.messages)
    assert delivered_at_kill < 200 and _pending(database) > 0, "the worker finished before it was killed"

    worker = Worker(env, tmp_path / "worker2.log")
    try:
        assert _wait(lambda: _pending(database) == 0 and set(inbox.recipients()) >= set(emails), 90), \
            f"{_pending(database)} pending: " + (tmp_path / "worker2.log").read_text()[-2000:]
    finally:
        worker.stop()
    got = inbox.recipients()
    assert set(got) == set(emails)  # every invitation delivered
    # at least once: only a message in the SMTP exchange at the kill can go out twice
    assert len(got) - len(emails) <= 2
    with database.read_session() as s:
        assert s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))) == 0
        assert s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.claimed_at.is_not(None))) == 0
