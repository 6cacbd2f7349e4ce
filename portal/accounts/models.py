"""Users, roles and API tokens."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    HEAD_OF_SPOC = "head_of_spoc"
    RESPONDENT = "respondent"
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    DPO = "dpo"
    TRAINER = "trainer"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def needs_country(self) -> bool:
        return self not in (Role.ADMIN, Role.SECRETARIAT, Role.OBSERVER)

    @property
    def needs_agency(self) -> bool:
        return self is Role.OBSERVER


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.SECRETARIAT: "Network secretariat",
    Role.HEAD_OF_SPOC: "Head of SPOC",
    Role.RESPONDENT: "Questionnaire respondent",
    Role.OFFICER: "SPOC officer",
    Role.SUPERVISOR: "SPOC supervisor",
    Role.DPO: "Data protection officer",
    Role.TRAINER: "Training core group expert",
    Role.OBSERVER: "Observer (EU agency or international organisation)",
}

# Roles that work in a SPOC's case-management module.
CASE_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.HEAD_OF_SPOC, Role.DPO})


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(20))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    agency_code: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Brussels")
    # Changes on password change and deactivation: every other session of the user ends.
    session_nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # lockout after repeated failures (besides the per-minute throttling)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # optional TOTP second factor (RFC 6238); the secret is set before it is confirmed
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int] = mapped_column(default=0)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", order_by="ApiToken.id")

    def __init__(self, **kw):
        import secrets

        kw.setdefault("session_nonce", secrets.token_hex(8))
        super().__init__(**kw)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def scope_label(self) -> str:
        return self.country_code or self.agency_code or "network"

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_token_hash", "token_hash", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # a token's lifetime (SPOC_API_TOKEN_DAYS); tokens made before lifetimes existed have none
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at is not None and self.expires_at > utcnow() else "expired"


class OneTimeLink(Base):
    """A link to set a password (new invitee or reset); stored hashed, single use, expiring."""

    __tablename__ = "one_time_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20), default="set_password")
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
