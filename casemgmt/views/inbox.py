"""The inbox: open cases by priority then time left, with the team's load for supervisors."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from casemgmt.models import CaseStatus
from casemgmt.services.deadlines import deadline_state, describe_time_left
from casemgmt.services.inbox import decode_cursor, team_load
from casemgmt.services.inbox import inbox as inbox_page
from casemgmt.services.requests import to_chase
from casemgmt.services.settings import load_settings
from casemgmt.views import bp, require_cases
from casemgmt.views.display import inbox_row
from portal import policy
from portal.db import get_session, utcnow
from portal.layout import user_zone


@bp.route("/", strict_slashes=False)
@login_required
def inbox():
    require_cases()
    user = current_user._get_current_object()
    session = get_session()
    now = utcnow()
    settings = load_settings(session, user.country_code)
    status = request.args.get("status", "action")
    mine = request.args.get("mine") == "1"
    cursor = request.args.get("after") or None
    if cursor is not None and decode_cursor(cursor) is None:
        abort(422, "This page link (after=) is not valid: go back to the first page of the inbox.")
    page = inbox_page(session, user.country_code, status=status, assignee_id=user.id if mine else None,
                      cursor=cursor)
    # one url_for, not one per row: case numbers are plain path segments
    case_url = url_for("casemgmt.case_page", number="-")[:-1]
    zone = user_zone()
    rows = [inbox_row(c, deadline_state(c, now, settings), describe_time_left(c, now), case_url, zone)
            for c in page.cases]
    load = team_load(session, user.country_code, now, int(settings["due_soon_hours"])) \
        if policy.can_see_team_load(user) else None
    chase_count, chase = to_chase(session, user.country_code, now, limit=10)
    return render_template("casemgmt/inbox.html", rows=rows, chase=chase, chase_count=chase_count, next_cursor=page.next_cursor, status=status,
                           mine=mine, statuses=[("action", "Needs our action"), ("waiting",
                                                "Waiting on a clarification, a national authority or a partner"),
                                                ("answered", "Answered"), ("open", "Open"), ("all", "All"),
                                                ("merged", "Merged")] + CaseStatus.choices(), load=load, can_register=policy.can_register_cases(user))
