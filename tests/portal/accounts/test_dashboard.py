"""The accounts' dashboard card: a user whose API tokens are about to expire is told so, with a link to
the page that makes a new one; nothing is shown otherwise."""

from __future__ import annotations

import datetime as dt

from portal.accounts import services as accounts
from portal.accounts.models import ApiToken
from portal.db import utcnow


def test_tokens_close_to_their_end_are_announced_on_the_dashboard(login_as, db):
    c, user = login_as("officer", "BE")
    assert "API tokens expiring" not in c.get("/").get_data(as_text=True)  # no token
    accounts.create_token(db, user, "old client")
    accounts.create_token(db, user, "new client")
    db.commit()
    assert "API tokens expiring" not in c.get("/").get_data(as_text=True)  # 90 days ahead
    token = db.query(ApiToken).filter_by(user_id=user.id, name="old client").one()
    token.expires_at = utcnow() + dt.timedelta(days=3)
    db.commit()
    page = c.get("/").get_data(as_text=True)
    assert "API tokens expiring" in page and "1 of your 2 API tokens expire within 14 days" in page
    assert 'href="/account"' in page
    token = db.query(ApiToken).filter_by(user_id=user.id, name="old client").one()
    token.revoked_at = utcnow()
    db.commit()
    assert "API tokens expiring" not in c.get("/").get_data(as_text=True)  # a revoked one no longer counts
