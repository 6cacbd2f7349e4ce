"""The optional TOTP second factor (RFC 6238), and the account lockout after repeated failures."""

from __future__ import annotations

import datetime as dt
import time

import pyotp
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.db import utcnow

ISSUER = "SPOC portal"


def begin_setup(user: User) -> str:
    """A new secret for the user to add to an authenticator app; active once confirmed."""
    if not user.totp_secret or not user.totp_enabled:
        user.totp_secret = pyotp.random_base32()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _accept(user: User, code: str, now: float | None = None) -> bool:
    """Check a code (one step of clock drift allowed); a code is accepted once only."""
    if not user.totp_secret:
        return False
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return False
    now = time.time() if now is None else now
    totp = pyotp.TOTP(user.totp_secret)
    for drift in (0, -1, 1):
        step = int(now // totp.interval) + drift
        if step > user.totp_last_step and totp.at(step * totp.interval) == code:
            user.totp_last_step = step
            return True
    return False


def confirm_setup(session: Session, user: User, code: str) -> bool:
    if not _accept(user, code):
        return False
    user.totp_enabled = True
    audit.record(session, actor=user, area="accounts", action=audit.AuditAction.ADMIN,
                 object_type="user", object_id=user.id, details={"event": "totp_enabled"})
    return True


def verify(user: User, code: str) -> bool:
    return user.totp_enabled and _accept(user, code)


def disable(session: Session, user: User) -> None:
    user.totp_enabled = False
    user.totp_secret = None
    audit.record(session, actor=user, area="accounts", action=audit.AuditAction.ADMIN,
                 object_type="user", object_id=user.id, details={"event": "totp_disabled"})


def is_locked(user: User | None) -> bool:
    return user is not None and user.locked_until is not None and user.locked_until > utcnow()


def note_failure(session: Session, user: User | None, threshold: int, minutes: int) -> None:
    if user is None:
        return
    user.failed_logins += 1
    if user.failed_logins >= threshold:
        user.locked_until = utcnow() + dt.timedelta(minutes=minutes)
        user.failed_logins = 0
        audit.record(session, actor=None, area="accounts", action=audit.AuditAction.LOGIN,
                     object_type="user", object_id=user.id,
                     details={"event": "locked", "minutes": minutes, "email": user.email})


def note_success(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
