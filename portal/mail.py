"""The outbox: mail is queued in the request's transaction and sent by the worker after the commit.

`queue_mail` adds a row to `mail_outbox` in the caller's transaction: nothing is mailed for work that
was rolled back. When that transaction commits, the ids it queued go to the task queue as one
`mail.send` job (portal.jobs); a request never talks to the mail server.

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
import functools
import logging
import smtplib
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import JSON, String, Text, event, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import jobs
from portal.dates import DAY_PATTERNS
from portal.db import Base, UTCDateTime, utcnow

log = logging.getLogger(__name__)
_QUEUED = "outbox_queued"  # session.info: the messages this transaction queued
_IDS = "outbox_ids"
MAX_ATTEMPTS = 8  # the sweep stops trying a message after this many; /admin/jobs can start it again
SMTP_TIMEOUT = 20
JOB_SIZE = 50  # messages per mail.send job


class OutboxMessage(Base):
    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[list] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # [{"filename", "mimetype", "content_b64"}]: small files such as .ics invitations
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # set while a worker is sending it; a claim older than MAIL_CLAIM_SECONDS is a dead worker's
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


def queue_mail(session: Session, to: list[str] | str, subject: str, body: str,
               attachments: list[tuple[str, str, bytes]] | None = None) -> OutboxMessage:
    """Queue one message (attachments as (filename, mimetype, content)); sent after the commit."""
    recipients = [to] if isinstance(to, str) else list(to)
    attachments = attachments or []
    msg = OutboxMessage(
        to=recipients, subject=subject, body=body,
        attachments=[{"filename": f, "mimetype": m, "content_b64": base64.b64encode(c).decode()}
                     for f, m, c in attachments],
    )
    session.add(msg)
    session.info.setdefault(_QUEUED, []).append(msg)
    return msg


@functools.lru_cache(maxsize=1)
def _templates():
    """The mail templates: `<package>/templates/<domain>/mail/<kind>.txt` of every package (plain text,
    rendered without Flask, so that services queue them)."""
    import jinja2

    root = Path(__file__).resolve().parent.parent
    folders = sorted(str(p) for top in ("portal", "questionnaires", "reports", "casemgmt")
                     for p in (root / top).glob("**/templates") if p.is_dir())
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folders), autoescape=False,  # noqa: S701 - plain-text mail, never HTML
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["local_time"] = jinja2.pass_context(lambda ctx, value: mail_time(
        value, ctx.get("mail_language", "en"), ctx.get("mail_timezone") or DEFAULT_ZONE))
    env.filters["local_day"] = jinja2.pass_context(lambda ctx, value: mail_time(
        value, ctx.get("mail_language", "en"), ctx.get("mail_timezone") or DEFAULT_ZONE, day=True))
    env.filters["country_name"] = jinja2.pass_context(lambda ctx, code: _country(code, ctx.get("mail_language", "en")))
    return env


def _country(code: str | None, language: str) -> str:
    """A country's name in the mail's language (a code is no word for people: issue 19)."""
    from portal.directory.reference import country_name

    return country_name(code, language=language)


DEFAULT_ZONE = "Europe/Brussels"  # a recipient without an account (BABEL_DEFAULT_TIMEZONE)
# A time in a mail as on the pages (31 Jan 2030 14:30 CET), in the recipient's language: the day as portal/dates.py
# writes it in that language (babel's month names), then the time
_DAY_PATTERNS = DAY_PATTERNS
_TIME_PATTERNS = {lang: f"{pattern} HH:mm z" for lang, pattern in DAY_PATTERNS.items()}


def mail_time(value: dt.datetime | dt.date | None, language: str, zone: str, day: bool = False) -> str:
    """A UTC time (or a day) in the recipient's time zone and language: the `local_time` and `local_day`
    filters of the mail templates."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from babel.dates import format_date, format_datetime

    if value is None:
        return ""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo(DEFAULT_ZONE)
    if isinstance(value, dt.datetime):
        local = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(tz)
        if day:
            return format_date(local.date(), _DAY_PATTERNS.get(language, _DAY_PATTERNS["en"]), locale=language)
        return format_datetime(local, _TIME_PATTERNS.get(language, _TIME_PATTERNS["en"]), tzinfo=tz, locale=language)
    return format_date(value, _DAY_PATTERNS.get(language, _DAY_PATTERNS["en"]), locale=language)


MAIL_LANGUAGES = ("en", "fr", "de")  # the procedural languages; a kind's <kind>.<lang>.txt, English without one


def recipient_languages(session: Session, recipients: list[str]) -> dict[str, str]:
    """{email: language} of the recipients who have an account (their preferred language); others: English."""
    return {email: language for email, (language, _zone) in _recipients(session, recipients).items()
            if language in MAIL_LANGUAGES}


def _recipients(session: Session, recipients: list[str]) -> dict[str, tuple[str, str]]:
    """{email: (language, time zone)} of the recipients who have an account."""
    from portal.accounts.models import User

    if not recipients:
        return {}
    rows = session.execute(select(User.email, User.language, User.timezone).where(User.email.in_(recipients)))
    return {email: (language, zone or DEFAULT_ZONE) for email, language, zone in rows}


@functools.lru_cache(maxsize=256)
def _shows_times(template: str, language: str) -> bool:
    """Whether the kind writes a time in the recipient's zone (then its recipients are grouped by zone too)."""
    found, _ = _template_in(template, language)
    source = _templates().loader.get_source(_templates(), found.name)[0]
    return "local_time" in source or "local_day" in source


def _template_in(template: str, language: str):
    """(template, language) of the kind in `language` (`casemgmt/mail/duty_alert.fr.txt`), or in English."""
    import jinja2

    if language != "en":
        stem, _, ext = template.rpartition(".")
        try:
            return _templates().get_template(f"{stem}.{language}.{ext}"), language
        except jinja2.TemplateNotFound:  # this kind has no translation in that language
            pass
    return _templates().get_template(template), "en"


def render_template(template: str, language: str = "en", timezone: str = DEFAULT_ZONE, **context) -> tuple[str, str]:
    """(subject, body) of one kind of mail in `language` (English when the kind has no such translation), its
    times in `timezone`."""
    found, language = _template_in(template, language)
    with _labels_in(language):
        subject, _, body = found.render(mail_language=language, mail_timezone=timezone,
                                        **context).partition("\n\n")
    return subject.strip(), body


@contextmanager
def _labels_in(language: str):
    """The labels a mail shows (a status, a role, a topic) in the mail's language, not the sender's page's."""
    from portal.i18n import in_language

    with in_language(language):
        yield


def queue_template(session: Session, to: list[str] | str, template: str, *,
                   attachments: list[tuple[str, str, bytes]] | None = None, **context) -> OutboxMessage | None:
    """Queue the message of one kind: `template` (e.g. "questionnaires/mail/reopened.txt") renders its
    subject on the first line, a blank line, then the body. Each recipient reads it in their own
    language (their account's, English by default and for a kind not translated): one message per
    language; `attachments` as for queue_mail. Nothing is queued without recipients; returns the first
    message queued."""
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        return None
    known = _recipients(session, recipients)
    by_language: dict[tuple[str, str], list[str]] = {}
    for email in recipients:  # grouped by the language they will read (a kind not translated is English), and
        language, zone = known.get(email, ("en", DEFAULT_ZONE))  # by time zone when the kind writes times
        language = _template_in(template, language if language in MAIL_LANGUAGES else "en")[1]
        zone = zone if _shows_times(template, language) else DEFAULT_ZONE
        by_language.setdefault((language, zone), []).append(email)
    first = None
    for (language, zone), group in by_language.items():
        subject, body = render_template(template, language, timezone=zone, **context)
        msg = queue_mail(session, group, subject, body, attachments)
        first = first or msg
    return first


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


# after the commit: one path for every writer ------------------------------------------------------

def _before_commit(session: Session) -> None:
    queued = session.info.pop(_QUEUED, None)
    if queued:
        session.flush()
        session.info.setdefault(_IDS, []).extend(m.id for m in queued if m.id is not None)


def _after_commit(session: Session) -> None:
    ids = session.info.pop(_IDS, None)
    if not ids:
        return
    from flask import has_app_context

    if not has_app_context():  # a script outside the app: the worker's sweep sends them
        return
    ids = sorted(ids)
    try:
        for start in range(0, len(ids), JOB_SIZE):  # several jobs: the worker's threads share a big batch
            jobs.enqueue("mail.send", ids[start:start + JOB_SIZE])
    except Exception:  # noqa: BLE001 - the messages are committed; the sweep sends them
        log.exception("could not enqueue mail %s; the worker's sweep will send it", ids)


def _after_rollback(session: Session) -> None:
    session.info.pop(_QUEUED, None)
    session.info.pop(_IDS, None)


def install() -> None:
    """Listen on every session (idempotent): after a commit, enqueue the mail it queued."""
    if not event.contains(Session, "before_commit", _before_commit):
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


# sending ----------------------------------------------------------------------------------------

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
