"""The task queue: every piece of background work runs here, in `spoc worker`, never in a request.

huey (a small, well-kept task queue with periodic tasks) stores the queue in SQLite in the
instance folder by default (`<instance>/jobs.db`) and in Redis when `SPOC_QUEUE_URL=redis://…`
is set (several app hosts, one queue). Under TESTING the queue is *immediate*: a job runs in the
caller as it is enqueued.

Domains declare their work once, at import time, with `@job(...)` and `@periodic(...)`; each app
builds its own huey instance from that registry (`init_app`), so tests with several apps do not
share a queue. A job runs inside an app context of the app that built the queue.

Nothing that must not be lost lives only in the queue: a job's state is in the database (a
message's `sent_at`, a cross-check run's `pending` status), and the worker sweeps it again when it
starts and every few minutes. A job that still fails after its retries (back-off doubling from
`retry_delay`) is written to `job_failures`, listed on /admin/jobs.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from huey import RedisHuey, SqliteHuey, crontab
from huey import signals as S  # noqa: N812 - huey's own spelling

log = logging.getLogger(__name__)

__all__ = ["job", "periodic", "crontab", "init_app", "enqueue", "enqueue_after_commit", "get_queue", "Queue"]
_AFTER_COMMIT = "jobs_after_commit"


@dataclass
class JobSpec:
    name: str
    fn: Callable
    retries: int = 5
    retry_delay: int = 30  # seconds before the first retry; doubled for each further one
    schedule: Callable | None = None  # periodic: huey crontab
    lock: bool = False  # periodic: never two runs at once (several workers, a slow run)


JOBS: dict[str, JobSpec] = {}
STARTUP: list[Callable] = []  # fn() run when a worker starts (in an app context): re-enqueue durable work


def job(name: str, *, retries: int = 5, retry_delay: int = 30):
    """Declare a job: `enqueue(name, *args)` runs fn(*args) in the worker (args JSON-friendly)."""
    def register(fn):
        JOBS[name] = JobSpec(name, fn, retries, retry_delay)
        return fn
    return register


def periodic(name: str, schedule, *, retries: int = 0):
    """Declare a periodic job (a huey crontab); the worker's scheduler runs it, one run at a time."""
    def register(fn):
        JOBS[name] = JobSpec(name, fn, retries, 60, schedule=schedule, lock=True)
        return fn
    return register


def on_worker_start(fn):
    if fn not in STARTUP:
        STARTUP.append(fn)
    return fn


def queue_name(config: dict) -> str:
    """One queue per database: a SQLite queue file or a Redis server shared by several portals keeps
    their jobs apart (SPOC_QUEUE_NAME overrides it, e.g. when hosts spell the database URL differently)."""
    if config.get("QUEUE_NAME"):
        return str(config["QUEUE_NAME"])
    return "spoc-" + hashlib.sha256(str(config["DATABASE_URL"]).encode()).hexdigest()[:12]


class Queue:
    """One app's huey instance and the tasks built from the registry."""

    def __init__(self, app):
        self.app = app
        config = app.config
        self.immediate = bool(config.get("TESTING")) and not config.get("QUEUE_REAL")
        url = str(config.get("QUEUE_URL") or "")
        name = queue_name(config)
        if self.immediate:
            self.huey = SqliteHuey(name, immediate=True, results=False)
            self.storage = "immediate"
        elif url.startswith(("redis://", "rediss://", "unix://")):
            self.huey = RedisHuey(name, url=url, results=False)
            self.storage = "redis"
        else:
            path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else os.path.join(
                app.instance_path, "jobs.db")
            self.huey = SqliteHuey(name, filename=path, results=False, timeout=30)
            self.storage = f"sqlite:{path}"
        self.tasks: dict = {}
        self._startup_lock = threading.Lock()
        self._swept = False
        for spec in JOBS.values():
            wrapped = self._in_app(spec.fn)
            if spec.schedule is not None:
                if spec.lock:
                    wrapped = self.huey.lock_task(f"periodic:{spec.name}")(wrapped)
                self.tasks[spec.name] = self.huey.periodic_task(spec.schedule, name=spec.name,
                                                                retries=spec.retries)(wrapped)
            else:
                self.tasks[spec.name] = self.huey.task(retries=spec.retries, retry_delay=spec.retry_delay,
                                                       retry_backoff=2, name=spec.name)(wrapped)
        self.huey.signal(S.SIGNAL_ERROR)(self._on_error)
        self.huey.on_startup("spoc-sweep")(self._on_startup)

    def _in_app(self, fn):
        app = self.app

        def run(*args, **kwargs):
            from flask import current_app, has_app_context

            if has_app_context() and current_app._get_current_object() is app:
                return fn(*args, **kwargs)
            with app.app_context():
                return fn(*args, **kwargs)

        run.__name__ = fn.__name__
        run.__doc__ = fn.__doc__
        return run

    def enqueue(self, name: str, *args, delay: float | None = None):
        """Put a job in the queue (in its storage before this returns); under TESTING, run it now."""
        task = self.tasks[name]
        if delay:
            return task.schedule(args=args, delay=delay)
        return task(*args)

    def run_startup(self) -> None:
        self._on_startup()

    def _on_startup(self) -> None:
        with self._startup_lock:  # huey calls it in every worker thread: sweep once per process
            if self._swept:
                return
            self._swept = True
        with self.app.app_context():
            for fn in STARTUP:
                try:
                    fn()
                except Exception:  # noqa: BLE001 - one sweep failing must not stop the worker
                    log.exception("worker start-up sweep %s failed", fn.__name__)

    def _on_error(self, signal, task, exc=None) -> None:
        if task.retries:  # huey will run it again (after the back-off)
            return
        from portal.jobs.models import record_failure

        spec = JOBS.get(task.name)
        try:
            with self.app.app_context():
                record_failure(self.app.extensions["spoc_db"], kind=task.name, args=list(task.args or ()),
                               attempts=(spec.retries if spec else 0) + 1, error=f"{type(exc).__name__}: {exc}")
        except Exception:  # noqa: BLE001
            log.exception("could not record the failure of job %s", task.name)

    def consumer(self, workers: int = 2, periodic_tasks: bool = True):
        # flush_locks: a worker killed while a periodic job held its lock would keep that job from ever
        # running again (the periodic jobs run on one worker only)
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic_tasks,
                                         initial_delay=0.05, backoff=1.5, max_delay=1.0,
                                         check_worker_health=True, health_check_interval=5,
                                         flush_locks=periodic_tasks)


def init_app(app) -> Queue:
    """Build the app's queue from the registry (after every domain declared its jobs)."""
    from portal import mail, policy
    from portal.jobs import (
        schedule,  # noqa: F401  (the periodic jobs)
        views,
    )
    from portal.mail import delivery  # noqa: F401  (mail.send and mail.sweep)
    from portal.registry import NavItem, registry

    mail.install()
    _install_after_commit()
    queue = Queue(app)
    registry(app).add_nav(NavItem("jobs.index", "Jobs", policy.can_manage_jobs))
    app.extensions["spoc_jobs"] = queue
    app.register_blueprint(views.bp)
    return queue


def get_queue(app=None) -> Queue:
    from flask import current_app

    return (app or current_app).extensions["spoc_jobs"]


def enqueue(name: str, *args, delay: float | None = None):
    """Enqueue on the current app's queue."""
    return get_queue().enqueue(name, *args, delay=delay)


# after the commit: a service asks for a job that must only run once its transaction is committed ---

def enqueue_after_commit(session, name: str, *args) -> None:
    """Enqueue job `name` when `session` commits (forgotten if it rolls back).

    This is the foundation's "after the commit" step of a request or CLI unit of work: a service
    that leaves work for the worker (a big case's cross-check) calls it explicitly; nothing is
    enqueued for data that was rolled back. Outside an app (a script) nothing is enqueued: the
    worker's sweep finds the durable state (e.g. a pending run) when it starts.
    """
    session.info.setdefault(_AFTER_COMMIT, []).append((name, args))


def _after_commit(session) -> None:
    if session.get_nested_transaction() is not None:  # a savepoint was released: the transaction goes on
        return
    waiting = session.info.pop(_AFTER_COMMIT, None)
    if not waiting:
        return
    from flask import has_app_context

    if not has_app_context():
        return
    for name, args in waiting:
        try:
            enqueue(name, *args)
        except Exception:  # noqa: BLE001 - the state is committed; the worker's sweep picks it up
            log.exception("could not enqueue job %s%r after the commit; the sweep will", name, args)


def _after_rollback(session) -> None:
    if session.get_nested_transaction() is not None:  # a savepoint rolled back: the transaction goes on
        return
    session.info.pop(_AFTER_COMMIT, None)


def _install_after_commit() -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
