"""Demo data: `spoc demo` loads users and every domain's demo content (idempotently)."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.demo import demo_logins, load_demo_users
from portal.directory.demo import load_directory_demo
from portal.registry import registry


def load_demo(session: Session, password: str | None, app=None) -> tuple[str, list[tuple[str, str]]]:
    """Create what is missing: the demo users and directory, then every domain's demo content (the
    loaders in `app`'s registry; default: the current app's, or that of the session's database);
    (the password, [(email, role label)]). Each part is committed in a transaction of its own, its
    audit entries appended together at its end: the chain head is not updated hundreds of times in
    one transaction (issue 25)."""
    password = password or secrets.token_urlsafe(12)
    with audit.deferred(session):
        users = load_demo_users(session, password)
        load_directory_demo(session)
        session.flush()
    session.commit()
    for loader in registry(app, session).demo_loaders:
        with audit.deferred(session):
            loader(session, users)
            session.flush()
        session.commit()
    return password, demo_logins()
