"""The DPO's pages (the SPOC's access log, retention reviews) and the SPOC's case settings."""

from __future__ import annotations

import datetime as dt
import json

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from casemgmt.forms import AuthorityForm, SettingsForm
from casemgmt.services import CaseError, access_log, outgoing
from casemgmt.services.retention import inactive_cases, reviews_due
from casemgmt.services.settings import DEFAULTS, load_settings, set_setting
from casemgmt.views import bp, require_cases
from portal import policy
from portal.audit import AuditAction
from portal.db import get_session, utcnow
from portal.errors import show_beside_field
from portal.exports import csv_bytes
from portal.files import download_response
from portal.security import recent_login_required


def _filters() -> dict:
    def day(name):
        try:
            return dt.date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return None

    action = request.args.get("action", "")
    return {"action": action if action in {a.value for a in access_log.LED_ACTIONS} else None,
            "user": request.args.get("user", "")[:100], "case_number": request.args.get("case", "")[:20],
            "start": day("start"), "end": day("end")}


@bp.route("/access-log")
@login_required
def access_log_page():
    policy.ensure(policy.can_read_access_log(current_user, current_user.country_code))
    filters = _filters()
    before = request.args.get("before", "")
    entries = access_log.spoc_entries(get_session(), current_user.country_code, **filters,
                                      before_seq=int(before) if before.isascii() and before.isdigit() and len(before) <= 9 else None, limit=101)
    more = len(entries) > 100
    entries = entries[:100]
    return render_template("casemgmt/access_log.html", lines=access_log.group_consultations(entries), filters=filters,
                           next_before=entries[-1].seq if more and entries else None,
                           actions=[a.value for a in access_log.LED_ACTIONS])


@bp.route("/access-log.csv")
@login_required
@recent_login_required
def access_log_csv():
    policy.ensure(policy.can_read_access_log(current_user, current_user.country_code))
    entries = access_log.spoc_entries(get_session(), current_user.country_code, **_filters(), limit=None)
    name = f"access-log-{current_user.country_code}-{utcnow():%Y%m%d}.csv"
    return download_response(csv_bytes(access_log.EXPORT_HEADER, access_log.export_rows(entries)), name, "text/csv")


@bp.route("/retention")
@login_required
def retention_list():
    require_cases()
    return render_template("casemgmt/retention.html",
                           cases=reviews_due(get_session(), current_user.country_code),
                           inactive=inactive_cases(get_session(), current_user.country_code))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings_page():
    policy.ensure(policy.can_manage_case_settings(current_user))
    s = get_session()
    values = load_settings(s, current_user.country_code)
    form = SettingsForm(data={**values, "crime_categories": "\n".join(
        f"{k} = {v}" for k, v in values["crime_categories"].items())})
    authority_form = AuthorityForm(prefix="au")
    if form.validate_on_submit():
        try:
            categories = {}
            for line in form.crime_categories.data.splitlines():
                if line.strip():
                    name, _, level = line.rpartition("=")
                    if not name.strip() or not level.strip().isdigit():
                        raise CaseError("Write “category = level”, not “%(line)s”.", "crime_categories",
                                        line=line.strip())
                    categories[name.strip()] = int(level)
            for key in DEFAULTS:
                value = categories if key == "crime_categories" else getattr(form, key).data
                if value is not None and value != values[key]:  # an optional field left empty keeps its value
                    set_setting(s, current_user.country_code, key, value, current_user)
        except CaseError as exc:
            s.rollback()
            show_beside_field(form, exc, fields={} if hasattr(form, exc.field or "") else {exc.field: "crime_categories"})
        else:
            s.commit()
            flash("Settings saved.", "success")
            return redirect(url_for("casemgmt.settings_page"))
    return render_template("casemgmt/settings.html", form=form, authority_form=authority_form,
                           authorities=outgoing.authorities(s, current_user.country_code),
                           defaults=json.dumps(DEFAULTS, indent=1)), 422 if form.errors else 200


@bp.route("/settings/authorities", methods=["POST"])
@login_required
def add_authority():
    policy.ensure(policy.can_manage_case_settings(current_user))
    s = get_session()
    form = AuthorityForm(prefix="au")
    if form.validate_on_submit():
        try:
            outgoing.add_authority(s, current_user.country_code, form.name.data, form.email.data or "",
                                   form.kind.data or "")
            from portal import audit

            audit.record(s, actor=current_user, area="casemgmt", action=AuditAction.ADMIN,
                         object_type="national_authority", object_id=form.name.data,
                         country_code=current_user.country_code)
        except CaseError as exc:
            s.rollback()
            show_beside_field(form, exc, fields={exc.field: "name"})
        else:
            s.commit()
            flash("Authority added to the directory.", "success")
            return redirect(url_for("casemgmt.settings_page"))
    values = load_settings(s, current_user.country_code)
    settings_form = SettingsForm(data={**values, "crime_categories": "\n".join(
        f"{k} = {v}" for k, v in values["crime_categories"].items())})
    return render_template("casemgmt/settings.html", form=settings_form, authority_form=form,
                           authorities=outgoing.authorities(s, current_user.country_code), defaults=""), 422
