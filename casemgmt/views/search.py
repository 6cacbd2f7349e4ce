"""Search across cases (issue 17, point 3): the search page, saved searches, and the results as a
selection for the bulk actions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from casemgmt.models import Channel, LegalFramework
from casemgmt.services import CaseError
from casemgmt.services import search as service
from casemgmt.services.deadlines import deadline_state, time_left_parts
from casemgmt.services.search_criteria import STATES, read_criteria
from casemgmt.services.settings import load_settings
from casemgmt.views import bp, require_cases
from casemgmt.views.display import inbox_row, time_left_text
from portal import policy
from portal.accounts.models import User
from portal.db import get_session, utcnow
from portal.errors import rule_message
from portal.i18n import current_language
from portal.layout import user_zone


def _require_search() -> None:
    require_cases()
    policy.ensure(policy.can_search_cases(current_user))


def _people(session) -> list[tuple[int, str]]:
    return [(uid, name or email) for uid, name, email in session.execute(
        select(User.id, User.name, User.email).where(User.country_code == current_user.country_code, User.active,
                                                     User.role.in_(policy.assignable_roles()))
        .order_by(User.name, User.email))]


@bp.route("/search")
@login_required
def search_page():
    """One box and the filters; the results newest first in pages of 50, with their count."""
    _require_search()
    session = get_session()
    user = current_user._get_current_object()
    criteria, errors = read_criteria(request.args)
    after = request.args.get("after", "")
    if after and not (after.isdigit() and len(after) < 11):
        errors["after"] = "this page link is not valid: go back to the first page of the results"
    page = rows = None
    if not errors and (not criteria.empty or request.args.get("run")):
        try:
            page = service.search(session, user, criteria, after=int(after) if after else None)
        except CaseError as exc:
            errors[exc.field or "q"] = rule_message(exc)
            session.rollback()
        else:
            session.commit()  # the consultation's log entry
            now = utcnow()
            settings = load_settings(session, user.country_code)
            case_url = url_for("casemgmt.case_page", number="-")[:-1]
            zone = user_zone()
            rows = [inbox_row(c, deadline_state(c, now, settings), time_left_text(time_left_parts(c, now)), case_url, zone,
                      current_language())
                    for c in page.rows]
    params = criteria.params()
    return render_template(
        "casemgmt/search.html", criteria=criteria, params=params, errors=errors, page=page, rows=rows,
        saved=service.saved_searches(session, user), people=_people(session),
        channels=Channel.choices(), frameworks=LegalFramework.choices(), states=STATES,
        can_assign=policy.can_register_cases(user),
        saved_id=request.args.get("saved", ""), here=url_for("casemgmt.search_page", **params),
    ), 422 if errors else 200


@bp.route("/search/save", methods=["POST"])
@login_required
def search_save():
    _require_search()
    session = get_session()
    criteria, errors = read_criteria(request.form)
    if errors:
        abort(422, "; ".join(f"{k}: {v}" for k, v in errors.items()))
    try:
        saved = service.save_search(session, current_user, request.form.get("name", ""), criteria)
    except CaseError as exc:
        session.rollback()
        flash(_("Not saved: %(reason)s", reason=rule_message(exc)), "danger")
        return redirect(url_for("casemgmt.search_page", **criteria.params()))
    session.commit()
    flash(_("Search “%(name)s” saved.", name=saved.name), "success")
    return redirect(url_for("casemgmt.search_page", saved=saved.id, **criteria.params()))


def _saved(search_id: int):
    _require_search()
    saved = service.saved_search(get_session(), search_id)
    if saved is None:
        abort(404)
    policy.ensure(policy.can_use_saved_search(current_user, saved))
    return saved


@bp.route("/search/saved/<int:search_id>")
@login_required
def saved_search_run(search_id: int):
    """Run a saved search again: the search page with its parameters (the run is logged there)."""
    saved = _saved(search_id)
    return redirect(url_for("casemgmt.search_page", saved=saved.id, run="1", **saved.params))


@bp.route("/search/saved/<int:search_id>/delete", methods=["POST"])
@login_required
def saved_search_delete(search_id: int):
    saved = _saved(search_id)
    name = saved.name
    service.delete_search(get_session(), saved)
    get_session().commit()
    flash(_("Saved search “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("casemgmt.search_page"))
