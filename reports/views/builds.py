"""The DOCX and XLSX of a round built by the worker: start a build, follow it, download the file."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from portal import files, policy
from portal.db import get_session
from portal.i18n import current_language
from reports.models import BuildStatus
from reports.views import DOWNLOADS, bp, filename, load_round


@bp.route("/rounds/<int:round_id>/build.<fmt>", methods=["POST"])
@login_required
def build(round_id: int, fmt: str):
    """Start building the round's DOCX or XLSX in the worker; its page shows the progress."""
    from portal.jobs import enqueue
    from reports.services.builds import FORMATS, request_build

    round_ = load_round(round_id)
    policy.ensure(fmt in FORMATS)
    session = get_session()
    build_id = request_build(session, round_.id, fmt, current_user).id
    session.commit()
    enqueue("reports.build", build_id, current_language())  # built in the requester's language
    return redirect(url_for(".build_status", build_id=build_id))


def _load_build(build_id: int):
    from reports.models import ReportBuild

    found = get_session().get(ReportBuild, build_id)
    policy.ensure(found is not None and found.requested_by_id == current_user.id)
    return found, load_round(found.round_id)


@bp.route("/builds/<int:build_id>")
@login_required
def build_status(build_id: int):
    found, round_ = _load_build(build_id)
    return render_template("reports/build.html", build=found, round=round_)


@bp.route("/builds/<int:build_id>/file")
@login_required
def build_file(build_id: int):
    found, round_ = _load_build(build_id)
    policy.ensure(found.status == BuildStatus.DONE and found.content is not None)
    return files.download_response(found.content, filename(round_, found.fmt), DOWNLOADS[found.fmt])
