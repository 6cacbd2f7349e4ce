"""The task queue as users notice it (jobs run immediately under TESTING): mail leaves after the
commit and never for rolled-back work, a refused message is retried with back-off, jobs that keep
failing are listed on /admin/jobs to be retried or dropped (audit-logged), the schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal import jobs
from portal.audit import AuditEntry
from portal.jobs.models import JobFailure
from portal.mail import OutboxMessage, queue_mail
from tests.portal import smtp_server


@pytest.fixture
def smtp(app):
    inbox = smtp_server.Inbox()
    controller = smtp_server.start(inbox)
    old = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield inbox
    app.config.update(old)
    controller.stop()


def test_creating_a_user_mails_the_link_after_the_commit(app, smtp, login_as, db):
    admin, _ = login_as("admin")
    r = admin.post_form("/admin/users/new", {"email": "new.one@test.invalid", "name": "New One",
                                             "role": "respondent", "country_code": "BE", "agency_code": ""})
    assert r.status_code == 302
    assert smtp.recipients() == ["new.one@test.invalid"]
    assert "http://portal.test/set-password/" in smtp.messages[0][1].get_payload(decode=True).decode()
    msg = db.scalar(select(OutboxMessage).where(OutboxMessage.subject == "Your spoc-portal account"))
    assert msg.sent_at is not None and msg.attempts == 1 and msg.claimed_at is None


def test_nothing_is_mailed_for_work_that_was_rolled_back(app, smtp, db):
    database = app.extensions["spoc_db"]
    with app.app_context(), database.write_session() as session:
        queue_mail(session, "nobody@test.invalid", "Never", "rolled back")
        session.flush()
        session.rollback()
    with app.app_context(), database.unit_of_work() as session:
        queue_mail(session, "somebody@test.invalid", "Kept", "committed")
    assert smtp.recipients() == ["somebody@test.invalid"]
    assert [m.subject for m in db.scalars(select(OutboxMessage))] == ["Kept"]


def test_a_refused_message_stays_queued_and_is_retried_with_back_off(app, db):
    inbox = smtp_server.Inbox(refuse=True)
    controller = smtp_server.start(inbox)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    queue = app.extensions["spoc_jobs"]
    queue.huey.flush()
    try:
        with app.app_context(), app.extensions["spoc_db"].unit_of_work() as session:
            queue_mail(session, "refused@test.invalid", "Refused", "body")
            queue_mail(session, "refused2@test.invalid", "Refused too", "body")
        rows = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(m.sent_at, m.attempts) for m in rows] == [(None, 1), (None, 1)]  # each tried on its own
        assert "550" in rows[0].last_error and rows[0].claimed_at is None
        (retry,) = queue.huey.scheduled()
        first = (retry.eta - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds()
        assert 25 < first <= 30
        left = retry.retries
        queue.huey.storage.flush_schedule()
        queue.huey.execute(retry, timestamp=retry.eta)  # its time came; it fails again: the next waits twice as long
        (again,) = queue.huey.scheduled()
        second = (again.eta - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds()
        assert 55 < second <= 60 and again.retries == left - 1
        db.rollback()
        assert [m.attempts for m in db.scalars(select(OutboxMessage))] == [2, 2]
        inbox.refuse = False
        queue.huey.storage.flush_schedule()
        queue.huey.execute(again, timestamp=again.eta)
        assert sorted(inbox.recipients()) == ["refused2@test.invalid", "refused@test.invalid"]
        assert db.scalar(select(JobFailure)) is None
    finally:
        queue.huey.flush()
        app.config.update(MAIL_SERVER="")
        controller.stop()


@pytest.fixture
def flaky_job(app):
    """A job declared like any other that fails the first time it runs (no retries)."""
    calls = []

    @jobs.job("test.flaky", retries=0)
    def flaky(value):
        calls.append(value)
        if len(calls) == 1:
            raise RuntimeError("the archive server did not answer")

    old = app.extensions["spoc_jobs"]
    app.extensions["spoc_jobs"] = jobs.Queue(app)
    yield calls
    app.extensions["spoc_jobs"] = old
    jobs.JOBS.pop("test.flaky", None)


def test_a_job_that_keeps_failing_is_listed_for_the_administrator_and_can_be_retried(app, flaky_job, login_as, db):
    with app.app_context():
        jobs.enqueue("test.flaky", "x1")
    failure = db.scalar(select(JobFailure))
    assert (failure.kind, failure.args, failure.attempts) == ("test.flaky", ["x1"], 1)
    failure_id = failure.id
    admin, _ = login_as("admin")
    page = admin.get("/admin/jobs").get_data(as_text=True)
    assert "test.flaky" in page and "RuntimeError: the archive server did not answer" in page
    r = admin.post_form(f"/admin/jobs/{failure_id}/retry")
    assert r.status_code == 302
    assert flaky_job == ["x1", "x1"]  # ran again, and succeeded
    db.rollback()
    assert db.scalar(select(JobFailure)) is None
    entry = db.scalar(select(AuditEntry).where(AuditEntry.area == "jobs"))
    assert entry.object_id == str(failure_id) and entry.details["what"] == "retry"
    assert "No job has failed" in admin.get("/admin/jobs").get_data(as_text=True)


def test_a_failed_job_can_be_dropped_and_only_administrators_see_the_page(app, flaky_job, login_as, db):
    with app.app_context():
        jobs.enqueue("test.flaky", "x2")
    failure_id = db.scalar(select(JobFailure.id))
    secretariat, _ = login_as("secretariat")
    assert secretariat.get("/admin/jobs").status_code == 404
    assert secretariat.post_form(f"/admin/jobs/{failure_id}/drop").status_code == 404
    admin, _ = login_as("admin")
    assert admin.post_form("/admin/jobs/999999/drop").status_code == 404
    assert admin.post_form(f"/admin/jobs/{failure_id}/drop").status_code == 302
    assert flaky_job == ["x2"]  # not run again
    db.rollback()
    assert db.scalar(select(JobFailure)) is None
    entry = db.scalar(select(AuditEntry).where(AuditEntry.area == "jobs"))
    assert entry.details["what"] == "drop" and entry.details["kind"] == "test.flaky"


def test_the_schedule_keeps_case_deadlines_every_five_minutes_and_the_rest_daily(app):
    huey = app.extensions["spoc_jobs"].huey
    at = dt.datetime(2026, 12, 7, 10, 0)

    def fires(name, minutes):  # the minutes at which the worker's scheduler starts the job
        return [m for m in range(0, minutes)
                if name in {t.name for t in huey.read_periodic(at + dt.timedelta(minutes=m))}]

    assert fires("reminders.every_5_minutes", 60) == list(range(0, 60, 5))
    assert len(fires("reminders.daily", 24 * 60)) == 1
    assert len(fires("backup.nightly", 24 * 60)) == 1
    assert fires("mail.sweep", 15) == [0, 5, 10] and fires("crosscheck.sweep", 15) == [0, 5, 10]
    from casemgmt.services.reminders import deadline_reminders
    from portal.registry import registry

    reminders_for = registry(app).reminders_for
    assert deadline_reminders in reminders_for("5min") and deadline_reminders not in reminders_for("day")
    assert len(reminders_for("day")) >= 3  # questionnaires, meetings, training


def test_the_nightly_backup_writes_a_copy_when_a_folder_is_set(app, make_user, tmp_path):
    import shutil

    from portal.jobs.schedule import nightly_backup

    if app.config["DATABASE_URL"].startswith("postgresql") and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    make_user("admin")
    with app.app_context():
        assert nightly_backup() is None  # no SPOC_BACKUP_DIR: nothing
        app.config["BACKUP_DIR"] = str(tmp_path / "backups")
        try:
            path = nightly_backup()
        finally:
            app.config["BACKUP_DIR"] = ""
    assert path and (tmp_path / "backups").exists() and list((tmp_path / "backups").iterdir())
    assert (tmp_path / "backups" / path.rsplit("/", 1)[1]).stat().st_size > 0


def test_spoc_worker_exists_and_refuses_to_consume_an_immediate_queue(app):
    runner = app.test_cli_runner()
    assert "Run the task queue's consumer" in runner.invoke(args=["worker", "--help"]).output
    result = runner.invoke(args=["worker"])
    assert result.exit_code != 0 and "TESTING" in result.output


def test_spoc_mail_send_sends_what_waited_for_a_mail_server_even_after_the_worker_gave_up(app, db):
    from portal.mail.delivery import MAX_ATTEMPTS

    with app.app_context(), app.extensions["spoc_db"].unit_of_work() as session:
        queue_mail(session, "waiting@test.invalid", "Waited", "no mail server when it was queued")
        queue_mail(session, "given.up@test.invalid", "Given up", "tried too often")
    with app.extensions["spoc_db"].unit_of_work() as session:
        session.scalar(select(OutboxMessage).where(OutboxMessage.subject == "Given up")).attempts = MAX_ATTEMPTS
    inbox = smtp_server.Inbox()
    controller = smtp_server.start(inbox)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    try:
        result = app.test_cli_runner().invoke(args=["mail", "send"])
    finally:
        app.config.update(MAIL_SERVER="")
        controller.stop()
    assert "sent 2, failed 0" in result.output
    assert sorted(inbox.recipients()) == ["given.up@test.invalid", "waiting@test.invalid"]
    assert all(m.sent_at is not None for m in db.scalars(select(OutboxMessage)))
