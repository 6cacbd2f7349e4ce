"""The 24/7 duty page (issue 17, point 4): the roster, adding and removing shifts (supervisors), the
handover notes (everyone of the SPOC's case team), and the badge of urgent requests nobody took."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from casemgmt import forms
from casemgmt.services import CaseError, duty
from casemgmt.views import bp, require_cases
from casemgmt.views.intake import _zone
from portal import policy
from portal.accounts.models import User
from portal.cache import side_panels
from portal.db import get_session, utcnow
from portal.errors import rule_message


@bp.app_template_global("duty_badge")
def duty_badge() -> int:
    """On every page, for an officer on duty: the urgent requests nobody has taken yet."""
    if not getattr(current_user, "is_authenticated", False) or not policy.can_register_cases(current_user):
        return 0
    user = current_user._get_current_object()
    return side_panels().get(user.country_code, ("duty_badge", user.id),
                             lambda: duty.badge(get_session(), user, utcnow()))


def _time(text: str, field: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat((text or "").strip().replace(" ", "T", 1))
    except ValueError:
        raise CaseError("Give the date and time, e.g. 2026-12-05 20:00.", field) from None
    return value if value.tzinfo else value.replace(tzinfo=_zone())


def _shift_form(**kw) -> forms.DutyShiftForm:
    form = forms.DutyShiftForm(prefix="sh", **kw)
    form.user_id.choices = [(u.id, u.name or u.email) for u in get_session().scalars(select(User).where(
        User.country_code == current_user.country_code, User.active, User.role.in_(policy.assignable_roles()))
        .order_by(User.name, User.email))]
    return form


def _page(shift_form=None, note_form=None, status: int = 200):
    s = get_session()
    now = utcnow()
    return render_template("casemgmt/duty.html", now=now, roster=duty.roster(s, current_user.country_code, now),
                           notes=duty.notes(s, current_user.country_code), roles=duty.DUTY_ROLES,
                           shift_form=shift_form or _shift_form(), note_form=note_form or forms.HandoverForm(prefix="ho"),
                           can_plan=policy.can_manage_case_settings(current_user),
                           can_write=policy.can_register_cases(current_user),
                           waiting=duty.badge(s, current_user, now)), status


@bp.route("/duty")
@login_required
def duty_page():
    require_cases()
    return _page()


@bp.route("/duty/shifts", methods=["POST"])
@login_required
def duty_shift_add():
    require_cases()
    policy.ensure(policy.can_manage_case_settings(current_user))
    s = get_session()
    form = _shift_form()
    if form.validate_on_submit():
        try:
            duty.add_shift(s, current_user, current_user.country_code, s.get(User, form.user_id.data or 0),
                           form.role.data, _time(form.starts_at.data, "starts_at"), _time(form.ends_at.data, "ends_at"))
        except CaseError as exc:
            s.rollback()
            getattr(form, exc.field if hasattr(form, exc.field or "") else "user_id").errors.append(rule_message(exc))
        else:
            s.commit()
            flash("Shift added to the roster.", "success")
            return redirect(url_for("casemgmt.duty_page"))
    return _page(shift_form=form, status=422)


@bp.route("/duty/shifts/<int:shift_id>/remove", methods=["POST"])
@login_required
def duty_shift_remove(shift_id: int):
    require_cases()
    policy.ensure(policy.can_manage_case_settings(current_user))
    s = get_session()
    try:
        duty.remove_shift(s, current_user, current_user.country_code, shift_id)
    except CaseError:
        abort(404)
    s.commit()
    flash("Shift removed.", "success")
    return redirect(url_for("casemgmt.duty_page"))


@bp.route("/duty/notes", methods=["POST"])
@login_required
def duty_note_add():
    require_cases()
    policy.ensure(policy.can_register_cases(current_user))
    s = get_session()
    form = forms.HandoverForm(prefix="ho")
    if form.validate_on_submit():
        duty.add_note(s, current_user, current_user.country_code, form.text.data)
        s.commit()
        flash("Handover note added.", "success")
        return redirect(url_for("casemgmt.duty_page"))
    return _page(note_form=form, status=422)
