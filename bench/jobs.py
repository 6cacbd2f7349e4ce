"""Benchmark: a request that mails does not wait for the mail server, and the worker's mail rate.

    python bench/jobs.py [--rounds 7] [--respondents 2] [--mails 2000] [--mail-delay-ms 200] [--workers 2]

1. A fresh SQLite file (migrated; a secretariat user, RESPONDENTS respondents in each of the 31
   countries, a published questionnaire) and its task queue (SQLite, in the instance folder).
2. A local aiosmtpd server that takes MAIL_DELAY_MS per message, and two `spoc run --no-worker`
   processes on the same database: one with that mail server, one with mail off (no SPOC_MAIL_SERVER).
3. Logged in as the secretariat on both, ROUNDS times in turns: open a round for all 31 countries with
   the invitations (POST /questionnaires/rounds/new, 31 × RESPONDENTS mails queued). `with_mail_ms`
   and `without_mail_ms` are the medians of the two; `ratio` their quotient (in turns, what else the
   machine does weighs on both alike).
4. MAILS more messages are queued (one transaction, as a large batch of invitations would be), then
   `spoc worker` starts against a fast local aiosmtpd server and sends everything queued; `mails_per_s`
   is the rate from the first message the server accepted to the last. `lost`: messages queued but
   never accepted by the server, or still pending, after at most 300 s.
Goal: ratio ≤ 1.5, mails_per_s ≥ 50, lost 0. Last line JSON: {"with_mail_ms", "without_mail_ms",
"ratio", "mails_per_s", "lost", ...}.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]  # bench/reports.py vs the package
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))

from loadgen import free_port, log_in, request  # noqa: E402

SECRET = "bench-jobs-secret-key-0123456789abcdef0123"  # noqa: S105 - a throw-away database
PASSWORD = "Bench-jobs-password-2026"  # noqa: S105 - a throw-away database
SPOC = str(Path(sys.executable).with_name("spoc"))
COUNTRIES = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
             "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "CH", "IS", "LI", "NO"]
DEFINITION = {"id": "bench_jobs", "version": 1, "title": {"en": "Benchmark questionnaire"}, "languages": ["en"],
              "sections": [{"id": "s", "title": {"en": "Section"}, "questions": [
                  {"id": "staff", "type": "number", "label": {"en": "Staff"}, "integer": True}]}]}


class Inbox:
    """An SMTP server's handler: what it accepted, when, after DELAY seconds each."""

    def __init__(self, delay: float):
        self.delay = delay
        self.lock = threading.Lock()
        self.recipients: Counter = Counter()
        self.times: list[float] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.recipients.update(envelope.rcpt_tos)
            self.times.append(time.monotonic())
        return "250 OK"


def smtp_server(delay: float):
    from aiosmtpd.controller import Controller

    inbox = Inbox(delay)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return inbox, controller


def prepare(folder: Path, respondents: int) -> tuple[str, int]:
    """The database, its users and a published questionnaire; (database url, version id)."""
    from portal import create_app
    from portal.accounts import services as accounts
    from portal.commands import init_database
    from questionnaires.definitions import load_definition
    from questionnaires.services import versions

    url = f"sqlite:///{folder / 'spoc.db'}"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": SECRET,
                      "MAIL_SERVER": ""})
    accounts.use_cheap_hashing_for_tests()  # 62 users; the hash's cost is not what is measured
    with app.app_context():
        init_database()
        database = app.extensions["spoc_db"]
        with database.unit_of_work() as s:
            accounts.create_user(s, email="secretariat@bench.invalid", role="secretariat", name="Secretariat",
                                 password=PASSWORD)
            for code in COUNTRIES:
                for i in range(respondents):
                    accounts.create_user(s, email=f"respondent{i}.{code.lower()}@bench.invalid", role="respondent",
                                         country_code=code, name=f"Respondent {code} {i}", password=PASSWORD)
            version_id = versions.publish_definition(s, load_definition(DEFINITION)).version.id
    database.dispose()
    return url, version_id


def queue_mails(folder: Path, url: str, n: int) -> None:
    """N messages in one transaction, enqueued for the worker after its commit (as the web does)."""
    from portal import create_app
    from portal.mail import queue_mail

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": SECRET,
                      "MAIL_SERVER": "127.0.0.1"})
    with app.app_context(), app.extensions["spoc_db"].unit_of_work() as s:
        for i in range(n):
            queue_mail(s, f"bulk{i}@bench.invalid", f"Bulk message {i}", "A message of the benchmark.\n")
    app.extensions["spoc_db"].dispose()


class Process:
    def __init__(self, args: list[str], env: dict, log: Path):
        with open(log, "ab") as out:
            self.proc = subprocess.Popen([SPOC, *args], env=env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        self.log = log

    def wait_http(self, port: int) -> None:
        for _ in range(600):
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"no /healthz answer: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def open_round(port: int, cookie: str, version_id: int, title: str) -> float:
    """Opens a round for the 31 countries with invitations; the request's time in ms."""
    status, _, body = request(port, "GET", "/questionnaires/rounds/new", headers={"Cookie": cookie})
    token = re.search(rb'<meta name="csrf-token" content="([^"]+)"', body).group(1).decode()
    form = [("csrf_token", token), ("version_id", str(version_id)), ("title", title),
            ("deadline", (dt.date.today() + dt.timedelta(days=28)).isoformat()), ("invite", "y")]
    form += [("countries", code) for code in COUNTRIES]
    started = time.perf_counter()
    status, _, body = request(port, "POST", "/questionnaires/rounds/new", urlencode(form).encode(),
                              {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    took = (time.perf_counter() - started) * 1000
    if status != 302:
        raise RuntimeError(f"opening a round answered {status}: {body[:300]!r}")
    return took


def outbox(db: Path) -> tuple[Counter, int]:
    """(recipients of every queued message, messages not sent)."""
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT \"to\", sent_at FROM mail_outbox").fetchall()
    queued = Counter(to for raw, _ in rows for to in json.loads(raw))
    return queued, sum(1 for _, sent in rows if sent is None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--respondents", type=int, default=2, help="per country")
    parser.add_argument("--mails", type=int, default=2000, help="extra messages queued for the worker's rate")
    parser.add_argument("--mail-delay-ms", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="threads of spoc worker")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    url, version_id = prepare(folder, args.respondents)
    slow, slow_ctl = smtp_server(args.mail_delay_ms / 1000)
    fast, fast_ctl = smtp_server(0)
    base = {**os.environ, "SPOC_DATABASE_URL": url, "SPOC_INSTANCE_PATH": str(folder / "instance"),
            "SPOC_SECRET_KEY": SECRET}
    base.pop("SPOC_MAIL_SERVER", None)
    ports = {"with": free_port(), "without": free_port()}
    envs = {"with": {**base, "SPOC_MAIL_SERVER": "127.0.0.1", "SPOC_MAIL_PORT": str(slow_ctl.port)},
            "without": base}
    servers = {k: Process(["run", "--no-worker", "--host", "127.0.0.1", "--port", str(ports[k]), "--threads", "4"],
                          envs[k], folder / f"server-{k}.log") for k in ports}
    worker = None
    try:
        for k, server in servers.items():
            server.wait_http(ports[k])
        cookies = {k: log_in(ports[k], "secretariat@bench.invalid", PASSWORD) for k in ports}
        times: dict[str, list[float]] = {"with": [], "without": []}
        open_round(ports["with"], cookies["with"], version_id, "Warm-up with mail")
        open_round(ports["without"], cookies["without"], version_id, "Warm-up without mail")
        for i in range(args.rounds):
            for k in ("with", "without") if i % 2 == 0 else ("without", "with"):
                times[k].append(open_round(ports[k], cookies[k], version_id, f"Round {i} {k} mail"))
        with_ms, without_ms = statistics.median(times["with"]), statistics.median(times["without"])
        print(f"opening a round for 31 countries ({31 * args.respondents} invitations): {with_ms:.1f} ms with a "
              f"{args.mail_delay_ms} ms/message mail server, {without_ms:.1f} ms with mail off "
              f"(medians of {args.rounds}); the slow server accepted {sum(slow.recipients.values())} so far")

        queue_mails(folder, url, args.mails)
        queued, _ = outbox(folder / "spoc.db")
        total = sum(queued.values())
        started = time.monotonic()
        worker = Process(["worker", "--workers", str(args.workers)],
                         {**base, "SPOC_MAIL_SERVER": "127.0.0.1", "SPOC_MAIL_PORT": str(fast_ctl.port)},
                         folder / "worker.log")
        pending = total
        while time.monotonic() - started < 300:
            _, pending = outbox(folder / "spoc.db")
            if pending == 0:
                break
            time.sleep(0.2)
        worker_s = time.monotonic() - started
        delivered = fast.recipients + slow.recipients
        lost = sum((queued - delivered).values()) + pending
        window = (fast.times[-1] - fast.times[0]) if len(fast.times) > 1 else 0.0
        rate = (len(fast.times) - 1) / window if window > 0 else 0.0
        print(f"the worker sent {len(fast.times)} messages at {rate:.0f}/s ({worker_s:.1f} s from its start "
              f"until nothing was pending); lost {lost}, duplicates {sum((delivered - queued).values())}")
        print("Goal: ratio <= 1.5, mails_per_s >= 50, lost 0")
        print(json.dumps({"with_mail_ms": round(with_ms, 1), "without_mail_ms": round(without_ms, 1),
                          "ratio": round(with_ms / without_ms, 3), "mails_per_s": round(rate, 1), "lost": lost,
                          "messages": total, "worker_total_s": round(worker_s, 2), "rounds": args.rounds,
                          "mail_delay_ms": args.mail_delay_ms}))
    finally:
        if worker is not None:
            worker.stop()
        for server in servers.values():
            server.stop()
        slow_ctl.stop()
        fast_ctl.stop()


if __name__ == "__main__":
    main()
