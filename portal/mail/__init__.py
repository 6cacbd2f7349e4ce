"""The outbox: mail is queued in the request's transaction and sent by the worker after the commit.

`queue_mail` adds a row to `mail_outbox` in the caller's transaction: nothing is mailed for work that
was rolled back. A kind of mail is a text template (`queue_template`), rendered in each recipient's
language. When that transaction commits, the ids it queued go to the task queue as one `mail.send`
job (portal.jobs); a request never talks to the mail server. The worker's side, the SMTP sending and
the sweep of pending messages, is portal/mail/delivery.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import logging
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import JSON, String, Text, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import jobs
from portal.dates import DAY_PATTERNS
from portal.db import Base, UTCDateTime, utcnow

log = logging.getLogger(__name__)
_QUEUED = "outbox_queued"  # session.info: the messages this transaction queued
_IDS = "outbox_ids"
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

    root = Path(__file__).resolve().parents[2]
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
