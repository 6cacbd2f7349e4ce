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


def _failed_job(app, make_user):
    from portal.jobs.models import record_failure

    record_failure(app.extensions["spoc_db"], kind="mail.send", args=[[1]], attempts=6, error="SMTP refused")
    with app.extensions["spoc_db"].read_session() as session:
        from sqlalchemy import func, select

        from portal.jobs.models import JobFailure

        return {"failure_id": session.scalar(select(func.max(JobFailure.id)))}


RULES = {
    "accounts.edit_user": Access(_user, network={"admin"}),
    "accounts.set_active": Access(_user, network={"admin"}),
    # a token belongs to its user only: every other user gets 404 (its owner is not in the matrix)
    "accounts.revoke_token": Access(_token),
    # the task queue's failed jobs: administrators only
    "jobs.retry": Access(_failed_job, network={"admin"}),
    "jobs.drop": Access(_failed_job, network={"admin"}),
}
