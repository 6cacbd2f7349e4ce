"""/admin/jobs: the jobs that kept failing after their retries (administrators)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session
from portal.jobs import JOBS, get_queue, services
from portal.jobs.models import JobFailure

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs", template_folder="templates")


def _load(failure_id: int) -> JobFailure:
    policy.ensure(policy.can_manage_jobs(current_user))
    failure = get_session().get(JobFailure, failure_id)
    if failure is None:
        abort(404)
    return failure


@bp.route("")
@login_required
def index():
    policy.ensure(policy.can_manage_jobs(current_user))
    session = get_session()
    queue = get_queue()
    try:
        waiting = queue.huey.pending_count()
        scheduled = queue.huey.scheduled_count()
    except Exception:  # noqa: BLE001 - the queue's storage unreachable: say so on the page
        waiting = scheduled = None
    return render_template("jobs/index.html", failures=services.failures(session), waiting=waiting,
                           scheduled=scheduled, storage=queue.storage, pending_mail=services.pending_mail(session))


@bp.route("/<int:failure_id>/retry", methods=["POST"])
@login_required
def retry(failure_id: int):
    failure = _load(failure_id)
    session = get_session()
    kind, args = services.retry(session, failure, current_user)
    session.commit()
    if kind in JOBS:
        get_queue().enqueue(kind, *args)
        flash(_("The job %(kind)s is queued again.", kind=kind), "success")
    else:  # a job this version of the portal no longer has
        flash(_("There is no job %(kind)s any more; the failure is removed.", kind=kind), "warning")
    return redirect(url_for(".index"))


@bp.route("/<int:failure_id>/drop", methods=["POST"])
@login_required
def drop(failure_id: int):
    failure = _load(failure_id)
    session = get_session()
    kind = failure.kind
    services.drop(session, failure, current_user)
    session.commit()
    flash(_("The failed job %(kind)s is dropped.", kind=kind), "success")
    return redirect(url_for(".index"))
