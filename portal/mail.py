"""The outbox: mail is queued in the request's transaction and sent only after the commit.

A message that cannot be sent stays queued (with the error) and goes out on the next
`spoc mail send` / `spoc send-reminders`: nothing acknowledged is lost, and nothing is
mailed for work that was rolled back.
"""

from __future__ import annotations

import base64
import datetime as dt
import smtplib
from email.message import EmailMessage

from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, UTCDateTime, utcnow


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


def queue_mail(session: Session, to: list[str] | str, subject: str, body: str,
               attachments: list[tuple[str, str, bytes]] | None = None) -> OutboxMessage:
    """Queue one message (attachments as (filename, mimetype, content))."""
    recipients = [to] if isinstance(to, str) else list(to)
    attachments = attachments or []
    msg = OutboxMessage(
        to=recipients, subject=subject, body=body,
        attachments=[{"filename": f, "mimetype": m, "content_b64": base64.b64encode(c).decode()}
                     for f, m, c in attachments],
    )
    session.add(msg)
    return msg


def build_email(msg: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = ", ".join(msg.to)
    email["Subject"] = msg.subject
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


def send_pending(session: Session, config: dict, limit: int = 500) -> tuple[int, int]:
    """Send queued messages through the configured SMTP server; (sent, failed). Commits per message."""
    if not config.get("MAIL_SERVER"):
        return 0, 0
    pending = list(session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
                                   .order_by(OutboxMessage.id).limit(limit)))
    if not pending:
        return 0, 0
    sent = failed = 0
    try:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=20)
    except OSError as exc:
        for msg in pending:
            msg.attempts += 1
            msg.last_error = f"cannot connect: {exc}"
        session.commit()
        return 0, len(pending)
    with smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        for msg in pending:
            msg.attempts += 1
            try:
                smtp.send_message(build_email(msg, config["MAIL_SENDER"]))
                msg.sent_at = utcnow()
                msg.last_error = ""
                sent += 1
            except smtplib.SMTPException as exc:
                msg.last_error = str(exc)
                failed += 1
            session.commit()
    return sent, failed


def flush_after_commit(app) -> None:
    """Try to send what the request queued; failures stay in the outbox for the next run."""
    database = app.extensions["spoc_db"]
    try:
        with database.write_session() as session:
            send_pending(session, app.config)
    except Exception:  # noqa: BLE001 - mail problems never break the request that queued the mail
        app.logger.exception("sending queued mail failed; it stays in the outbox")
