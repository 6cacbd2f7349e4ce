"""Demo data: `spoc demo` loads users and every domain's demo content (idempotently)."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from portal.accounts.demo import demo_logins, load_demo_users
from portal.directory.demo import load_directory_demo
from portal.registry import registry


def load_demo(session: Session, password: str | None, app=None) -> tuple[str, list[tuple[str, str]]]:
    """Create what is missing: the demo users and directory, then every domain's demo content (the
    loaders in `app`'s registry; default: the current app's, or that of the session's database);
    (the password, [(email, role label)])."""
    password = password or secrets.token_urlsafe(12)
    users = load_demo_users(session, password)
    load_directory_demo(session)
    session.flush()
    for loader in registry(app, session).demo_loaders:
        loader(session, users)
        session.flush()
    return password, demo_logins()
