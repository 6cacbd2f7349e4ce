"""Delivery: the worker hands the outbox's messages to the SMTP server (the outbox is portal/mail/__init__.py).

The worker handles each message on its own: it claims the message (`claimed_at`, so that two
workers do not send it at once), hands it to the SMTP server, and marks it sent only after the
server accepted it, each step committed by itself. A message the server refuses keeps its error and
the job is retried with back-off. The table, not the queue, is what must not be lost: when a worker
starts, and every five minutes, it sweeps the pending messages into the queue again (a worker
killed between the SMTP server's acceptance and the `sent_at` commit sends that one message a
second time once its claim expired: at least once, never lost).
"""

from __future__ import annotations

import base64
import datetime as dt
import smtplib
from email.message import EmailMessage

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from portal import jobs
from portal.db import utcnow
from portal.mail import JOB_SIZE, OutboxMessage

MAX_ATTEMPTS = 8  # the sweep stops trying a message after this many; /admin/jobs can start it again
SMTP_TIMEOUT = 20


def build_email(msg: OutboxMessage, sender: str) -> EmailMessage:
    from portal.exports import one_line

    email = EmailMessage()
    email["From"] = sender
    email["To"] = ", ".join(one_line(t) for t in msg.to)
    email["Subject"] = one_line(msg.subject)
    email.set_content(msg.body)
    parts = [(base64.b64decode(meta["content_b64"]), meta["filename"], *_content_type(meta["mimetype"]))
             for meta in msg.attachments]
    # iTIP (RFC 6047): the calendar message is an alternative of the text, `text/calendar; method=...`, which
    # mail clients turn into "add to / update / remove from calendar"; it is also attached as a file.
    for content, _, maintype, subtype, params in parts:
        if (maintype, subtype) == ("text", "calendar") and "method" in params:
            email.add_alternative(content, maintype=maintype, subtype=subtype,
                                  params=params | {"charset": "utf-8"})
    for content, filename, maintype, subtype, params in parts:
        email.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename, params=params)
    return email


def _content_type(mimetype: str) -> tuple[str, str, dict[str, str]]:
    """'text/calendar; method=REQUEST' -> ('text', 'calendar', {'method': 'REQUEST'})."""
    kind, *pairs = [part.strip() for part in mimetype.split(";")]
    maintype, _, subtype = kind.partition("/")
    params = dict(pair.split("=", 1) for pair in pairs if "=" in pair)
    return maintype, subtype, {k.strip().lower(): v.strip().strip('"') for k, v in params.items()}



class MailNotSent(Exception):
    """Some messages of a job were not accepted by the mail server (the job is retried)."""


class _Smtp:
    """One SMTP connection for a job, opened when the first message needs it."""

    def __init__(self, config):
        self.config = config
        self.conn: smtplib.SMTP | None = None

    def send(self, email: EmailMessage) -> None:
        if self.conn is None:
            c = self.config
            self.conn = smtplib.SMTP(c["MAIL_SERVER"], int(c.get("MAIL_PORT", 25)), timeout=SMTP_TIMEOUT)
            if c.get("MAIL_USE_TLS"):
                self.conn.starttls()
            if c.get("MAIL_USERNAME"):
                self.conn.login(c["MAIL_USERNAME"], c["MAIL_PASSWORD"])
        try:
            self.conn.send_message(email)
        except smtplib.SMTPServerDisconnected:
            self.conn = None
            raise

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.conn = None


def _claim(database, msg_id: int, lease: float) -> OutboxMessage | None:
    """Claim one pending message for this worker (its own transaction); None if sent or claimed."""
    now = utcnow()
    with database.unit_of_work() as session:
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == msg_id, OutboxMessage.sent_at.is_(None),
                   or_(OutboxMessage.claimed_at.is_(None),
                       OutboxMessage.claimed_at < now - dt.timedelta(seconds=lease)))
            .values(claimed_at=now)
        ).rowcount
        return session.get(OutboxMessage, msg_id) if claimed else None


def _finish(database, msg_id: int, error: str | None) -> None:
    with database.unit_of_work() as session:
        values = {"claimed_at": None, "attempts": OutboxMessage.attempts + 1, "last_error": error or ""}
        if error is None:
            values["sent_at"] = utcnow()
        session.execute(update(OutboxMessage).where(OutboxMessage.id == msg_id).values(**values))


def deliver(database, config, ids: list[int]) -> tuple[int, int]:
    """Send these messages, each on its own (claim, SMTP, mark sent); (sent, failed). Messages
    already sent, or claimed by another worker, are skipped."""
    if not config.get("MAIL_SERVER"):
        return 0, 0
    lease = float(config.get("MAIL_CLAIM_SECONDS") or 120)
    smtp = _Smtp(config)
    sent = failed = 0
    try:
        for msg_id in ids:
            msg = _claim(database, msg_id, lease)
            if msg is None:
                continue
            try:
                smtp.send(build_email(msg, config["MAIL_SENDER"]))
            # each message on its own: one that cannot be built (ValueError, TypeError) or is refused
            # stays queued with its error and never holds back the messages after it
            except (smtplib.SMTPException, OSError, ValueError, TypeError) as exc:
                _finish(database, msg_id, f"{type(exc).__name__}: {exc}"[:2000])
                failed += 1
                if isinstance(exc, OSError):  # the server is unreachable: the rest would fail alike
                    smtp.close()
                continue
            _finish(database, msg_id, None)
            sent += 1
    finally:
        smtp.close()
    return sent, failed


def pending_ids(session: Session, limit: int | None = None, *, gave_up_too: bool = False) -> list[int]:
    """Messages not sent yet (with `gave_up_too`, also those tried MAX_ATTEMPTS times)."""
    q = select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)
    if not gave_up_too:
        q = q.where(OutboxMessage.attempts < MAX_ATTEMPTS)
    return list(session.scalars(q.limit(limit) if limit else q))


def send_pending(session: Session, config: dict, limit: int = 500) -> tuple[int, int]:
    """Send queued messages now (`spoc mail send`), those the worker gave up on too; (sent, failed)."""
    from flask import current_app

    ids = pending_ids(session, limit, gave_up_too=True)
    session.rollback()  # end the read: each message is claimed and marked in its own transaction
    return deliver(current_app.extensions["spoc_db"], config, ids)


@jobs.job("mail.send", retries=5, retry_delay=30)
def send_job(ids: list[int]) -> None:
    """The worker: send what one transaction queued."""
    from flask import current_app

    sent, failed = deliver(current_app.extensions["spoc_db"], current_app.config, list(ids))
    if failed:
        raise MailNotSent(f"{failed} of {len(ids)} messages were not accepted by the mail server")


@jobs.on_worker_start
@jobs.periodic("mail.sweep", jobs.crontab(minute="*/5"))
def sweep() -> int:
    """Enqueue the pending messages again (those a dead worker or a lost enqueue left behind);
    a message claimed by a live worker is looked at again once its claim expires."""
    from flask import current_app

    database = current_app.extensions["spoc_db"]
    if not current_app.config.get("MAIL_SERVER"):
        return 0
    with database.read_session() as session:
        rows = session.execute(select(OutboxMessage.id, OutboxMessage.claimed_at)
                               .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
                               .order_by(OutboxMessage.id)).all()
    ids = [r[0] for r in rows]
    claimed = {r[0]: r[1] for r in rows if r[1] is not None}
    lease = float(current_app.config.get("MAIL_CLAIM_SECONDS") or 120)
    free = [i for i in ids if i not in claimed]
    for start in range(0, len(free), JOB_SIZE):
        jobs.enqueue("mail.send", free[start:start + JOB_SIZE])
    if claimed:
        expires = max(claimed.values()) + dt.timedelta(seconds=lease)
        jobs.enqueue("mail.send", sorted(claimed), delay=max(1.0, (expires - utcnow()).total_seconds() + 1))
    return len(ids)
