"""Account rules: creating users, checking passwords, API tokens and one-time links."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from portal import audit, mail
from portal.accounts.models import ApiToken, OneTimeLink, Role, User
from portal.db import utcnow
from portal.db.prepared import Prepared
from portal.directory.models import Agency, Country
from portal.errors import RuleError

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown email like a known one's.
_DUMMY_HASH = _hasher.hash("not-a-password-of-anyone")


def use_cheap_hashing_for_tests() -> None:
    """Fast argon2 parameters; never call this outside the test suite."""
    global _hasher, _DUMMY_HASH
    from argon2.profiles import CHEAPEST

    _hasher = PasswordHasher.from_parameters(CHEAPEST)
    _DUMMY_HASH = _hasher.hash("not-a-password-of-anyone")

COMMON_PASSWORDS = frozenset(
    """password password1 password123 123456789 1234567890 qwertyuiop qwerty123 iloveyou1
    letmein123 welcome123 admin12345 administrator passw0rd1 abc1234567 1q2w3e4r5t
    changeme123 trustno1234 spocspoc123 europol123 police1234""".split()
)


# Deliberately simple: reserved domains such as .invalid are legitimate in closed networks and tests.
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class AccountError(RuleError):
    """A rule of accounts was broken; `field` names the form field it belongs to."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_policy(password: str, min_length: int = 10) -> None:
    if len(password) < min_length:
        raise AccountError("Use at least %(count)s characters.", "password", count=min_length)
    if password.lower() in COMMON_PASSWORDS:
        raise AccountError("This password is too common; choose another.", "password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User | None, password: str) -> bool:
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        ok = _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and user is not None and bool(user.password_hash)


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    if not verify_password(user, password) or user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def validate_scope(session: Session, role: Role, country_code: str | None, agency_code: str | None):
    if role.needs_country:
        if not country_code or session.get(Country, country_code) is None:
            raise AccountError("A user with the role “%(role)s” belongs to one country: choose it.", "country_code",
                               role=role.label)
        return country_code, None
    if role.needs_agency:
        if not agency_code or session.get(Agency, agency_code) is None:
            raise AccountError("An observer belongs to one EU agency or international organisation: choose it.", "agency_code")
        return None, agency_code
    return None, None


def create_user(
    session: Session,
    *,
    email: str,
    role: Role | str,
    country_code: str | None = None,
    agency_code: str | None = None,
    name: str = "",
    password: str | None = None,
    actor: User | None = None,
    min_length: int = 10,
) -> User:
    role = Role(role)
    email = normalise_email(email)
    if not EMAIL_RE.fullmatch(email):
        raise AccountError("Give an email address such as name@police.example.eu.", "email")
    if find_user(session, email) is not None:
        raise AccountError("A user with this email already exists.", "email")
    country_code, agency_code = validate_scope(session, role, country_code, agency_code)
    if password is not None:
        check_password_policy(password, min_length)
    user = User(
        email=email,
        name=name.strip(),
        role=role.value,
        country_code=country_code,
        agency_code=agency_code,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, area="accounts", action=audit.AuditAction.ADMIN,
                 object_type="user", object_id=user.id,
                 details={"event": "created", "email": email, "role": role.value,
                          "country": country_code, "agency": agency_code})
    return user


def update_user(session: Session, user: User, *, role: Role | str, country_code: str | None,
                agency_code: str | None, name: str, actor: User) -> User:
    role = Role(role)
    country_code, agency_code = validate_scope(session, role, country_code, agency_code)
    if user.id == actor.id and role is not Role.ADMIN:
        raise AccountError("You cannot remove your own administrator role.", "role")
    changes = {k: [getattr(user, k), v] for k, v in
               {"role": role.value, "country_code": country_code, "agency_code": agency_code,
                "name": name.strip()}.items() if getattr(user, k) != v}
    for key, (_old, new) in changes.items():
        setattr(user, key, new)
    if "role" in changes or "country_code" in changes:
        user.session_nonce = secrets.token_hex(8)  # new rights: log the user in again
    audit.record(session, actor=actor, area="accounts", action=audit.AuditAction.ADMIN,
                 object_type="user", object_id=user.id, details={"event": "updated", "changes": changes})
    return user


def set_language(session: Session, user: User, language: str) -> str:
    """The language the user reads questionnaires in (a two-letter code; anything else is English)."""
    user.language = language if re.fullmatch(r"[a-z]{2}", language or "") else "en"
    return user.language


def send_welcome(session: Session, user: User, link: str, hours: int) -> None:
    """The new user's mail: their role, and the one-time link to set a password (valid `hours`)."""
    mail.queue_template(session, user.email, "accounts/mail/welcome.txt", user=user, link=link, hours=hours)


def set_active(session: Session, user: User, active: bool, actor: User) -> None:
    if user.id == actor.id and not active:
        raise AccountError("You cannot deactivate yourself.")
    user.active = active
    user.session_nonce = secrets.token_hex(8)
    revoke_all_tokens(session, user, "enabled again" if active else "deactivated", actor)
    audit.record(session, actor=actor, area="accounts", action=audit.AuditAction.ADMIN,
                 object_type="user", object_id=user.id,
                 details={"event": "reactivated" if active else "deactivated"})


def end_sessions(session: Session, user: User, event: str = "logout") -> None:
    """Every session of the user ends (a new nonce makes the old cookies worthless)."""
    user.session_nonce = secrets.token_hex(8)
    audit.record(session, actor=user, area="accounts", action=audit.AuditAction.LOGIN,
                 object_type="user", object_id=user.id, details={"event": event})


def change_password(session: Session, user: User, current: str, new: str, min_length: int = 10) -> None:
    if not verify_password(user, current):
        raise AccountError("Your current password is not right.", "current_password")
    check_password_policy(new, min_length)
    set_password(session, user, new, min_length)


def set_password(session: Session, user: User, new: str, min_length: int = 10) -> None:
    check_password_policy(new, min_length)
    user.password_hash = hash_password(new)
    user.session_nonce = secrets.token_hex(8)
    revoke_all_tokens(session, user, "password set")
    audit.record(session, actor=user, area="accounts", action=audit.AuditAction.ADMIN,
                 object_type="user", object_id=user.id, details={"event": "password_set"})


# API tokens -----------------------------------------------------------------------------------
def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


TOKEN_DAYS = 90  # the default lifetime of an API token (SPOC_API_TOKEN_DAYS)


def create_token(session: Session, user: User, name: str = "", days: int = TOKEN_DAYS) -> str:
    """A new token for the user, valid `days` days; the clear value is returned once and stored only hashed."""
    raw = "spoc_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name.strip() or "API token", prefix=raw[:12],
                         token_hash=_sha256(raw), expires_at=utcnow() + dt.timedelta(days=days)))
    audit.record(session, actor=user, area="accounts", action=audit.AuditAction.ADMIN,
                 object_type="api_token", object_id=raw[:12], details={"event": "token_created", "days": days})
    return raw


def revoke_all_tokens(session: Session, user: User, why: str, actor: User | None = None) -> int:
    """Revoke every live token of the user (password set, account deactivated or enabled again):
    a token must not outlive the credentials it was made under."""
    now = utcnow()
    live = [t for t in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                               ApiToken.revoked_at.is_(None)))]
    for token in live:
        token.revoked_at = now
    if live:
        audit.record(session, actor=actor or user, area="accounts", action=audit.AuditAction.ADMIN,
                     object_type="user", object_id=user.id,
                     details={"event": "tokens_revoked", "why": why, "tokens": [t.prefix for t in live]})
    return len(live)


_USER_OF_TOKEN = Prepared(select(*User.__table__.c).join(ApiToken, ApiToken.user_id == User.id).where(
    ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None),
    ApiToken.expires_at > bindparam("now"), User.active.is_(True)), raw=True)


_USER_BY_ID = Prepared(select(*User.__table__.c).where(User.id == bindparam("id")), raw=True)


def user_by_id(session: Session, user_id: int) -> User | None:
    """The user of that id, as session.get gives it (every page's request asks for its logged-in user:
    Prepared.load_one, a fifth of the ORM's CPU)."""
    return _USER_BY_ID.load_one(session, User, {"id": user_id})


def user_for_token(session: Session, raw: str) -> User | None:
    """The active user of a token that is neither revoked nor expired (one statement, prepared: every
    API request asks; Prepared.load_one makes the user as the ORM would load it, at a fifth of its
    CPU). A connection the server had ended raises SQLAlchemy's DBAPIError with
    `connection_invalidated` (portal.db.prepared.disconnected), which the API answers by reading again."""
    return _USER_OF_TOKEN.load_one(session, User, {"token_hash": _sha256(raw), "now": utcnow()})


def token_counts(session: Session, user: User, now: dt.datetime, soon: dt.timedelta) -> tuple[int, int]:
    """(the user's live API tokens: neither revoked nor expired, of which those that expire before now + soon)."""
    live = select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)
    return (session.scalar(live) or 0), (session.scalar(live.where(ApiToken.expires_at <= now + soon)) or 0)


def revoke_token(session: Session, user: User, token_id: int) -> bool:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record(session, actor=user, area="accounts", action=audit.AuditAction.ADMIN,
                 object_type="api_token", object_id=token.prefix, details={"event": "token_revoked"})
    return True


# one-time links -------------------------------------------------------------------------------
def create_one_time_link(session: Session, user: User, hours: int = 72, purpose: str = "set_password") -> str:
    raw = secrets.token_urlsafe(32)
    session.add(OneTimeLink(user_id=user.id, token_hash=_sha256(raw), purpose=purpose,
                            expires_at=utcnow() + dt.timedelta(hours=hours)))
    return raw


def redeem_one_time_link(session: Session, raw: str) -> OneTimeLink | None:
    """The link if it is valid now (unused, not expired); the caller marks it used."""
    link = session.scalar(select(OneTimeLink).where(OneTimeLink.token_hash == _sha256(raw)))
    if link is None or link.used_at is not None or link.expires_at < utcnow() or not link.user.active:
        return None
    return link


def list_users(session: Session, *, query: str = "", role: str = "", country: str = ""):
    stmt = select(User).order_by(User.country_code.is_(None).desc(), User.country_code, User.email)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(func.lower(User.email).like(like) | func.lower(User.name).like(like))
    if role:
        stmt = stmt.where(User.role == role)
    if country:
        stmt = stmt.where(User.country_code == country)
    return session.scalars(stmt).all()
