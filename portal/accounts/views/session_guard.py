"""Session rules on top of the login: second factor, re-authentication, idle timeout, mandatory TOTP."""

from __future__ import annotations

import time

import segno
from flask import current_app, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from portal.accounts import services
from portal.accounts.models import CASE_ROLES, Role, User
from portal.accounts.services import twofactor
from portal.accounts.views import LOCKED_MESSAGE, _safe_next, bp, complete_login
from portal.db import get_session
from portal.security import login_blocked, record_login_failure


class CodeForm(FlaskForm):
    code = StringField("Six-digit code", validators=[DataRequired(message="Enter the code from your app."),
                                                     Length(max=10)],
                       description="From the authenticator app on your phone.")


class ReauthForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password.")])
    code = StringField("Six-digit code", validators=[Optional(), Length(max=10)])


class DisableForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password.")])


_EXEMPT = {"accounts.logout", "accounts.two_factor", "accounts.login", "accounts.login_verify", "home.healthz"}


@bp.before_app_request
def _session_rules():
    if request.endpoint is None or request.path.startswith(("/api/", "/static/")) or \
            request.endpoint.startswith("bootstrap."):
        return None
    if not current_user.is_authenticated:
        return None
    now = time.time()
    # An absolute lifetime besides the idle timeout: a session kept alive by activity (or by a
    # stolen cookie used now and then) still ends a working day after its login.
    if now - flask_session.get("started", 0) > current_app.config["SESSION_MAX_HOURS"] * 3600:
        logout_user()
        flask_session.clear()
        flash(_("Your session ended %(hours)s hours after you logged in. Log in again.",
                hours=current_app.config["SESSION_MAX_HOURS"]), "info")
        return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
    seen = flask_session.get("seen", now)
    if now - seen > current_app.config["IDLE_TIMEOUT_MINUTES"] * 60:
        logout_user()
        flask_session.clear()
        flash(_("Your session ended after %(minutes)s minutes without activity. Log in again.",
                minutes=current_app.config["IDLE_TIMEOUT_MINUTES"]), "info")
        return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
    if now - seen > 30:  # spare a new cookie on every request
        flask_session["seen"] = now
    if (current_app.config["TOTP_REQUIRED_FOR_CASE_ROLES"] and Role(current_user.role) in CASE_ROLES
            and not current_user.totp_enabled and request.endpoint not in _EXEMPT):
        flash("Your role requires a second factor: set it up to continue.", "warning")
        return redirect(url_for("accounts.two_factor"))
    return None


@bp.route("/login/verify", methods=["GET", "POST"])
def login_verify():
    pending = flask_session.get("pending_2fa")
    ident, _, nonce = (pending or "").partition(":")
    session = get_session()
    user = session.get(User, int(ident)) if ident.isdigit() else None
    if user is None or user.session_nonce != nonce or not user.active:
        flask_session.pop("pending_2fa", None)
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if login_blocked(current_app, user.email):
            form.code.errors = ["Too many failed attempts. Wait a minute and try again."]
            return render_template("accounts/verify.html", form=form), 429
        if twofactor.is_locked(user):  # wrong codes lock the account as wrong passwords do
            flask_session.pop("pending_2fa", None)
            form.code.errors = [LOCKED_MESSAGE]
            return render_template("accounts/verify.html", form=form), 200
        if twofactor.verify(user, form.code.data):
            target = flask_session.pop("pending_next", None) or url_for("home.index")
            flask_session.pop("pending_2fa", None)
            complete_login(user, session)
            session.commit()
            return redirect(_safe_next(target))
        record_login_failure(current_app, user.email)
        twofactor.note_failure(session, user, current_app.config["LOCKOUT_THRESHOLD"],
                               current_app.config["LOCKOUT_MINUTES"])
        session.commit()
        form.code.errors = ["This code is not right (or was used already)."]
    return render_template("accounts/verify.html", form=form)


@bp.route("/account/2fa", methods=["GET", "POST"])
@login_required
def two_factor():
    session = get_session()
    user = session.get(User, current_user.id)
    form, disable_form = CodeForm(), DisableForm()
    if user.totp_enabled:
        return render_template("accounts/two_factor.html", enabled=True, disable_form=disable_form)
    if request.method == "GET" or not user.totp_secret:
        twofactor.begin_setup(user)
        session.commit()
    elif form.validate_on_submit():
        if twofactor.confirm_setup(session, user, form.code.data):
            session.commit()
            flash("The second factor is on: from now on you log in with a code from your app.", "success")
            return redirect(url_for("accounts.account"))
        form.code.errors = ["This code is not right. Check the time on your phone and try the next code."]
    uri = twofactor.provisioning_uri(user)
    refused = request.method == "POST" and bool(form.errors or form.code.errors)  # a code refused: 422
    return render_template("accounts/two_factor.html", enabled=False, form=form, secret=user.totp_secret,
                           uri=uri, qr=segno.make(uri, error="m").svg_data_uri(scale=4)), 422 if refused else 200


@bp.route("/account/2fa/disable", methods=["POST"])
@login_required
def two_factor_disable():
    session = get_session()
    user = session.get(User, current_user.id)
    form = DisableForm()
    if not form.validate_on_submit() or not services.verify_password(user, form.password.data):
        flash("The password is not right; the second factor stays on.", "danger")
        return redirect(url_for("accounts.two_factor"))
    twofactor.disable(session, user)
    session.commit()
    flash("The second factor is off.", "info")
    return redirect(url_for("accounts.account"))


@bp.route("/reauth", methods=["GET", "POST"])
@login_required
def reauth():
    form = ReauthForm()
    session = get_session()
    user = session.get(User, current_user.id)
    if form.validate_on_submit():
        if login_blocked(current_app, user.email):
            form.password.errors = ["Too many failed attempts. Wait a minute and try again."]
            return render_template("accounts/reauth.html", form=form, totp=user.totp_enabled), 429
        ok = services.verify_password(user, form.password.data)
        if ok and user.totp_enabled:
            ok = twofactor.verify(user, form.code.data or "")
        if ok:
            flask_session["auth_at"] = time.time()
            session.commit()
            return redirect(_safe_next(request.args.get("next")))
        record_login_failure(current_app, user.email)
        form.password.errors = ["The password (or code) is not right."]
    return render_template("accounts/reauth.html", form=form, totp=user.totp_enabled)
