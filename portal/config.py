"""Deployment configuration: defaults overridden by SPOC_* environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# Each key is read from the environment as SPOC_<KEY>; the value's type follows the default's.
DEFAULTS: dict[str, object] = {
    "DATABASE_URL": "",  # empty: SQLite file spoc.db in the instance folder
    "SECRET_KEY": "",  # empty: a random key kept in the instance folder
    "AUDIT_KEY": "",  # seals the audit chain's head; empty: derived from SECRET_KEY. Never in the database.
    "SESSION_COOKIE_SECURE": False,
    "BASE_URL": "http://127.0.0.1:5000",
    "MAIL_SERVER": "",  # empty: mail stays in the outbox (shown by `spoc mail list`)
    "MAIL_PORT": 25,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_USE_TLS": False,
    "MAIL_SENDER": "spoc-portal@localhost",
    "MAIL_CLAIM_SECONDS": 120,  # a message a worker claimed and did not finish is sent again after this
    # the task queue (portal/jobs): empty = SQLite file jobs.db in the instance folder; redis://host:6379/0
    # when several hosts share one queue
    "QUEUE_URL": "",
    "QUEUE_NAME": "",  # empty: derived from DATABASE_URL (one queue per database)
    "BACKUP_DIR": "",  # set: the worker writes a backup of the database there every night
    "RATELIMIT_STORAGE_URI": "memory://",
    "UPLOAD_FOLDER": "",  # empty: <instance>/uploads, outside the web root
    "MAX_UPLOAD_MB": 10,
    "DEMO_PASSWORD": "",
    "LOGIN_ATTEMPTS_PER_MINUTE": 5,
    "LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE": 20,  # failed logins from one client address, whatever the account
    "PASSWORD_MIN_LENGTH": 10,
    "INVITE_LINK_HOURS": 72,
    "LOCKOUT_THRESHOLD": 10,  # consecutive failed logins before the account locks
    "LOCKOUT_MINUTES": 15,
    "IDLE_TIMEOUT_MINUTES": 30,  # a session unused this long ends
    "FRAGMENT_CACHE_MB": 64,  # portal/fragments.py: rendered questions and case actions kept per process
    "SIDE_PANEL_SECONDS": 10,  # portal/cache.py: the duty badge, requests to chase, people to assign
    "SESSION_MAX_HOURS": 12,  # a session ends this long after its login, however active (one working day)
    "REAUTH_MINUTES": 10,
    "API_TOKEN_DAYS": 90,  # an API token's lifetime; revoked earlier on a password change or (de)activation  # sensitive actions (exports, erasure) need a login this recent
    "TOTP_REQUIRED_FOR_CASE_ROLES": False,  # make the second factor mandatory for case-management roles
}


def _coerce(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """The configuration for one app: defaults, then SPOC_* variables, then explicit overrides."""
    cfg: dict[str, object] = {}
    for key, default in DEFAULTS.items():
        raw = os.environ.get(f"SPOC_{key}")
        cfg[key] = _coerce(raw, default) if raw is not None else default
    cfg.update(overrides or {})
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not cfg["DATABASE_URL"]:
        cfg["DATABASE_URL"] = f"sqlite:///{instance / 'spoc.db'}"
    if not cfg["UPLOAD_FOLDER"]:
        cfg["UPLOAD_FOLDER"] = str(instance / "uploads")
    if not cfg["SECRET_KEY"]:
        cfg["SECRET_KEY"] = _instance_secret(instance)
    return cfg


def _instance_secret(instance: Path) -> str:
    # A generated key survives restarts so that sessions and links stay valid.
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
