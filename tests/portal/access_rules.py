"""Declared access of the foundation's routes with object parameters (see tests/hardening/access.py)."""

from __future__ import annotations

from tests.hardening.access import Access


def _user(app, make_user):
    return {"user_id": make_user("respondent", "BE").id}


def _token(app, make_user):
    from portal.accounts import services as accounts

    user = make_user("officer", "BE")
    with app.extensions["spoc_db"].unit_of_work() as session:
        accounts.create_token(session, session.merge(user), "x")
        from portal.accounts.models import ApiToken

        token_id = session.query(ApiToken.id).filter(ApiToken.user_id == user.id).scalar()
    return {"token_id": token_id}


RULES = {
    "accounts.edit_user": Access(_user, network={"admin"}),
    "accounts.set_active": Access(_user, network={"admin"}),
    # a token belongs to its user only: every other user gets 404 (its owner is not in the matrix)
    "accounts.revoke_token": Access(_token),
}
