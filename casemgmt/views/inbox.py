"""The inbox: open cases by priority then time left, with the team's load for supervisors."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from casemgmt.models import CaseStatus
from casemgmt.services.deadlines import deadline_state, time_left_parts
from casemgmt.services.inbox import decode_cursor, team_load
from casemgmt.services.inbox import inbox as inbox_page
from casemgmt.services.requests import to_chase
from casemgmt.services.settings import load_settings
from casemgmt.views import bp, case_permissions, require_cases
from casemgmt.views.display import inbox_row, time_left_in
from portal import policy
from portal.accounts.models import User
from portal.cache import side_panels
from portal.db import get_session, utcnow
from portal.errors import rule_message
from portal.fragments import fragments, frozen, hole
from portal.i18n import current_language, translate
from portal.layout import user_zone
from portal.security import local_target


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
    lang = current_language()
    rows = [inbox_row(c, deadline_state(c, now, settings), time_left_in(lang, time_left_parts(c, now)), case_url, zone,
                      lang)
            for c in page.cases]
    panels = side_panels()  # the side panels, cached a few seconds per SPOC (portal/cache.py)
    # the supervisor's team load is one of them (it counts every open case of the SPOC: 4-5 ms at 100k cases);
    # kept as plain values, no ORM object outlives its request
    soon = int(settings["due_soon_hours"])
    load = panels.get(user.country_code, ("team_load", soon), lambda: [
        {**r, "user": (r["user"].name or r["user"].email) if r["user"] else None}
        for r in team_load(session, user.country_code, now, soon)]) if policy.can_see_team_load(user) else None
    chase_count, chase = panels.get(user.country_code, "to_chase",
                                    lambda: to_chase(session, user.country_code, now, limit=10))
    people = panels.get(user.country_code, "assignable", lambda: [
        (uid, name or email) for uid, name, email in session.execute(select(User.id, User.name, User.email).where(
            User.country_code == user.country_code, User.active, User.role.in_(policy.assignable_roles()))
            .order_by(User.name, User.email))]) if policy.can_register_cases(user) else []
    can_register = policy.can_register_cases(user)
    context = dict(rows=bool(rows), rows_mark=_ROWS, chase=chase, chase_count=chase_count, people=people,
                   next_cursor=page.next_cursor, status=status, mine=mine, load=load, can_register=can_register)

    def render() -> str:
        return render_template("casemgmt/_inbox_body.html", statuses=[
            ("action", _("Needs our action")), ("waiting", _("Waiting on a clarification, a national authority or a partner")),
            ("answered", _("Answered")), ("open", _("Open")), ("all", _("All")), ("merged", _("Merged"))]
            + CaseStatus.choices(), **context)

    # the page but for its rows, kept by everything it shows (portal/fragments.py): the SPOC, the page's language
    # and time zone, the filter, the next page's cursor, the side panels' values, the navigation's permissions
    key = (user.country_code, "inbox", user.role, str(get_locale()), lang, str(zone), user.timezone, status, mine,
           page.next_cursor, bool(rows), can_register, tuple(case_permissions().items()), chase_count, frozen(chase),
           frozen(load), frozen(people))
    body = fragments().get(key, render, fill={_ROWS: "".join(f"{row}\n" for row in rows)})  # rows escaped by inbox_row
    return render_template("casemgmt/inbox.html", body=body)


_ROWS = hole("inbox-rows")  # where the rows go in the kept page


@bp.route("/bulk", methods=["POST"])
@login_required
def bulk_action():
    """An action on the cases ticked in the inbox (assign, retention review, export the list)."""
    from casemgmt.services import CaseError, bulk
    from portal.accounts.models import User
    from portal.exports import csv_bytes
    from portal.files import download_response

    require_cases()
    session = get_session()
    action = request.form.get("action", "")
    back = url_for("casemgmt.inbox", status=request.form.get("status") or None)
    back = local_target(request.form.get("back"), back, prefix="/cases/search?")  # a selection from search results
    assignee = None
    if action == "assign" and request.form.get("assignee_id", "").isdigit():
        assignee = session.get(User, int(request.form["assignee_id"]))
        if assignee is not None and not policy.can_be_assigned(assignee, current_user.country_code):
            assignee = None
    try:
        result = bulk.apply(session, current_user, request.form.getlist("case"), action, assignee)
    except CaseError as exc:
        session.rollback()
        flash(rule_message(exc), "danger")
        return redirect(back)
    session.commit()
    if action == "export":
        return download_response(csv_bytes(bulk.EXPORT_HEADER, result.rows), "cases.csv", "text/csv")
    if result.done:
        flash(_("%(action)s: %(count)s case(s) done.", action=translate(bulk.ACTIONS[action]), count=len(result.done)),
              "success")
    if result.refused:
        flash(_("Not done: %(cases)s", cases="; ".join(f"{n} ({translate(why)})" for n, why in result.refused)),
              "warning")
    return redirect(back)
